import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setDefaultBackendFactory } from 'bullmq';
import pg from 'pg';
import type { QueueBackend } from './infrastructure.types.js';
import { leftoverProcesses, roundTrip } from './runtime.spec-helper.js';
import { configureQueueBackend, queueConnection } from './queue-backend.config.js';
import { spawnRedisServer } from './redis-server.launcher.js';

const MACHINE_POSTGRES =
  process.env.BATON_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: MACHINE_POSTGRES });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('queue backend: BullMQ PostgreSQL backend', () => {
  const database = `baton_runtime_${randomBytes(4).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(MACHINE_POSTGRES), { pathname: `/${database}` }).toString();
  const backend: QueueBackend = { backend: 'postgres', databaseUrl };

  beforeAll(async () => {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
  });
  afterAll(async () => {
    setDefaultBackendFactory();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  it('refuses to hand out a PostgreSQL connection before the backend is configured', () => {
    setDefaultBackendFactory();
    expect(() => queueConnection(backend)).toThrow(/configureQueueBackend/);
  });

  it('migrates the bullmq schema and runs a job through a Queue and a Worker', async () => {
    await configureQueueBackend(backend);
    await configureQueueBackend(backend); // idempotent: every process runs it at start

    expect(await roundTrip(backend, 'runtime-check')).toEqual({ doubled: 42 });

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'bullmq' ORDER BY 1",
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual(
        expect.arrayContaining(['job', 'migration', 'event']),
      );
      const jobs = await client.query("SELECT state FROM bullmq.job WHERE queue = 'runtime-check'");
      expect(jobs.rows).toEqual([{ state: 'completed' }]);
    } finally {
      await client.end();
    }
  }, 20_000);
});

describe('queue backend: spawned redis-server', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'baton-runtime-redis-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a job through a Queue and a Worker, keeps an append-only file, and stops', async () => {
    const lines: string[] = [];
    const redis = await spawnRedisServer({ dataDir, log: (line) => lines.push(line) });
    const backend: QueueBackend = { backend: 'redis', url: redis.url, origin: 'spawned' };
    try {
      await configureQueueBackend(backend);
      expect(await roundTrip(backend, 'runtime-check')).toEqual({ doubled: 42 });
    } finally {
      const started = Date.now();
      await redis.stop();
      expect(Date.now() - started).toBeLessThan(2000);
    }
    expect(redis.exited).toBe(true);
    expect(await readdir(join(dataDir, 'redis'))).toContain('appendonlydir');
    expect(await leftoverProcesses(dataDir, [redis.pid])).toEqual([]);
  }, 20_000);
});
