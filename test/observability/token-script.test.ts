import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { MeDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { TEST_DATABASE_URL } from '../helpers/database';

/** `npm run token -- --role ANALYST`: a token for trying the API, signed with the server's secret. */
const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL, JWT_SECRET: TEST_JWT_SECRET, NODE_OPTIONS: '' };
const token = (...args: string[]) => run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'scripts/token.ts', ...args], { cwd: root, env });

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t.stop());

test('prints a demo-workspace token for the role asked for, which the API accepts', async () => {
  const { stdout } = await token('--role', 'ANALYST');
  expect(stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const me = ok(await gql(t.url, stdout.trim(), MeDocument)).me;
  expect(me).toMatchObject({ role: 'ANALYST', name: 'Alex Analyst' });
}, 60_000);

test('refuses an unknown role, naming the choices', async () => {
  await expect(token('--role', 'INTERN')).rejects.toMatchObject({
    code: 1, stderr: expect.stringContaining('--role must be one of ADMIN, MANAGER, REP, ANALYST, got "INTERN"'),
  });
}, 60_000);
