import { Redis } from 'ioredis';

/**
 * BullMQ keeps delayed jobs (timers) and waiting jobs in Redis: a Redis that evicts keys under memory
 * pressure drops them silently. Says so, loudly, when `maxmemory-policy` is not `noeviction`.
 */
export async function warnUnlessNoEviction(
  url: string,
  warn: (line: string) => void,
): Promise<string | null> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? null;
    if (policy !== 'noeviction') {
      warn('');
      warn(`  WARNING: Redis maxmemory-policy is "${policy ?? 'unknown'}", not "noeviction".`);
      warn('  Under memory pressure Redis would evict BullMQ jobs: timers and notifications could be lost');
      warn('  until reconciliation puts them back. Set maxmemory-policy noeviction (and appendonly yes).');
      warn('');
    }
    return policy;
  } catch (error) {
    warn(`Could not read Redis maxmemory-policy (${(error as Error).message}); make sure it is noeviction`);
    return null;
  } finally {
    redis.disconnect();
  }
}
