import { Writable } from 'node:stream';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { codes, postQuery } from './http';
import { initialised, rawSocket } from './raw-socket';

/**
 * Limits across instances: with REDIS_URL two instances allow the limit once between them;
 * with a Redis that cannot be reached each instance limits on its own and says so.
 * Every caller here is a fresh workspace's user, so runs sharing the Redis never meet.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const limits = { RATE_LIMIT_PER_MINUTE: '4', WS_CONNECTIONS_PER_MINUTE: '2' };

const readyz = async (t: TestApp) => {
  const response = await fetch(t.url.replace('/graphql', '/readyz'));
  return { status: response.status, body: await response.json() as { status: string; details: { limits: string } } };
};

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('with a reachable Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([startTestApp({ ...limits, REDIS_URL }), startTestApp({ ...limits, REDIS_URL })]);
    await until(async () => (await readyz(a)).body.details.limits === 'shared' && (await readyz(b)).body.details.limits === 'shared', 'Redis');
  });
  afterAll(() => Promise.all([a.stop(), b.stop()]));

  test('HTTP: two instances allow one limit between them', async () => {
    const token = newWorkspace().token('REP');
    const statuses = [];
    for (const t of [a, b, a, b]) statuses.push((await postQuery(t.url, '{ me { id } }', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // Each instance has seen only 2 of this caller's requests; the shared count is at 4.
    const refused = await postQuery(a.url, '{ me { id } }', { token });
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(codes(await postQuery(b.url, '{ me { id } }', { token }))).toEqual(['RATE_LIMITED']);
    // Another caller has a budget of its own.
    expect((await postQuery(b.url, '{ me { id } }', { token: newWorkspace().token('REP') })).status).toBe(200);
  });

  test('WebSocket: connections count across instances', async () => {
    const token = newWorkspace().token('ANALYST');
    const first = await initialised(a.url, token);
    const second = await initialised(b.url, token);
    const third = rawSocket(a.url);
    await third.opened;
    third.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    expect((await third.closed).code).toBe(4429);
    first.ws.terminate();
    second.ws.terminate();
  });
});

test('with Redis unreachable: the instance limits on its own, says so in its log and /readyz, and serves', async () => {
  const lines: string[] = [];
  const log = new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } });
  // Port 1 on loopback: nothing listens there, connections are refused.
  const t = await startTestApp({ ...limits, REDIS_URL: 'redis://127.0.0.1:1', LOG_LEVEL: 'warn' }, { logDestination: log });
  try {
    const token = newWorkspace().token('REP');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await postQuery(t.url, '{ me { id } }', { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect((await postQuery(t.url, '{ me { id } }', { token: newWorkspace().token('REP') })).status).toBe(200);

    const ready = await readyz(t);
    expect(ready.status).toBe(200);
    expect(ready.body.details.limits).toBe('per instance: Redis unreachable');
    await until(async () => lines.some((line) => line.includes('Redis unreachable: rate and connection limits count per instance')), 'the log line');
  } finally {
    await t.stop();
  }
});

test('without REDIS_URL limits count per instance, and /readyz says so', async () => {
  const t = await startTestApp();
  try {
    expect((await readyz(t)).body).toEqual({ status: 'ready', details: { limits: 'per instance' } });
  } finally {
    await t.stop();
  }
});
