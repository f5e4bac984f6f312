import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { RawResponse, send } from './http';

/**
 * JSON POSTs to /graphql are served by the GraphQL door on node's own request; a media type
 * with any other parameter goes through express's stack. Both must answer alike.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ CORS_ORIGINS: 'https://app.dealstream.example' });
});
afterAll(() => t.stop());

const DOOR = 'application/json';
const EXPRESS = 'application/json; profile=express';

function post(contentType: string, body: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(t.url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
}

/** What must not depend on the door: status, body and the headers clients read. */
function visible(response: RawResponse) {
  const { headers } = response;
  return {
    status: response.status,
    body: response.body,
    contentType: headers.get('content-type'),
    allowOrigin: headers.get('access-control-allow-origin'),
    vary: headers.get('vary'),
    requestId: headers.get('x-request-id') !== null,
  };
}

async function expectAlike(body: string, headers: Record<string, string> = {}) {
  const [door, express] = await Promise.all([post(DOOR, body, headers), post(EXPRESS, body, headers)]);
  expect(visible(door)).toEqual(visible(express));
  // Only express hashes an ETag: proof that each request went the way it was meant to.
  if (door.status === 200) expect([door.headers.get('etag'), express.headers.get('etag')]).toEqual([null, expect.any(String)]);
  return door;
}

test('queries, request errors and resolver errors are answered alike', async () => {
  const ws = newWorkspace();
  const auth = { authorization: `Bearer ${ws.token('ADMIN')}` };
  expect((await expectAlike(JSON.stringify({ query: '{ me { role } }' }), auth)).body).toEqual({ data: { me: { role: 'ADMIN' } } });
  await expectAlike(JSON.stringify({ query: '{ nope }' }), auth);
  await expectAlike(JSON.stringify({ query: '{ me { role } }' }), { ...auth, accept: 'application/graphql-response+json' });
  await expectAlike(JSON.stringify({ query: '{ deal(id: "00000000-0000-4000-8000-000000000000") { id } }' }), auth);
  await expectAlike(JSON.stringify({ query: '{ me { id } }' }));
});

test('bodies that are empty, not JSON, not an object or too large are answered alike', async () => {
  expect((await expectAlike('')).status).toBe(400);
  expect((await expectAlike('{"query": ')).status).toBe(400);
  expect((await expectAlike('  "a string"')).status).toBe(400);
  expect((await expectAlike('\ufeff{"query":"{ __typename }"}')).status).toBe(200);
  expect((await expectAlike(JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(101 * 1024) }))).status).toBe(413);
});

test('CORS headers and the request id are the same through the door', async () => {
  const body = JSON.stringify({ query: '{ __typename }' });
  await expectAlike(body, { origin: 'https://app.dealstream.example' });
  await expectAlike(body, { origin: 'https://evil.example' });
  const kept = await post(DOOR, body, { 'x-request-id': 'lb-trace-0002' });
  expect(kept.headers.get('x-request-id')).toBe('lb-trace-0002');
});
