import Redis from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/** The verdict of a rate limiter: allowed, or refused with when to retry. */
export interface RateVerdict {
  allowed: boolean;
  /** Whole seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/** Where limits count now: across the deployment (Redis), or in this instance alone. */
export type LimitScope = 'shared' | 'per instance' | 'per instance: Redis unreachable';

/** `perMinute` actions a minute per key (a fixed one-minute window); 0 = off. */
export class RateLimiter {
  constructor(private readonly perMinute: number, private readonly limiter?: RateLimiterAbstract) {}

  /** False when the limit is off (0): callers may skip it altogether. */
  get enabled(): boolean {
    return this.perMinute > 0 && this.limiter !== undefined;
  }

  /** Counts one action for `key`. */
  async consume(key: string): Promise<RateVerdict> {
    if (this.perMinute <= 0 || !this.limiter) return { allowed: true, retryAfterSeconds: 0 };
    try {
      await this.limiter.consume(key);
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
    }
  }
}

/**
 * The limiters of one app instance. With `REDIS_URL` they count in Redis, so N instances
 * allow the limit once, not N times. While Redis is unreachable each limiter falls back to
 * counting in this instance (rate-limiter-flexible's insurance limiter), so traffic is
 * limited, never refused wholesale; the instance logs the change both ways and `/readyz`
 * reports the scope. Without `REDIS_URL` they count in memory, per instance.
 */
export class SharedLimits {
  private readonly redis?: Redis;
  private reachable = false;

  /** `namespace` keeps deployments that share a Redis apart (the database's name). */
  constructor(redisUrl: string | undefined, private readonly namespace: string, private readonly logger: Logger) {
    if (!redisUrl) return;
    // No offline queue: while Redis is away a command fails at once and the local count takes over.
    this.redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    this.redis.on('ready', () => {
      if (!this.reachable) logger.info('Redis reachable: rate and connection limits count across every instance');
      this.reachable = true;
    });
    let warned = false;
    this.redis.on('error', (err) => {
      if (this.reachable || !warned) logger.warn({ err }, 'Redis unreachable: rate and connection limits count per instance until it is back');
      warned = true;
      this.reachable = false;
    });
    this.redis.on('end', () => { this.reachable = false; });
  }

  get scope(): LimitScope {
    if (!this.redis) return 'per instance';
    return this.reachable && this.redis.status === 'ready' ? 'shared' : 'per instance: Redis unreachable';
  }

  /** A limiter of `perMinute` per key; `name` keeps its counts apart from the other limiters'. */
  limiter(name: string, perMinute: number): RateLimiter {
    if (perMinute <= 0) return new RateLimiter(0);
    const local = new RateLimiterMemory({ points: perMinute, duration: 60 });
    if (!this.redis) return new RateLimiter(perMinute, local);
    return new RateLimiter(perMinute, new RateLimiterRedis({
      storeClient: this.redis, keyPrefix: `dealstream:${this.namespace}:${name}`, points: perMinute, duration: 60,
      rejectIfRedisNotReady: true, insuranceLimiter: local,
    }));
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}
