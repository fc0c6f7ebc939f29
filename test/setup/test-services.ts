/**
 * Where the tests' PostgreSQL and Redis come from, as for `npm start`: DATABASE_URL / REDIS_URL when set,
 * else the local services when they answer, else the embedded default (embedded PostgreSQL; redis-server
 * from PATH, else BullMQ's PostgreSQL backend, in which case the Redis-only tests skip).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { redisAnswers, startInfrastructure } from '@baton/runtime';

export interface TestServices {
  /** A server URL whose database may be replaced by a fresh one. */
  postgresServerUrl: string;
  redisUrl: string | null;
  stop(): Promise<void>;
}

async function postgresAnswers(url: string): Promise<boolean> {
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

export async function resolveTestServices(log: (line: string) => void): Promise<TestServices> {
  const localPostgres = 'postgresql://postgres@127.0.0.1:5432/postgres';
  const localRedis = 'redis://127.0.0.1:6379';
  const envDatabase = process.env.DATABASE_URL || undefined;
  const envRedis = process.env.REDIS_URL || undefined;
  const databaseUrl = envDatabase ?? ((await postgresAnswers(localPostgres)) ? localPostgres : undefined);
  const redisUrl = envRedis ?? ((await redisAnswers(localRedis, 300)) ? localRedis : undefined);
  if (databaseUrl && redisUrl) return { postgresServerUrl: databaseUrl, redisUrl, stop: async () => undefined };

  const dataDir = await mkdtemp(join(tmpdir(), 'baton-test-'));
  const infra = await startInfrastructure({ databaseUrl, redisUrl, dataDir, log });
  return {
    postgresServerUrl: infra.databaseUrl,
    redisUrl: infra.queue.backend === 'redis' ? infra.queue.url : null,
    stop: () => infra.stop(),
  };
}
