import { RateLimiter } from '../../src/infra/http/rate-limit';

/** The bucket's arithmetic, on a clock the test moves (the HTTP and WebSocket tests use the real one). */
test('a bucket of 3 a minute: a burst of 3, then one more every 20 s, and keys apart', () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(3, () => now);
  expect([1, 2, 3].map(() => limiter.consume('a').allowed)).toEqual([true, true, true]);
  expect(limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
  expect(limiter.consume('b').allowed).toBe(true);

  now += 15_000;
  expect(limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 5 });
  now += 5_000;
  expect(limiter.consume('a').allowed).toBe(true);
  expect(limiter.consume('a').allowed).toBe(false);

  now += 10 * 60_000; // a long pause refills the bucket, but never above its size
  expect([1, 2, 3, 4].map(() => limiter.consume('a').allowed)).toEqual([true, true, true, false]);
});

test('0 a minute is off', () => {
  const limiter = new RateLimiter(0);
  expect(Array.from({ length: 1000 }, () => limiter.consume('a').allowed).every(Boolean)).toBe(true);
});
