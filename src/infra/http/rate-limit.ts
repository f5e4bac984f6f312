/** The verdict of a rate limiter: allowed, or refused with when to retry. */
export interface RateVerdict {
  allowed: boolean;
  /** Whole seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * A token bucket per key: `perMinute` requests a minute, in bursts of up to `perMinute`.
 * In memory and per process (each instance limits on its own); idle buckets are dropped,
 * so memory follows the number of active callers, not of all callers ever seen.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly ratePerMs: number;
  private lastSweep = Date.now();

  constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {
    this.ratePerMs = perMinute / 60_000;
  }

  /** Takes one token for `key`. */
  consume(key: string): RateVerdict {
    if (this.perMinute <= 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * this.ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerMs / 1000)) };
  }

  /** A bucket idle for a minute is full again: forget it. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= 60_000) this.buckets.delete(key);
  }
}
