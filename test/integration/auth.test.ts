import jwt from 'jsonwebtoken';
import { DealsDocument, MeDocument, PipelinesDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { postRaw } from '../helpers/raw-http';
import { newWorkspace, startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const claims = (wid: string, extra: object = {}) => ({ sub: 'ada', wid, role: 'ADMIN', ...extra });

describe('tokens that are refused with UNAUTHENTICATED', () => {
  const wid = `ws-auth-refused-${Date.now()}`;
  const cases: [string, () => string | undefined][] = [
    ['no token', () => undefined],
    ['garbage', () => 'not.a.jwt'],
    ['a bad signature', () => jwt.sign(claims(wid), 'another-secret-of-some-length', { algorithm: 'HS256' })],
    ['an expired token', () => jwt.sign({ ...claims(wid), exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(wid))}.`],
    ['HS512 with the right secret', () => jwt.sign(claims(wid), TEST_JWT_SECRET, { algorithm: 'HS512' })],
    ['HS384 with the right secret', () => jwt.sign(claims(wid), TEST_JWT_SECRET, { algorithm: 'HS384' })],
    ['no wid', () => jwt.sign({ sub: 'ada', role: 'ADMIN' }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['no sub', () => jwt.sign({ wid, role: 'ADMIN' }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['an empty wid', () => jwt.sign(claims(''), TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['an unknown role', () => jwt.sign(claims(wid, { role: 'SUPERUSER' }), TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['a lower-case role', () => jwt.sign(claims(wid, { role: 'admin' }), TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['a sub with a NUL character', () => jwt.sign(claims(wid, { sub: 'a\u0000b' }), TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['a name with a NUL character', () => jwt.sign(claims(wid, { name: 'a\u0000b' }), TEST_JWT_SECRET, { algorithm: 'HS256' })],
    ['a token not yet valid', () => jwt.sign({ ...claims(wid), nbf: Math.floor(Date.now() / 1000) + 600 }, TEST_JWT_SECRET, { algorithm: 'HS256' })],
  ];

  test.each(cases)('%s', async (_, token) => {
    for (const result of [await gql(t.url, token(), MeDocument), await gql(t.url, token(), PipelinesDocument)]) {
      expect(errorCodes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.data ?? null).toBeNull();
    }
    expect(errorCodes(await gql(t.url, token(), DealsDocument, {}))).toEqual(['UNAUTHENTICATED']);
    // Nothing was provisioned on the strength of a refused token.
    expect(await sql('SELECT 1 FROM workspaces WHERE id = $1', [wid])).toEqual([]);
  });

  test('a header that is not a bearer token', async () => {
    const token = jwt.sign(claims(wid), TEST_JWT_SECRET, { algorithm: 'HS256' });
    const response = await fetch(t.url, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${token}` }, body: JSON.stringify({ query: '{ me { id } }' }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });
});

test('introspection needs no token (frontend tooling reads the schema before signing in)', async () => {
  const result = await postRaw(t.url, undefined, JSON.stringify({ query: '{ __schema { queryType { name } } }' }));
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
});

describe('provisioning on first sight', () => {
  test('a valid token creates its workspace and user; me shows them; a later token updates role and name', async () => {
    const ws = newWorkspace();
    expect(await sql('SELECT 1 FROM workspaces WHERE id = $1', [ws.id])).toEqual([]);
    const token = jwt.sign({ sub: 'grace', wid: ws.id, role: 'MANAGER', name: 'Grace Hopper', email: 'grace@example.com', exp: Math.floor(Date.now() / 1000) + 600 },
      TEST_JWT_SECRET, { algorithm: 'HS256' });
    expect(ok(await gql(t.url, token, MeDocument)).me).toEqual({ id: 'grace', name: 'Grace Hopper', email: 'grace@example.com', role: 'MANAGER' });
    expect(await sql('SELECT id FROM workspaces WHERE id = $1', [ws.id])).toEqual([{ id: ws.id }]);
    expect(await sql('SELECT external_id, role FROM users WHERE workspace_id = $1', [ws.id])).toEqual([{ external_id: 'grace', role: 'MANAGER' }]);

    // Many first requests at once still make one workspace and one user each.
    const reps = Array.from({ length: 5 }, (_, i) => ws.token('REP', `rep-${i}`));
    await Promise.all([...reps, ...reps].map(async (rep) => ok(await gql(t.url, rep, MeDocument))));
    const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE workspace_id = $1', [ws.id]);
    expect(n).toBe(6);

    const promoted = jwt.sign({ sub: 'grace', wid: ws.id, role: 'ADMIN', name: 'Rear Admiral Hopper' }, TEST_JWT_SECRET, { algorithm: 'HS256' });
    expect(ok(await gql(t.url, promoted, MeDocument)).me).toEqual({ id: 'grace', name: 'Rear Admiral Hopper', email: 'grace@example.com', role: 'ADMIN' });
  });

  test('the same sub in two workspaces is two users', async () => {
    const a = newWorkspace();
    const b = newWorkspace();
    expect(ok(await gql(t.url, a.token('REP', 'sam'), MeDocument)).me).toMatchObject({ id: 'sam', role: 'REP' });
    expect(ok(await gql(t.url, b.token('ANALYST', 'sam'), MeDocument)).me).toMatchObject({ id: 'sam', role: 'ANALYST' });
    expect(ok(await gql(t.url, a.token('REP', 'sam'), MeDocument)).me).toMatchObject({ role: 'REP' });
  });
});
