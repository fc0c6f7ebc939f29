import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Redis } from 'ioredis';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { ApiClient } from '../support/http-client.js';
import { scratchDatabase } from '../support/scratch-database.js';
import {
  batonEnv,
  failedJobs,
  faultPrefix,
  readinessFlow,
  report,
  type Scene,
  setUpScene,
  SlowReceiver,
  startWorker,
  withDb,
  type WorkerProcess,
} from './fault-kit.js';
import { type PrivateRedis, startPrivateRedis } from './private-services.js';

// Slow (2-4 min: each recovery of a killed worker's job waits for BullMQ's 30 s lock and 30 s stalled
// check), so it runs only when asked: BATON_FAULTS_SLOW=1 npm run test:faults.
const slow = process.env.BATON_FAULTS_SLOW === '1';
const describeSlow = slow ? describe : describe.skip;
const RECOVERY_MS = 100_000;

/**
 * The same webhook job in flight at two worker crashes in a row: a receiver that has not answered yet
 * when the worker is killed, twice. BullMQ gives a job up after it stalled more than `maxStalledCount`
 * times (1 by default); the delivery must still reach the receiver once it answers again.
 */
describeSlow('a webhook job in flight at two worker crashes in a row', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: PrivateRedis;
  let redisClient: Redis;
  let api: BatonProcess;
  let worker: WorkerProcess;
  let env: Record<string, string>;
  let scene: Scene;
  let prefix: string;
  const receiver = new SlowReceiver();

  beforeAll(async () => {
    receiver.delayMs = () => 600_000; // holds every request until the worker dies
    const hooks = await receiver.start();
    redis = await startPrivateRedis();
    redisClient = redis.client();
    scratch = await scratchDatabase();
    prefix = faultPrefix();
    env = batonEnv({
      DATABASE_URL: scratch.url,
      REDIS_URL: redis.url,
      BATON_QUEUE_PREFIX: prefix,
      BATON_WEBHOOK_TIMEOUT_MS: '120000',
      BATON_RECONCILE_INTERVAL_MS: '500',
    });
    api = await startBaton({ app: 'api', env });
    worker = await startWorker(env);
    scene = await setUpScene(new ApiClient(api.url, api.adminToken), hooks, {
      readinessReminders: [],
      elsDuration: 'P1D',
      elsFollowUpEvery: 'P1D',
      elsExitSla: 'PT1H',
    });
  });

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await api?.stop();
    await redisClient?.quit();
    await redis?.close();
    await scratch?.drop();
    await receiver.stop();
  });

  const waitFor = async (done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) return false;
      await sleep(250);
    }
    return true;
  };

  it('delivers the event after both crashes', async () => {
    const started = Date.now();
    await readinessFlow(scene, 86_400_000); // one status change: one event, one delivery
    expect(await waitFor(() => receiver.received.length >= 1, 15_000)).toBe(true);
    await worker.kill('SIGKILL');
    worker = await startWorker(env);
    const firstKill = Date.now();
    // The stalled check gives the job to the new worker, which posts again and is killed again.
    const rerun = await waitFor(() => receiver.received.length >= 2, RECOVERY_MS);
    const rerunMs = Date.now() - firstKill;
    await worker.kill('SIGKILL');
    receiver.delayMs = () => 10; // from now on the receiver answers at once
    worker = await startWorker(env);
    const secondKill = Date.now();
    const delivered = async () =>
      withDb(scratch.url, async (client) => {
        const rows = await client.query(`SELECT status FROM webhook_deliveries`);
        return rows.rows.length === 1 && rows.rows[0].status === 'delivered';
      });
    const ok = await waitFor(delivered, RECOVERY_MS);
    const deliveries = await withDb(
      scratch.url,
      async (client) =>
        (await client.query(`SELECT status, attempts, last_error AS "lastError" FROM webhook_deliveries`))
          .rows,
    );
    const failed = await failedJobs(redisClient, prefix);
    report('a webhook job at two worker crashes', {
      'first crash to the job running again (s)': rerun ? (rerunMs / 1000).toFixed(1) : 'never',
      'second crash to delivered (s)': ok ? ((Date.now() - secondKill) / 1000).toFixed(1) : 'never',
      'requests the receiver got': receiver.received.length,
      'delivery rows': deliveries,
      'jobs BullMQ gave up on': failed.map((job) => `${job.queue}/${job.id}: ${job.reason}`),
      'test ran (s)': ((Date.now() - started) / 1000).toFixed(1),
    });

    expect(rerun).toBe(true);
    expect(failed).toEqual([]);
    expect(deliveries).toMatchObject([{ status: 'delivered' }]);
  }, 300_000);
});
