import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { walkHandover } from '../support/handover-walk.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';

/** The whole handover over HTTP (test/support/handover-walk.ts), on the test run's Redis. */
describe('a deliverable from draft to operational', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let baton: BatonProcess;
  let admin: ApiClient;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    baton = await startBaton({ env: { DATABASE_URL: scratch.url } });
    admin = new ApiClient(baton.url, baton.adminToken);
  });

  afterAll(async () => {
    await baton?.stop();
    await scratch?.drop();
  });

  it('walks every step once, in order, hash-chained', async () => {
    await walkHandover(admin);
  });
});
