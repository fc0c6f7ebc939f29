import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@baton/config';
import { RateLimit, RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then one request per 1/rate seconds, per caller', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 500;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    now += 10_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([
      0, 0, 0, 1,
    ]);
  });
});

describe('RateLimit', () => {
  const limits = () => new RateLimit(loadConfig({ BATON_RATE_LIMIT: '0.1', BATON_RATE_BURST: '2' }));

  it('counts requests with unknown tokens against their address', async () => {
    const rate = limits();
    expect(await rate.take('Bearer made-up-1', '10.0.0.1')).toEqual({ wait: 0, by: 'address' });
    expect(await rate.take('Bearer made-up-2', '10.0.0.1')).toEqual({ wait: 0, by: 'address' });
    expect((await rate.take('Bearer made-up-3', '10.0.0.1')).wait).toBeGreaterThan(0);
    expect((await rate.take(undefined, '10.0.0.1')).wait).toBeGreaterThan(0);
    expect((await rate.take('Bearer made-up-4', '10.0.0.2')).wait).toBe(0);
  });

  it('gives a token that authenticated a bucket of its own, until it fails to', async () => {
    const rate = limits();
    await rate.take(undefined, '10.0.0.1');
    await rate.take(undefined, '10.0.0.1');
    rate.trust('Bearer good');
    expect(await rate.take('Bearer good', '10.0.0.1')).toEqual({ wait: 0, by: 'token' });
    rate.distrust('Bearer good');
    expect((await rate.take('Bearer good', '10.0.0.1')).by).toBe('address');
  });
});
