import { resolve } from 'node:path';
import type { RedisTopology } from '@baton/config';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres.launcher.js';
import type { Infrastructure, InfrastructureOptions, QueueBackend } from './infrastructure.types.js';
import { redactUrl, redisAnswers } from './network.util.js';
import { findOnPath } from './process.util.js';
import { type SpawnedRedisServer, spawnRedisServer } from './redis-server.launcher.js';

const LOCAL_REDIS_URL = 'redis://127.0.0.1:6379';
/**
 * How long a local Redis may take to answer PING. Nothing listening is known at once (connection refused);
 * a busy machine's Redis can take more than a few hundred milliseconds, and a start must not then pick
 * another Redis (a redis-server of its own) than the last one did.
 */
export const LOCAL_REDIS_TIMEOUT_MS = 2000;

/**
 * Brings up what the embedded default needs (API.md, "Running"): PostgreSQL from DATABASE_URL or
 * embedded in `<dataDir>/postgres`; the queues on REDIS_URL, else a Redis answering on
 * 127.0.0.1:6379, else a redis-server spawned with its data in `<dataDir>/redis`, else BullMQ's
 * PostgreSQL backend on the same database. PostgreSQL and Redis come up side by side; if either
 * fails, whatever did start is stopped again.
 */
export async function startInfrastructure(options: InfrastructureOptions): Promise<Infrastructure> {
  const log = options.log;
  const dataDir = resolve(options.dataDir);
  const started = Date.now();

  const [postgresResult, redisResult] = await Promise.allSettled([
    options.databaseUrl ? Promise.resolve(undefined) : startEmbeddedPostgres({ dataDir, log }),
    resolveRedis(options, dataDir),
  ]);
  const embedded = postgresResult.status === 'fulfilled' ? postgresResult.value : undefined;
  const redis = redisResult.status === 'fulfilled' ? redisResult.value : undefined;
  const stop = stopOnce(redis?.server, embedded, log);
  if (postgresResult.status === 'rejected' || redisResult.status === 'rejected') {
    await stop();
    throw postgresResult.status === 'rejected'
      ? postgresResult.reason
      : (redisResult as PromiseRejectedResult).reason;
  }

  const databaseUrl = options.databaseUrl ?? embedded!.url;
  const queue: QueueBackend = redis?.queue ?? { backend: 'postgres', databaseUrl };
  options.debug?.(`Infrastructure ready in ${Date.now() - started} ms`);
  return { databaseUrl, postgres: embedded ? 'embedded' : 'env', queue, stop };
}

async function resolveRedis(
  options: InfrastructureOptions,
  dataDir: string,
): Promise<{ queue: QueueBackend; server?: SpawnedRedisServer } | undefined> {
  const configured = configuredRedis(options.redisUrl, options.redisTopology);
  if (configured) return { queue: configured };
  const localUrl = options.localRedisUrl ?? LOCAL_REDIS_URL;
  if (await redisAnswers(localUrl, LOCAL_REDIS_TIMEOUT_MS)) {
    return { queue: { backend: 'redis', url: localUrl, origin: 'local' } };
  }
  const executable =
    options.redisServer === undefined ? await findOnPath('redis-server') : options.redisServer;
  if (!executable) return undefined;
  const server = await spawnRedisServer({ dataDir, log: options.log, executable });
  return { queue: { backend: 'redis', url: server.url, origin: 'spawned' }, server };
}

/** The Redis that REDIS_URL and BATON_REDIS_MODE name, if they name one: used as it is. */
export function configuredRedis(
  url: string | undefined,
  topology: RedisTopology | null | undefined,
): QueueBackend | undefined {
  if (topology) return { backend: 'redis', url: url ?? '', origin: 'env', topology };
  return url ? { backend: 'redis', url, origin: 'env' } : undefined;
}

/** Which database, for the start-up lines. */
export function describeDatabase(
  infrastructure: Pick<Infrastructure, 'databaseUrl' | 'postgres'>,
  dataDir: string,
): string {
  if (infrastructure.postgres === 'env')
    return `Database: ${redactUrl(infrastructure.databaseUrl)} (DATABASE_URL)`;
  const port = new URL(infrastructure.databaseUrl).port;
  return `Database: embedded PostgreSQL on 127.0.0.1:${port}, data in ${resolve(dataDir)}/postgres`;
}

/** Where the queues are, for the start-up lines. */
export function describeQueue(queue: QueueBackend, dataDir: string): string {
  if (queue.backend === 'postgres') {
    return 'Queues: BullMQ PostgreSQL backend (no REDIS_URL, no Redis on 127.0.0.1:6379, no redis-server on PATH)';
  }
  switch (queue.topology?.mode) {
    case 'cluster':
      return `Queues: Redis Cluster through ${queue.topology.nodes.map(redactUrl).join(', ')} (REDIS_URL, BATON_REDIS_MODE=cluster)`;
    case 'sentinel': {
      const sentinels = queue.topology.sentinels.map(({ host, port }) => `${host}:${port}`).join(', ');
      return `Queues: Redis master "${queue.topology.name}" through the Sentinels ${sentinels} (BATON_REDIS_MODE=sentinel)`;
    }
    case undefined:
      break;
  }
  switch (queue.origin) {
    case 'env':
      return `Queues: Redis ${redactUrl(queue.url)} (REDIS_URL)`;
    case 'local':
      return `Queues: Redis ${redactUrl(queue.url)} (found running locally)`;
    case 'spawned':
      return `Queues: Redis ${queue.url} (redis-server started by Baton, data in ${dataDir}/redis)`;
  }
}

/** Redis before PostgreSQL, each bounded, the whole memoised so stop() is idempotent. */
function stopOnce(
  redis: SpawnedRedisServer | undefined,
  postgres: EmbeddedPostgresServer | undefined,
  log: (line: string) => void,
): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      if (redis && !redis.exited) {
        await redis.stop().catch((error: unknown) => log(`Redis: stop failed: ${String(error)}`));
      }
      if (postgres && !postgres.exited) {
        await postgres.stop().catch((error: unknown) => log(`PostgreSQL: stop failed: ${String(error)}`));
      }
    })());
}
