import type { ConnectionOptions } from 'bullmq';
import type { QueueBackend } from './infrastructure.types.js';
import { type RedisBackend, redisReach } from './redis-topology.js';

// BullMQ is loaded when the backend is configured, not with this library: `npm start` imports the
// launchers first and starts PostgreSQL before it loads the rest.
let bullmq: typeof import('bullmq') | undefined;

/** The PostgreSQL schema BullMQ's PostgreSQL backend keeps its tables and functions in. */
export const QUEUE_SCHEMA = 'bullmq';

/** Each Queue, Worker and QueueEvents on the PostgreSQL backend owns a pool this size plus one LISTEN connection. */
const POSTGRES_POOL_SIZE = 5;

/**
 * The `connection` for `new Queue(name, { ...queueConnection(q), prefix })`, `new Worker(...)` and
 * `new QueueEvents(...)`, on either backend. For PostgreSQL, configureQueueBackend() must have run
 * first: the connection is a node-postgres pool config, which the Redis backend would misread.
 */
export function queueConnection(queue: QueueBackend): { connection: ConnectionOptions } {
  switch (queue.backend) {
    case 'redis':
      return redisConnection(queue);
    case 'postgres':
      if (!bullmq || (bullmq.getDefaultBackendFactory() as unknown) !== bullmq.createPostgresBackend) {
        throw new Error('Call configureQueueBackend() before creating queues on the PostgreSQL backend');
      }
      // BullMQ's connection type names only Redis options; a pg pool config fits its index signature.
      return {
        connection: {
          connectionString: queue.databaseUrl,
          schema: QUEUE_SCHEMA,
          max: POSTGRES_POOL_SIZE,
          application_name: 'baton-queue',
        },
      };
  }
}

function redisConnection(queue: RedisBackend): { connection: ConnectionOptions } {
  const reach = redisReach(queue);
  switch (reach.mode) {
    case 'standalone':
      // ioredis parses the URL (auth, TLS for rediss://, /N database); BullMQ sets
      // maxRetriesPerRequest: null on the connections that block.
      return { connection: { url: queue.url } };
    case 'sentinel':
      // BullMQ makes each connection from these options, so each asks the Sentinels for the master.
      // (ioredis' options type and BullMQ's own spelling of it differ in detail, not in meaning.)
      return { connection: reach.options as ConnectionOptions };
    case 'cluster':
      throw new Error('A Redis Cluster connection is an ioredis Cluster client: take it from RedisClients');
  }
}

/**
 * Makes BullMQ's process-wide default backend match `queue`, before any Queue or Worker exists.
 * PostgreSQL: applies BullMQ's schema migrations (idempotent, serialised by an advisory lock, so
 * every api and worker process may run it at start) and selects createPostgresBackend.
 * Redis: restores the default Redis backend.
 */
export async function configureQueueBackend(queue: QueueBackend): Promise<void> {
  bullmq ??= await import('bullmq');
  const { createPostgresBackend, PostgresConnection, setDefaultBackendFactory } = bullmq;
  switch (queue.backend) {
    case 'redis':
      setDefaultBackendFactory();
      return;
    case 'postgres': {
      // BullMQ's runMigrations() on one session of a pool it builds (and closes) itself.
      const connection = new PostgresConnection({
        connectionString: queue.databaseUrl,
        schema: QUEUE_SCHEMA,
        migrate: true,
        max: 1,
        application_name: 'baton-queue-migrate',
      });
      try {
        await connection.waitUntilReady();
      } finally {
        await connection.close();
      }
      setDefaultBackendFactory(createPostgresBackend);
      return;
    }
  }
}
