import type { Cluster, Redis, RedisOptions } from 'ioredis';

/**
 * A token bucket in one Redis hash, refilled by Redis's own clock (every api process agrees on the time) and
 * taken from in one script, so concurrent requests through different processes never both take the last
 * token. Returns 0 when the request may go ahead, else the seconds to wait. The hash expires once it would
 * be full again: an idle caller costs nothing.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or burst
local at = tonumber(bucket[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) / 1000 * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.max(1, math.ceil((1 - tokens) / rate)) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return wait
`;

/** A call to Redis slower than this counts as Redis being away. */
const ANSWER_WITHIN_MS = 250;
/** After a failure, requests are counted in this process for this long before Redis is asked again. */
const AWAY_FOR_MS = 5000;

type WithTake = (Redis | Cluster) & {
  batonTakeToken(key: string, rate: number, burst: number): Promise<number>;
};

/**
 * Rate-limit buckets shared by every api process through Redis: N replicas allow the configured rate, not N
 * times it. When Redis does not answer, each process counts in its own buckets (`local`) until Redis answers
 * again, so an outage of Redis never refuses or stalls a request for want of a count.
 */
export class RedisBuckets {
  private readonly redis: WithTake;
  private awayUntil = 0;

  constructor(
    /** Makes the client, with these options, for the Redis the queues use (RedisClients.create). */
    connect: (options: RedisOptions) => Redis | Cluster,
    private readonly keyPrefix: string,
    private readonly rate: number,
    private readonly burst: number,
    /** This process's own count (a RateLimiter). */
    private readonly local: { take(caller: string): number },
    private readonly away: (error: Error) => void,
  ) {
    this.redis = connect({
      // A call made while (re)connecting waits for the connection, bounded by ANSWER_WITHIN_MS: past it the
      // local count takes over.
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
    }) as WithTake;
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('batonTakeToken', { numberOfKeys: 1, lua: TAKE });
  }

  async take(caller: string): Promise<number> {
    if (Date.now() < this.awayUntil) return this.local.take(caller);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        // The limits are part of the key: processes configured alike share a bucket, others do not.
        this.redis.batonTakeToken(
          `${this.keyPrefix}${this.rate}/${this.burst}:${caller}`,
          this.rate,
          this.burst,
        ),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer in ${ANSWER_WITHIN_MS} ms`)),
            ANSWER_WITHIN_MS,
          );
        }),
      ]);
    } catch (error) {
      this.awayUntil = Date.now() + AWAY_FOR_MS;
      this.away(error as Error);
      return this.local.take(caller);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}
