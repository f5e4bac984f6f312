import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { codes, postQuery } from './http';
import { initialised, rawSocket } from './raw-socket';

describe('rate limits, when turned on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', WS_CONNECTIONS_PER_MINUTE: '2' });
  });
  afterAll(() => t.stop());

  test('HTTP: a user over the rate gets 429, RATE_LIMITED and when to retry; another user does not', async () => {
    const ws = newWorkspace();
    const alice = ws.token('REP', 'alice');
    for (let i = 0; i < 3; i++) expect((await postQuery(t.url, '{ me { id } }', { token: alice })).status).toBe(200);
    const refused = await postQuery(t.url, '{ me { id } }', { token: alice });
    expect(refused.status).toBe(429);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    // 3 a minute: the count starts again when the caller's minute is over.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body?.errors?.[0].extensions?.retryAfterSeconds).toBe(retryAfter);

    const bob = await postQuery(t.url, '{ me { id } }', { token: ws.token('REP', 'bob') });
    expect(bob.body?.data).toEqual({ me: { id: 'bob' } });
  });

  test('HTTP: a forged token counts against the address, not a fresh budget', async () => {
    for (let i = 0; i < 3; i++) await postQuery(t.url, '{ __typename }', { token: `forged-${i}` });
    expect(codes(await postQuery(t.url, '{ __typename }', { token: 'forged-again' }))).toEqual(['RATE_LIMITED']);
  });

  test('WebSocket: a user over the connection rate is closed with 4429 and a retry hint', async () => {
    const token = newWorkspace().token('ANALYST');
    const first = await initialised(t.url, token);
    const second = await initialised(t.url, token);
    const third = rawSocket(t.url);
    await third.opened;
    third.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    const closed = await third.closed;
    expect(closed.code).toBe(4429);
    expect(closed.reason).toMatch(/^RATE_LIMITED: too many connections; retry in \d+ s$/);
    expect(third.messages).toEqual([]);
    first.ws.terminate();
    second.ws.terminate();
  });
});

test('rate limits are off under NODE_ENV=test unless turned on', async () => {
  const t = await startTestApp();
  try {
    const token = newWorkspace().token('REP');
    const answers = await Promise.all(Array.from({ length: 50 }, () => postQuery(t.url, '{ __typename }', { token })));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
  } finally {
    await t.stop();
  }
});
