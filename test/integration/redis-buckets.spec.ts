// The rate limit's shared count in a real Redis: two RedisBuckets stand for two api processes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { RateLimiter, RedisBuckets } from '@baton/api';

const url = process.env.BATON_TEST_REDIS_URL;
const prefix = `${process.env.BATON_TEST_QUEUE_PREFIX}:rate-${randomBytes(3).toString('hex')}:`;
const opened: RedisBuckets[] = [];

function buckets(rate: number, burst: number, redisUrl = url!, away: Error[] = []): RedisBuckets {
  const made = new RedisBuckets(
    (options) => new Redis(redisUrl, options),
    prefix,
    rate,
    burst,
    new RateLimiter(rate, burst),
    (error) => away.push(error),
  );
  opened.push(made);
  return made;
}

afterAll(() => {
  for (const made of opened) made.close();
});

describe('rate-limit buckets shared in Redis', () => {
  it('counts one caller once across processes: the burst is shared, then about `rate` a second', async () => {
    if (!url) return console.warn('skipped: needs Redis (the queues run on PostgreSQL here)');
    const [first, second] = [buckets(2, 6), buckets(2, 6)];
    const caller = `t:${randomBytes(6).toString('hex')}`;
    // Twelve requests at once, alternating processes: six go ahead, six are told to wait 1 s.
    const waits = await Promise.all(
      Array.from({ length: 12 }, (_, n) => (n % 2 === 0 ? first : second).take(caller)),
    );
    expect(waits.filter((wait) => wait === 0)).toHaveLength(6);
    expect(waits.filter((wait) => wait > 0).every((wait) => wait === 1)).toBe(true);
    // Another caller has its own bucket.
    expect(await second.take(`a:${randomBytes(6).toString('hex')}`)).toBe(0);
    // Half a second later one token has come back, for either process.
    await new Promise((resolve) => setTimeout(resolve, 550));
    expect(await second.take(caller)).toBe(0);
    expect(await first.take(caller)).toBe(1);
  });

  it('counts in the process when Redis does not answer, and says so', async () => {
    // A port that accepts connections and never answers: every call times out.
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const away: Error[] = [];
      const local = buckets(1, 3, `redis://127.0.0.1:${(silent.address() as AddressInfo).port}`, away);
      const started = Date.now();
      const waits = [];
      for (let n = 0; n < 5; n++) waits.push(await local.take('t:caller'));
      // The burst of 3, then waits: counted by the process's own buckets, the first call within 250 ms.
      expect(waits).toEqual([0, 0, 0, 1, 1]);
      expect(away).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      for (const made of opened.splice(0)) made.close();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
