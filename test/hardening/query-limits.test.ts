import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { codes, postQuery } from './http';
import { initialised } from './raw-socket';

let t: TestApp;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  token = newWorkspace().token('ADMIN');
});
afterAll(() => t.stop());

const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/** `{ deals(first: 1) { nodes { pipeline { stages { … id } } } } }` with `levels` fields in all. */
function nested(levels: number): string {
  const chain = ['deals(first: 1)', 'nodes', 'pipeline'];
  while (chain.length < levels - 1) chain.push(chain.length % 2 === 1 ? 'stages' : 'pipeline');
  chain.push('id');
  return chain.reduceRight((inner, field) => (inner ? `${field} { ${inner} }` : field), '');
}

async function expectTooComplex(query: string, limit: string) {
  const strict = await postQuery(t.url, `{ ${query} }`, { token, accept: GRAPHQL_RESPONSE });
  expect(strict.status).toBe(400);
  expect(codes(strict)).toEqual(['QUERY_TOO_COMPLEX']);
  expect(strict.body?.errors?.[0].extensions?.limit).toBe(limit);
  expect(strict.body).not.toHaveProperty('data');
  // Plain JSON clients read errors from a 200, as the GraphQL-over-HTTP spec asks.
  const plain = await postQuery(t.url, `{ ${query} }`, { token, accept: 'application/json' });
  expect(plain.status).toBe(200);
  expect(codes(plain)).toEqual(['QUERY_TOO_COMPLEX']);
}

async function expectServed(query: string) {
  const response = await postQuery(t.url, `{ ${query} }`, { token, accept: GRAPHQL_RESPONSE });
  expect(response.body?.errors).toBeUndefined();
  expect(response.status).toBe(200);
  expect(response.body?.data).toBeDefined();
}

test('depth: 10 levels are served, 11 are refused', async () => {
  await expectServed(nested(10));
  await expectTooComplex(nested(11), 'depth');
});

test('depth follows fragments', async () => {
  const response = await postQuery(t.url, `{ ...A } fragment A on Query { ${nested(11)} }`, { token });
  expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
});

test('aliases: 20 are served, 21 are refused', async () => {
  const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ');
  await expectServed(aliases(20));
  await expectTooComplex(aliases(21), 'aliases');
});

test('directives: 50 are served, 51 are refused', async () => {
  const directives = (n: number) => '... @include(if: true) { __typename } '.repeat(n);
  await expectServed(directives(50));
  await expectTooComplex(directives(51), 'directives');
});

/**
 * `{ m × __typename, then k × (__typename ... on Query {), __typename, k × }, }` is 6k + 3 + m
 * tokens. Nested fragments keep graphql-js's own field-merging budget out of the way.
 */
function tokens(k: number, m: number): string {
  return `${'__typename '.repeat(m)}${'__typename ... on Query { '.repeat(k)}__typename${' }'.repeat(k)}`;
}

test('tokens: 2,000 are served, 2,001 are refused', async () => {
  await expectServed(tokens(332, 5));
  await expectTooComplex(tokens(332, 6), 'tokens');
});

test('cost: nested pages of 10 are served, nested pages of 500 are refused', async () => {
  await expectServed('deals(first: 10) { nodes { pipeline { deals(first: 10) { nodes { id } } } } }');
  await expectTooComplex('deals(first: 500) { nodes { pipeline { deals(first: 500) { nodes { id } } } } }', 'cost');
  // (1 + nodes (1 + pipeline (1 + (1 + nodes 1) × 500))) × 500 = (1 + 1 + 1 + 1000) × 500
  const refused = await postQuery(t.url, '{ deals(first: 500) { nodes { pipeline { deals(first: 500) { nodes { id } } } } } }', { token });
  expect(refused.body?.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 50_000, actual: 501_500 });
});

test('a page size in a variable is priced as the largest page over HTTP', async () => {
  const query = 'query ($n: Int) { deals(first: $n) { nodes { pipeline { deals(first: $n) { nodes { id } } } } } }';
  const response = await postQuery(t.url, query, { token, variables: { n: 1 } });
  expect(codes(response)).toEqual(['QUERY_TOO_COMPLEX']);
});

test('introspection is not limited by depth: GraphiQL and codegen can read the schema', async () => {
  const response = await postQuery(t.url, '{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } } }');
  expect(response.status).toBe(200);
  expect(response.body?.errors).toBeUndefined();
});

describe('field suggestions', () => {
  test('are given outside production', async () => {
    const response = await postQuery(t.url, '{ deels { totalCount } }', { token });
    expect(response.body?.errors?.[0].message).toContain('Did you mean "deals"');
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
  });

  test('are hidden in production', async () => {
    const production = await startTestApp({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });
    try {
      const response = await postQuery(production.url, '{ deels { totalCount } }', { token });
      expect(codes(response)).toEqual(['BAD_USER_INPUT']);
      expect(response.body?.errors?.[0].message).toContain('deels');
      expect(response.body?.errors?.[0].message).not.toContain('Did you mean');
      // And over the WebSocket door.
      const socket = await initialised(production.url, token);
      socket.send({ id: 'typo', type: 'subscribe', payload: { query: '{ deels { totalCount } }' } });
      const error = await socket.next('error');
      const [first] = error.payload as { message: string }[];
      expect(first.message).toContain('deels');
      expect(first.message).not.toContain('Did you mean');
      socket.ws.terminate();
    } finally {
      await production.stop();
    }
  });
});
