// Where the bench's PostgreSQL and Redis come from (as for the tests: DATABASE_URL / REDIS_URL, else the
// local services, else the embedded default), a scratch database and a private queue prefix per run, and
// the facts about the machine that go on the page.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

async function postgresAnswers(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url) {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * The PostgreSQL server URL (scratch databases are made on it) and the Redis URL. With neither set nor
 * answering locally, the embedded PostgreSQL and a redis-server from PATH, as `npm test` does.
 */
export async function resolveServices(log) {
  const localPostgres = 'postgresql://postgres@127.0.0.1:5432/postgres';
  const localRedis = 'redis://127.0.0.1:6379';
  const postgresUrl =
    process.env.DATABASE_URL || ((await postgresAnswers(localPostgres)) ? localPostgres : undefined);
  const redisUrl = process.env.REDIS_URL || ((await redisAnswers(localRedis)) ? localRedis : undefined);
  if (postgresUrl && redisUrl) return { postgresUrl, redisUrl, source: 'given', stop: async () => undefined };
  log('no PostgreSQL and Redis both answering: starting the embedded default');
  const { startInfrastructure } = await import('../../dist/libs/runtime/src/index.js');
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-bench-infra-'));
  const infra = await startInfrastructure({ databaseUrl: postgresUrl, redisUrl, dataDir, log });
  if (infra.queue.backend !== 'redis') {
    await infra.stop();
    throw new Error('The bench needs Redis (REDIS_URL, a Redis on 127.0.0.1:6379, or redis-server on PATH)');
  }
  return {
    postgresUrl: infra.databaseUrl,
    redisUrl: infra.queue.url,
    source: 'embedded',
    stop: () => infra.stop(),
  };
}

/** A fresh database on the server; drop() removes it (forcing out any connection left). */
export async function scratchDatabase(serverUrl, prefix = 'baton_bench') {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Deletes every Redis key under `prefix` (the run's queues). */
export function deleteKeys(redisUrl, prefix) {
  return deleteKeysOn([new Redis(redisUrl, { maxRetriesPerRequest: 1 })], prefix);
}

/** Removes the keys starting with `prefix` from each of `servers`, and disconnects them. */
export async function deleteKeysOn(servers, prefix) {
  for (const redis of servers) {
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The machine, the software versions and the code the run measured. */
export async function machineFacts(services) {
  const client = new pg.Client({ connectionString: services.postgresUrl });
  await client.connect();
  const postgres = (await client.query('SHOW server_version')).rows[0].server_version;
  const settings = (
    await client.query(
      `SELECT name, setting FROM pg_settings WHERE name IN ('shared_buffers', 'synchronous_commit', 'fsync', 'max_connections')`,
    )
  ).rows;
  await client.end();
  const redis = new Redis(services.redisUrl, { maxRetriesPerRequest: 1 });
  const info = await redis.info('server');
  const persistence = await redis.info('persistence');
  redis.disconnect();
  const field = (text, name) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim() ?? null;
  const gitHead = commandOutput('git', ['rev-parse', '--short', 'HEAD']);
  const gitDirty = commandOutput('git', [
    'status',
    '--porcelain',
    '--untracked-files=no',
    '--',
    'apps',
    'libs',
  ]);
  return {
    cores: cpus().length,
    model: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    freeMemoryGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    kernel: commandOutput('uname', ['-sr']),
    node: process.version,
    postgres,
    postgresSettings: Object.fromEntries(settings.map((row) => [row.name, row.setting])),
    redis: field(info, 'redis_version'),
    redisAppendOnly: field(persistence, 'aof_enabled') === '1',
    services: services.source === 'embedded' ? 'embedded PostgreSQL and redis-server' : 'local or given URLs',
    commit: gitHead ? `${gitHead}${gitDirty ? ' (with uncommitted changes in apps/ or libs/)' : ''}` : null,
  };
}

export const loadAverage = () => loadavg().map((value) => Number(value.toFixed(2)));

/** The pid of the Redis server when it runs on this machine (to read its CPU time), else null. */
export async function localRedisPid(redisUrl) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const pid = Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    return comm.startsWith('redis') ? pid : null;
  } finally {
    redis.disconnect();
  }
}
