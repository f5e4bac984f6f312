import { createPipeline } from '../factories/pipeline.factory';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { badTokens } from './bad-tokens';
import { initialised, rawSocket, RawSocket } from './raw-socket';

let t: TestApp;
const sockets: RawSocket[] = [];
const track = (s: RawSocket) => (sockets.push(s), s);

beforeAll(async () => {
  t = await startTestApp({ WS_INIT_TIMEOUT_MS: '500' });
});
afterEach(() => {
  for (const s of sockets.splice(0)) s.ws.terminate();
});
afterAll(() => t.stop());

const ws = newWorkspace();
const admin = ws.token('ADMIN');

describe('graphql-transport-ws close codes', () => {
  test('4400: a message that is not of the protocol', async () => {
    const socket = track(await initialised(t.url, admin));
    socket.send({ type: 'nonsense' });
    expect((await socket.closed).code).toBe(4400);
  });

  test('4401: subscribe before the connection is acknowledged', async () => {
    const socket = track(rawSocket(t.url));
    await socket.opened;
    socket.send({ id: '1', type: 'subscribe', payload: { query: '{ __typename }' } });
    expect((await socket.closed).code).toBe(4401);
  });

  test('4403: connection_init without a token', async () => {
    const socket = track(rawSocket(t.url));
    await socket.opened;
    socket.send({ type: 'connection_init', payload: {} });
    expect((await socket.closed).code).toBe(4403);
  });

  test.each(Object.entries(badTokens(ws.id)))('4403: a token with %s', async (_what, token) => {
    const socket = track(rawSocket(t.url));
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
    const { code } = await socket.closed;
    expect(code).toBe(4403);
    expect(socket.messages).toEqual([]);
  });

  test('4406: no graphql-transport-ws subprotocol', async () => {
    const socket = track(rawSocket(t.url, { protocol: '' }));
    expect((await socket.closed).code).toBe(4406);
  });

  test('4408: no connection_init within the init timeout', async () => {
    const socket = track(rawSocket(t.url));
    await socket.opened;
    expect((await socket.closed).code).toBe(4408);
  });

  test('4409: a second subscribe with an id already running', async () => {
    const pipeline = await createPipeline(t.url, admin, 2);
    const socket = track(await initialised(t.url, admin));
    const subscribe = { id: 'same', type: 'subscribe', payload: { query: 'subscription ($p: ID!) { dealEvents(pipelineId: $p) { seq } }', variables: { p: pipeline.id } } };
    socket.send(subscribe);
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.send(subscribe);
    expect((await socket.closed).code).toBe(4409);
  });

  test('4429: a second connection_init', async () => {
    const socket = track(await initialised(t.url, admin));
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } });
    expect((await socket.closed).code).toBe(4429);
  });
});

describe('the query limits on the WebSocket door', () => {
  const overLimit: Record<string, string> = {
    depth: `{ deals(first: 1) { nodes { pipeline { stages { pipeline { stages { pipeline { stages { pipeline { stages { id } } } } } } } } } } }`,
    aliases: `{ ${Array.from({ length: 21 }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    directives: `{ ${'... @include(if: true) { __typename } '.repeat(51)} }`,
    tokens: `{ ${'__typename ... on Query { '.repeat(333)}__typename${' }'.repeat(333)} }`,
    cost: '{ deals(first: 500) { nodes { pipeline { deals(first: 500) { nodes { id } } } } } }',
  };

  test.each(Object.entries(overLimit))('%s over the limit: QUERY_TOO_COMPLEX for that operation, the socket stays open', async (limit, query) => {
    const socket = track(await initialised(t.url, admin));
    socket.send({ id: 'big', type: 'subscribe', payload: { query } });
    const error = await socket.next('error');
    expect(error.id).toBe('big');
    const errors = error.payload as { extensions?: { code?: string; limit?: string } }[];
    expect(errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(errors[0].extensions?.limit).toBe(limit);

    socket.send({ id: 'small', type: 'subscribe', payload: { query: '{ me { id } }' } });
    const next = await socket.next('next');
    expect(next).toMatchObject({ id: 'small', payload: { data: { me: { id: 'admin-user' } } } });
  });

  test('a page size in a variable is priced with its value over the WebSocket', async () => {
    const socket = track(await initialised(t.url, admin));
    const query = 'query ($n: Int) { deals(first: $n) { nodes { pipeline { deals(first: $n) { nodes { id } } } } } }';
    socket.send({ id: 'small', type: 'subscribe', payload: { query, variables: { n: 5 } } });
    expect(await socket.next('next')).toMatchObject({ id: 'small', payload: { data: { deals: { nodes: [] } } } });
    socket.send({ id: 'big', type: 'subscribe', payload: { query, variables: { n: 500 } } });
    const error = await socket.next('error');
    expect((error.payload as { extensions?: { code?: string } }[])[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });
});
