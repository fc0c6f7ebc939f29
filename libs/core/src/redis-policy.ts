import { Cluster } from 'ioredis';
import { type RedisClients } from './redis-clients.js';

/**
 * BullMQ keeps delayed jobs (timers) and waiting jobs in Redis: a Redis that evicts keys under memory
 * pressure drops them silently. Says so, loudly, when `maxmemory-policy` is not `noeviction`: on the
 * server, on the master Sentinel names, or on every master of a cluster. Returns the policies read.
 */
export async function warnUnlessNoEviction(
  clients: RedisClients,
  warn: (line: string) => void,
): Promise<string[] | null> {
  const redis = clients.create('baton-policy-check', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const servers = redis instanceof Cluster ? redis.nodes('master') : [redis];
    const policies = await Promise.all(
      servers.map(async (server) => {
        const reply = (await server.config('GET', 'maxmemory-policy')) as string[];
        return {
          at: `${server.options.host ?? '?'}:${server.options.port ?? '?'}`,
          policy: reply[1] ?? null,
        };
      }),
    );
    const evicting = policies.filter(({ policy }) => policy !== 'noeviction');
    if (evicting.length > 0) {
      const which = evicting.map(
        ({ at, policy }) => `"${policy ?? 'unknown'}"${servers.length > 1 ? ` on ${at}` : ''}`,
      );
      warn('');
      warn(`  WARNING: Redis maxmemory-policy is ${which.join(', ')}, not "noeviction".`);
      warn('  Under memory pressure Redis would evict BullMQ jobs: timers and notifications could be lost');
      warn('  until reconciliation puts them back. Set maxmemory-policy noeviction (and appendonly yes).');
      warn('');
    }
    return policies.map(({ policy }) => policy ?? 'unknown');
  } catch (error) {
    warn(`Could not read Redis maxmemory-policy (${(error as Error).message}); make sure it is noeviction`);
    return null;
  } finally {
    redis.disconnect();
  }
}
