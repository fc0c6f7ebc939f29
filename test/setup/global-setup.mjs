// Jest's global setup (plain ESM: Jest loads it outside its own module system, so it uses the built code).
// Where the tests' PostgreSQL and Redis come from, as for `npm start`: DATABASE_URL / REDIS_URL when set,
// else the local services when they answer, else the embedded default (embedded PostgreSQL; redis-server
// from PATH, else BullMQ's PostgreSQL backend, in which case the Redis-only tests skip). Then a fresh
// database and a private queue prefix for this run, published to the tests through the environment.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { redisAnswers, startInfrastructure } from '../../dist/libs/runtime/src/index.js';

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

async function resolveServices(log) {
  const localPostgres = 'postgresql://postgres@127.0.0.1:5432/postgres';
  const localRedis = 'redis://127.0.0.1:6379';
  const databaseUrl =
    process.env.DATABASE_URL || ((await postgresAnswers(localPostgres)) ? localPostgres : undefined);
  const redisUrl = process.env.REDIS_URL || ((await redisAnswers(localRedis, 300)) ? localRedis : undefined);
  if (databaseUrl && redisUrl)
    return { postgresServerUrl: databaseUrl, redisUrl, stop: async () => undefined };
  const dataDir = await mkdtemp(join(tmpdir(), 'baton-test-'));
  const infra = await startInfrastructure({ databaseUrl, redisUrl, dataDir, log });
  return {
    postgresServerUrl: infra.databaseUrl,
    redisUrl: infra.queue.backend === 'redis' ? infra.queue.url : null,
    stop: () => infra.stop(),
  };
}

export default async function globalSetup() {
  const services = await resolveServices((line) => process.stderr.write(`[test services] ${line}\n`));
  globalThis.__batonTestServices = services;
  const suffix = randomBytes(4).toString('hex');
  const database = `baton_test_${suffix}`;
  const admin = new pg.Client({ connectionString: services.postgresServerUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(services.postgresServerUrl);
  url.pathname = `/${database}`;
  process.env.BATON_TEST_SERVER_URL = services.postgresServerUrl;
  process.env.BATON_TEST_DATABASE = database;
  process.env.BATON_TEST_DATABASE_URL = url.toString();
  process.env.BATON_TEST_REDIS_URL = services.redisUrl ?? '';
  process.env.BATON_TEST_QUEUE_PREFIX = `baton_test_${suffix}`;
  // Each start sets the admin's token to the one it is given: every Baton on this run's database gets the
  // same one, so that test files running side by side do not revoke each other's.
  process.env.BATON_TEST_ADMIN_TOKEN = `test_admin_${randomBytes(16).toString('hex')}`;
}
