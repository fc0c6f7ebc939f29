import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setDefaultBackendFactory } from 'bullmq';
import { startInfrastructure } from './infrastructure.launcher.js';
import { findFreePort, redisAnswers } from './network.util.js';
import { configureQueueBackend } from './queue-backend.config.js';
import { leftoverProcesses, query, roundTrip } from './runtime.spec-helper.js';

const MACHINE_POSTGRES =
  process.env.BATON_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

describe('startInfrastructure', () => {
  let dataDir: string;
  let nobodyHome: string; // a Redis URL nothing answers on
  const lines: string[] = [];
  const log = (line: string): void => {
    lines.push(line);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'baton-runtime-infra-'));
    nobodyHome = `redis://127.0.0.1:${await findFreePort()}`;
  });
  afterAll(async () => {
    setDefaultBackendFactory();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('with nothing configured and no Redis anywhere: embedded PostgreSQL and the BullMQ PostgreSQL backend', async () => {
    const [infra, startMs] = await timed(() =>
      startInfrastructure({ dataDir, log, localRedisUrl: nobodyHome, redisServer: null }),
    );
    try {
      expect(infra.postgres).toBe('embedded');
      expect(infra.queue).toEqual({ backend: 'postgres', databaseUrl: infra.databaseUrl });
      await configureQueueBackend(infra.queue);
      expect(await roundTrip(infra.queue, 'infra-check')).toEqual({ doubled: 42 });
      await query(infra.databaseUrl, 'CREATE TABLE kept (id int PRIMARY KEY)');
      await query(infra.databaseUrl, 'INSERT INTO kept VALUES (1), (2), (3)');
    } finally {
      const [, stopMs] = await timed(() => infra.stop());
      expect(stopMs).toBeLessThan(4000);
      console.log(`startInfrastructure (embedded PostgreSQL, cold): start ${startMs} ms, stop ${stopMs} ms`);
    }
    await infra.stop(); // idempotent
    expect(await leftoverProcesses(dataDir)).toEqual([]);
  }, 30_000);

  it('a second start keeps the data; with redis-server on PATH it spawns one, and stop() ends both', async () => {
    const [infra, startMs] = await timed(() =>
      startInfrastructure({ dataDir, log, localRedisUrl: nobodyHome }),
    );
    let stopMs: number;
    try {
      expect(infra.postgres).toBe('embedded');
      expect(infra.queue).toMatchObject({ backend: 'redis', origin: 'spawned' });
      expect(await query(infra.databaseUrl, 'SELECT count(*)::int AS n FROM kept')).toEqual([{ n: 3 }]);
      await configureQueueBackend(infra.queue);
      expect(await roundTrip(infra.queue, 'infra-check')).toEqual({ doubled: 42 });
    } finally {
      [, stopMs] = await timed(() => infra.stop());
    }
    expect(stopMs).toBeLessThan(4000);
    expect(await leftoverProcesses(dataDir)).toEqual([]);
    console.log(
      `startInfrastructure (embedded PostgreSQL warm + spawned Redis): start ${startMs} ms, stop ${stopMs} ms`,
    );
  }, 30_000);

  it('if one service fails to start, stops the other before rejecting', async () => {
    await expect(
      startInfrastructure({
        dataDir,
        log,
        localRedisUrl: nobodyHome,
        redisServer: join(dataDir, 'no-such-redis-server'),
      }),
    ).rejects.toThrow(/redis-server did not start/);
    expect(await leftoverProcesses(dataDir)).toEqual([]);
  }, 30_000);

  it('uses DATABASE_URL and REDIS_URL as given and starts nothing', async () => {
    const elsewhere = join(dataDir, 'unused');
    const infra = await startInfrastructure({
      dataDir: elsewhere,
      log,
      databaseUrl: MACHINE_POSTGRES,
      redisUrl: 'redis://127.0.0.1:6379/3',
    });
    expect(infra).toMatchObject({
      postgres: 'env',
      databaseUrl: MACHINE_POSTGRES,
      queue: { backend: 'redis', url: 'redis://127.0.0.1:6379/3', origin: 'env' },
    });
    await infra.stop();
  });

  it('uses a Redis answering on 127.0.0.1:6379 when there is one', async () => {
    if (!(await redisAnswers('redis://127.0.0.1:6379', 300))) {
      console.log('no Redis on 127.0.0.1:6379 here: skipped');
      return;
    }
    const infra = await startInfrastructure({ dataDir, log, databaseUrl: MACHINE_POSTGRES });
    expect(infra.queue).toEqual({ backend: 'redis', url: 'redis://127.0.0.1:6379', origin: 'local' });
    await infra.stop();
  });
});
