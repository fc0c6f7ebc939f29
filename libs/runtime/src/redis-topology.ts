import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { HostPort } from '@baton/config';
import type { QueueBackend } from './infrastructure.types.js';

export type RedisBackend = Extract<QueueBackend, { backend: 'redis' }>;

/**
 * How to reach the Redis of `backend`, as ioredis options (plain data, so this library needs no ioredis at
 * load): one server by its URL, a cluster by its seed nodes, or the master the Sentinels name. What every
 * client adds (a name, retries, timeouts) comes on top, in @baton/core's createRedisClient.
 */
export type RedisReach =
  | { mode: 'standalone'; url: string }
  | { mode: 'cluster'; nodes: HostPort[]; redisOptions: RedisOptions; clusterOptions: ClusterOptions }
  | { mode: 'sentinel'; options: RedisOptions };

/**
 * After a failover a connection may still reach the old master, now a replica that refuses writes: such a
 * client reconnects (Sentinel then names the new master) and sends the command again.
 */
export function reconnectOnReadOnly(error: Error): 2 | false {
  return error.message.startsWith('READONLY') ? 2 : false;
}

export function redisReach(backend: RedisBackend): RedisReach {
  const topology = backend.topology;
  if (!topology) return { mode: 'standalone', url: backend.url };
  switch (topology.mode) {
    case 'cluster': {
      const nodes = topology.nodes.map((node) => {
        const url = new URL(node);
        return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port || 6379) };
      });
      return {
        mode: 'cluster',
        nodes,
        redisOptions: credentials(topology.nodes[0] ?? ''),
        clusterOptions: {
          // A failover takes the cluster a moment (cluster-node-timeout, then the election): keep trying its
          // slots meanwhile rather than failing the command.
          retryDelayOnClusterDown: 200,
          retryDelayOnFailover: 200,
          retryDelayOnTryAgain: 200,
          slotsRefreshTimeout: 2000,
          // While a failover is under way CLUSTER INFO says fail: a ready check failing then makes ioredis
          // reconnect and leave the connect() it was answering unsettled for good, and BullMQ awaits that
          // connect() when it renews a worker's blocking connection (the worker then takes no job again).
          enableReadyCheck: false,
        },
      };
    }
    case 'sentinel':
      return {
        mode: 'sentinel',
        options: {
          ...credentials(backend.url),
          sentinels: topology.sentinels,
          name: topology.name,
          // Sentinels announce a new master (+switch-master): connections move at once rather than on error.
          failoverDetector: true,
          reconnectOnError: reconnectOnReadOnly,
        },
      };
  }
}

/** The credentials, database and TLS of a redis:// or rediss:// URL ('' for none). */
function credentials(text: string): RedisOptions {
  if (text === '') return {};
  const url = new URL(text);
  const options: RedisOptions = {};
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  const db = Number(url.pathname.slice(1));
  if (url.pathname.length > 1 && Number.isInteger(db)) options.db = db;
  if (url.protocol === 'rediss:') options.tls = { servername: url.hostname };
  return options;
}
