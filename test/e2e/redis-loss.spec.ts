import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type Infrastructure, startInfrastructure } from '@baton/runtime';
import { startBaton, type BatonProcess } from '../support/baton-process.js';
import { createActors, type Actors } from '../support/fixtures.js';
import { ApiClient } from '../support/http-client.js';
import { Receiver } from '../support/receiver.js';
import { remindersSurviveRedisLoss, subscribeToReminders } from '../support/redis-loss.js';
import { scratchDatabase } from '../support/scratch-database.js';

const hasRedisServer = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasRedisServer)
  console.warn('Skipped: the Redis-loss test needs redis-server on PATH (it flushes a Redis of its own)');
const describeWithRedis = hasRedisServer ? describe : describe.skip;

/** Timers live in PostgreSQL; a Redis that forgets everything (FLUSHDB) loses no reminder. */
describeWithRedis('losing Redis in the middle of a schedule', () => {
  let scratch: Awaited<ReturnType<typeof scratchDatabase>>;
  let redis: Infrastructure;
  let baton: BatonProcess;
  let actors: Actors;
  const receiver = new Receiver();

  beforeAll(async () => {
    const base = await receiver.start();
    scratch = await scratchDatabase();
    // A redis-server of this test's own, so FLUSHDB touches nothing else.
    redis = await startInfrastructure({
      databaseUrl: scratch.url,
      localRedisUrl: 'redis://127.0.0.1:1',
      dataDir: await mkdtemp(join(tmpdir(), 'baton-redis-loss-')),
      log: () => undefined,
    });
    if (redis.queue.backend !== 'redis') throw new Error('expected a spawned redis-server');
    baton = await startBaton({
      env: {
        DATABASE_URL: scratch.url,
        REDIS_URL: redis.queue.url,
        BATON_RECONCILE_INTERVAL_MS: '500',
        BATON_OUTBOUND_DENY: '169.254.0.0/16',
      },
    });
    actors = await createActors(new ApiClient(baton.url, baton.adminToken));
    await subscribeToReminders(actors, base);
  });

  afterAll(async () => {
    await baton?.stop();
    await redis?.stop();
    await scratch?.drop();
    await receiver.stop();
  });

  it('delivers both reminders before a go-live 9 s away, each once, signed, after FLUSHDB', async () => {
    await remindersSurviveRedisLoss(actors, receiver, 'FLUSHDB', async () => {
      const client = new Redis((redis.queue as { url: string }).url);
      await client.flushdb();
      await client.quit();
    });
  });
});
