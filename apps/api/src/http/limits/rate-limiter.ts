import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { ExpiringSet } from '@baton/access';
import { type BatonConfig } from '@baton/config';
import { BATON_CONFIG, REDIS_CLIENTS, RedisClients } from '@baton/core';
import { Queues } from '@baton/queues';
import { RedisBuckets } from './redis-buckets.js';

/**
 * Token buckets per caller, in this process: `rate` requests per second on average, bursts up to `burst`.
 * The count of a single process, and of every process while the shared count in Redis is away.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** 0 when the request may go ahead, else the seconds to wait (for Retry-After). */
  take(caller: string): number {
    const now = this.now();
    const bucket = this.buckets.get(caller) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate);
    bucket.at = now;
    this.buckets.set(caller, bucket);
    if (this.buckets.size > 100_000) this.forgetIdle(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.rate));
  }

  /** Drops full buckets: a caller idle long enough to refill is the same as a new one. */
  private forgetIdle(now: number): void {
    for (const [caller, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.rate >= this.burst) this.buckets.delete(caller);
    }
  }
}

/** How long a token that authenticated keeps a bucket of its own without authenticating again. */
const TRUSTED_MS = 5 * 60_000;
const TRUSTED_KEPT = 100_000;

/**
 * Which bucket a request counts against, chosen before it is authenticated: a token seen to authenticate
 * lately has its own; any other request (no token, a made-up one, one not yet seen) counts against its
 * address. So a flood of random tokens from one address is limited like that address, and each of its
 * requests never reaches the database once the address's burst is spent.
 */
@Injectable()
export class RateLimit implements OnApplicationShutdown {
  private readonly local: RateLimiter;
  /** The count every api process shares, when the queues run on Redis. */
  private readonly shared: RedisBuckets | null;
  private readonly trusted = new ExpiringSet(TRUSTED_KEPT, TRUSTED_MS);
  private readonly logger = new Logger('RateLimit');

  constructor(
    @Inject(BATON_CONFIG) config: BatonConfig,
    @Optional() @Inject(REDIS_CLIENTS) clients?: RedisClients,
    @Optional() queues?: Queues,
  ) {
    const { perSecond, burst } = config.rateLimit;
    this.local = new RateLimiter(perSecond, burst);
    this.shared =
      clients && queues
        ? new RedisBuckets(
            (options) => clients.create('baton-rate-limit', options),
            // In the queues' prefix: on a cluster, in their hash tag's slot (the script has one key anyway).
            `${queues.prefix}:baton:rate:`,
            perSecond,
            burst,
            this.local,
            (error) =>
              this.logger.warn(
                `Redis did not answer (${error.message}): requests are counted in this process for now`,
              ),
          )
        : null;
  }

  /** 0 when the request may go ahead, else the seconds to wait; and what it counted against. */
  async take(
    authorization: string | undefined,
    address: string,
  ): Promise<{ wait: number; by: 'token' | 'address' }> {
    const token = authorization ? tokenKey(authorization) : null;
    const by = token && this.trusted.has(token) ? 'token' : 'address';
    const caller = by === 'token' ? `t:${token}` : `a:${address}`;
    return { wait: await (this.shared ?? this.local).take(caller), by };
  }

  onApplicationShutdown(): void {
    this.shared?.close();
  }

  /** The request with this Authorization header authenticated: its token's requests count against it. */
  trust(authorization: string): void {
    this.trusted.add(tokenKey(authorization));
  }

  /** Its token did not authenticate (revoked meanwhile): back to its address's bucket. */
  distrust(authorization: string): void {
    this.trusted.delete(tokenKey(authorization));
  }
}

/** Tokens stay out of memory: a hash stands for each. */
function tokenKey(authorization: string): string {
  return createHash('sha256').update(authorization).digest('base64url').slice(0, 22);
}
