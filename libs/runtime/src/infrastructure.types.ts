/** Where BullMQ keeps its queues. */
export type QueueBackend =
  | {
      backend: 'redis';
      url: string;
      /** env: REDIS_URL; local: a Redis answering on 127.0.0.1:6379; spawned: our own redis-server. */
      origin: 'env' | 'local' | 'spawned';
    }
  | {
      /** BullMQ's PostgreSQL backend, in schema `bullmq` of the application's database. */
      backend: 'postgres';
      databaseUrl: string;
    };

export interface Infrastructure {
  databaseUrl: string;
  postgres: 'env' | 'embedded';
  queue: QueueBackend;
  /**
   * Stops only what startInfrastructure started: a spawned Redis first, then embedded PostgreSQL.
   * Bounded (about 4 s at worst), idempotent; call it after the application has closed its
   * connections.
   */
  stop(): Promise<void>;
}

export interface InfrastructureOptions {
  /** Use this PostgreSQL as is; unset: embedded PostgreSQL in `<dataDir>/postgres`. */
  databaseUrl?: string;
  /** Use this Redis as is; unset: a local Redis, else a spawned redis-server, else BullMQ's PostgreSQL backend. */
  redisUrl?: string;
  dataDir: string;
  /** What needs attention (a first initdb, a stale server stopped, a restart attempt). */
  log: (line: string) => void;
  /** Timings, for BATON_LOG_LEVEL=debug. */
  debug?: (line: string) => void;
  /** Where to look for an already running Redis. Default `redis://127.0.0.1:6379`. */
  localRedisUrl?: string;
  /** The redis-server to spawn. Default: `redis-server` from PATH; `null`: never spawn one. */
  redisServer?: string | null;
}
