import { pino } from 'pino';
import { SharedLimits } from '../../src/infra/http/rate-limit';

/** The limiter on its own, counting in memory (the HTTP and WebSocket tests cover the doors and Redis). */
const limits = new SharedLimits(undefined, 'unit', pino({ level: 'silent' }));

test('3 a minute: a burst of 3, then refused until the minute is over; keys apart', async () => {
  const limiter = limits.limiter('unit', 3);
  expect(limiter.enabled).toBe(true);
  const verdicts = [];
  for (let i = 0; i < 4; i++) verdicts.push(await limiter.consume('a'));
  expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
  expect(verdicts[3].retryAfterSeconds).toBeGreaterThanOrEqual(1);
  expect(verdicts[3].retryAfterSeconds).toBeLessThanOrEqual(60);
  expect((await limiter.consume('b')).allowed).toBe(true);
  expect(limits.scope).toBe('per instance');
});

test('0 a minute is off', async () => {
  const limiter = limits.limiter('unit-off', 0);
  expect(limiter.enabled).toBe(false);
  const verdicts = await Promise.all(Array.from({ length: 1000 }, () => limiter.consume('a')));
  expect(verdicts.every((v) => v.allowed)).toBe(true);
});
