import type { RedisTopology } from '@baton/config';

/** Where BullMQ keeps its queues. */
export type QueueBackend =
  | {
      backend: 'redis';
      /**
       * The Redis; with a cluster, its first seed node; with Sentinel, the master's credentials, `/N` and TLS
       * (its host is not used), or '' for none.
       */
      url: string;
      /** env: REDIS_URL; local: a Redis answering on 127.0.0.1:6379; spawned: our own redis-server. */
      origin: 'env' | 'local' | 'spawned';
      /** A Redis Cluster or a master behind Sentinel (BATON_REDIS_MODE); unset: one Redis at `url`. */
      topology?: RedisTopology;
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
  /** A Redis Cluster or Sentinel (BATON_REDIS_MODE): used as configured, never a local or spawned Redis. */
  redisTopology?: RedisTopology | null;
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
