import type { ConnectionOptions } from 'bullmq';
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';
import { queueConnection, type RedisBackend, redisReach } from '@baton/runtime';

/** A client of a single Redis, of the master behind Sentinel, or of a whole Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** Options that belong to a Cluster client itself rather than to its connection to each node. */
const CLUSTER_LEVEL = ['lazyConnect', 'enableOfflineQueue', 'enableReadyCheck'] as const;

/**
 * Every Redis client Baton makes comes from here, built for the topology REDIS_URL and BATON_REDIS_MODE
 * describe: the BullMQ queues' and workers' connection, the shared rate-limit buckets, the reconciler's
 * sentinel key, the eviction-policy check at start.
 */
export class RedisClients {
  /** The one Cluster client every Queue shares (a Worker duplicates it for its blocking reads). */
  private sharedCluster: Cluster | null = null;

  constructor(readonly backend: RedisBackend) {}

  get mode(): 'standalone' | 'cluster' | 'sentinel' {
    return this.backend.topology?.mode ?? 'standalone';
  }

  /** A new client for Baton's own commands, named `name` on the server (CLIENT LIST); the caller closes it. */
  create(name: string, options: RedisOptions = {}): RedisClient {
    const reach = redisReach(this.backend);
    switch (reach.mode) {
      case 'standalone':
        return new Redis(reach.url, { connectionName: name, ...options });
      case 'sentinel':
        return new Redis({ ...reach.options, connectionName: name, ...options });
      case 'cluster': {
        const clusterLevel: ClusterOptions = {};
        const nodeLevel: RedisOptions = { ...reach.redisOptions, connectionName: name, ...options };
        for (const key of CLUSTER_LEVEL) {
          if (key in nodeLevel) {
            Object.assign(clusterLevel, { [key]: nodeLevel[key] });
            delete nodeLevel[key];
          }
        }
        return new Cluster(reach.nodes, {
          ...reach.clusterOptions,
          ...clusterLevel,
          redisOptions: nodeLevel,
        });
      }
    }
  }

  /**
   * The `connection` for BullMQ's Queue, Worker and QueueEvents. A single Redis or Sentinel: options from
   * which BullMQ makes each connection. A cluster: one shared Cluster client (BullMQ's own guidance), with
   * `maxRetriesPerRequest: null` as BullMQ requires of the connections its workers duplicate to block on.
   */
  queueConnection(): { connection: ConnectionOptions } {
    if (this.mode !== 'cluster') return queueConnection(this.backend);
    if (!this.sharedCluster) {
      this.sharedCluster = this.create('baton-queues', { maxRetriesPerRequest: null }) as Cluster;
      // Errors surface on the calls that fail; an unhandled 'error' event would crash the process.
      this.sharedCluster.on('error', () => undefined);
    }
    return { connection: this.sharedCluster };
  }

  /** Closes what this made for the queues; call it after the queues and workers have closed. */
  async close(): Promise<void> {
    const cluster = this.sharedCluster;
    this.sharedCluster = null;
    if (cluster) await cluster.quit().catch(() => cluster.disconnect());
  }
}
