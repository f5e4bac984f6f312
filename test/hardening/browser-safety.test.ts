import { sql } from '../helpers/database';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { codes, postQuery, send } from './http';
import { badTokens } from './bad-tokens';
import { rawSocket } from './raw-socket';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ CORS_ORIGINS: 'https://app.dealstream.example' });
});
afterAll(() => t.stop());

const createLead = (name: string) => `mutation { createLead(input: { name: "${name}", source: INBOUND }) { id } }`;

async function leadsNamed(workspaceId: string, name: string): Promise<number> {
  const rows = await sql<{ n: string }>('SELECT count(*) AS n FROM leads WHERE workspace_id = $1 AND name = $2', [workspaceId, name]);
  return Number(rows[0].n);
}

describe('CSRF prevention', () => {
  test('a GET without a preflight-forcing header is refused, with one it is served', async () => {
    const url = `${t.url}?query=${encodeURIComponent('{ __typename }')}`;
    const simple = await send(url);
    expect(simple.status).toBe(400);
    expect(simple.body?.data).toBeUndefined();
    const preflighted = await send(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(preflighted.status).toBe(200);
    expect(preflighted.body?.data).toEqual({ __typename: 'Query' });
  });

  test('a form POST (text/plain, as a cross-site form can send) is refused and writes nothing', async () => {
    const ws = newWorkspace();
    const response = await send(t.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${ws.token('ADMIN')}` },
      body: JSON.stringify({ query: createLead('csrf') }),
    });
    expect(response.status).toBe(400);
    expect(await leadsNamed(ws.id, 'csrf')).toBe(0);
  });
});

test('a mutation over GET is refused (405) and writes nothing', async () => {
  const ws = newWorkspace();
  const url = `${t.url}?query=${encodeURIComponent(createLead('over get'))}`;
  const response = await send(url, { headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${ws.token('ADMIN')}` } });
  expect(response.status).toBe(405);
  expect(response.body?.data).toBeUndefined();
  expect(await leadsNamed(ws.id, 'over get')).toBe(0);
});

test('a batch (a JSON array of operations) is refused and runs none of them', async () => {
  const ws = newWorkspace();
  const response = await send(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.token('ADMIN')}` },
    body: JSON.stringify([{ query: createLead('batched') }, { query: createLead('batched') }]),
  });
  expect(response.status).toBe(400);
  expect(await leadsNamed(ws.id, 'batched')).toBe(0);
});

test('a body over 100 KB is answered 413 with a GraphQL error, and writes nothing', async () => {
  const ws = newWorkspace();
  const padding = 'x'.repeat(101 * 1024);
  const response = await postQuery(t.url, createLead('huge'), { token: ws.token('ADMIN'), variables: { padding } });
  expect(response.status).toBe(413);
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  expect(await leadsNamed(ws.id, 'huge')).toBe(0);
});

test('a body that is not JSON is answered 400 with a GraphQL error', async () => {
  const response = await send(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
  expect(response.status).toBe(400);
  expect(codes(response)).toEqual(['BAD_USER_INPUT']);
});

describe('CORS allow-list', () => {
  const preflight = (origin: string) => send(t.url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
  });

  test('an allowed origin gets CORS headers', async () => {
    const response = await preflight('https://app.dealstream.example');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.dealstream.example');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    const post = await postQuery(t.url, '{ __typename }', { headers: { origin: 'https://app.dealstream.example' } });
    expect(post.headers.get('access-control-allow-origin')).toBe('https://app.dealstream.example');
  });

  test('another origin gets none, so a browser keeps the answer from its page', async () => {
    const response = await preflight('https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const post = await postQuery(t.url, '{ __typename }', { headers: { origin: 'https://evil.example' } });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('WebSocket handshake Origin', () => {
  test('a foreign Origin is refused with 403 before any GraphQL', async () => {
    const socket = rawSocket(t.url, { origin: 'https://evil.example' });
    await expect(socket.opened).rejects.toThrow('handshake refused: 403');
  });

  test('an allowed Origin, the API own origin and no Origin (not a browser) are accepted', async () => {
    const own = new URL(t.url).origin;
    for (const origin of ['https://app.dealstream.example', own, undefined]) {
      const socket = rawSocket(t.url, { origin });
      await socket.opened;
      socket.ws.terminate();
    }
  });
});

describe('JWT hardening over HTTP', () => {
  const ws = newWorkspace();
  test.each(Object.entries(badTokens(ws.id)))('a token with %s is UNAUTHENTICATED and provisions nothing', async (_what, token) => {
    const response = await postQuery(t.url, '{ me { id } }', { token });
    expect(codes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.body?.data ?? null).toBeNull();
    expect(await sql('SELECT 1 FROM workspaces WHERE id = $1', [ws.id])).toEqual([]);
  });
});
