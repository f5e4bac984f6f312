import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { EMBEDDED_JWT_SECRET } from '../../src/config';
import { signToken } from '../../src/infra/auth/token';
import { lockFileOf } from '../../src/infra/db/data-dir-lock';
import { Role } from '../../src/features/workspaces/role';
import { CreateDealDocument, CreateLeadDocument, DealEventsDocument, LeadDocument } from '../generated/graphql';
import { createPipeline } from '../factories/pipeline.factory';
import { gql, ok } from '../helpers/graphql';
import { wsClient } from '../helpers/ws-client';
import { isAlive, ROOT, ServerProcess, until } from './server-process';

/**
 * The embedded folder and the server's process, as an operator meets them: `npm start` and
 * signals, kill -9 after a write, a second process on the folder, a taken port, a folder
 * that cannot be opened, backup and restore. Every server here is a real child process.
 */
let scratch: string;
let dataDir: string;
const token = signToken({ sub: 'operator', wid: `ops-${randomUUID()}`, role: Role.ADMIN, name: 'Operator' }, EMBEDDED_JWT_SECRET);
let running: ServerProcess | undefined;
let leadId: string;

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'dealstream-process-'));
  dataDir = path.join(scratch, 'data');
});
afterAll(async () => {
  if (running && running.child.exitCode === null) {
    running.child.kill('SIGKILL');
    await running.exited;
  }
  rmSync(scratch, { recursive: true, force: true });
});

/** The pid the folder's lock names (the node process serving it). */
const lockHolder = (folder: string) => (JSON.parse(readFileSync(lockFileOf(folder), 'utf8')) as { pid: number }).pid;

/** A start that must be refused: its exit code and its stderr's lines. */
async function refusedStart(env: Record<string, string>) {
  const refused = new ServerProcess('node', env);
  const { code } = await refused.exited;
  return { code, lines: refused.stderr.trim().split('\n'), stdout: refused.stdout };
}

/** Whether nothing listens on the port any more. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

test('SIGTERM to the process npm start made stops the whole server: sockets closed with 1001, no orphan, port freed', async () => {
  const npm = new ServerProcess('npm start', { DATA_DIR: dataDir });
  const url = await npm.url();
  const port = Number(new URL(url).port);
  const server = lockHolder(dataDir);
  expect(server).not.toBe(npm.child.pid); // npm is the parent; the server is node
  const pipeline = await createPipeline(url, token);
  const socket = wsClient(url, token);
  const events = socket.subscribe(DealEventsDocument, { pipelineId: pipeline.id });
  // The subscription is live once it delivers: a committed deal reaches it.
  await until(async () => {
    ok(await gql(url, token, CreateDealDocument, { input: { pipelineId: pipeline.id, title: 'Signal', value: 1 } }));
    return events.data.length > 0;
  });

  npm.child.kill('SIGTERM');
  expect(await socket.closed()).toBe(1001);
  await npm.exited;
  await until(() => !isAlive(server));
  expect(await portIsFree(port)).toBe(true);
  expect(existsSync(lockFileOf(dataDir))).toBe(false);
  await socket.dispose();
}, 240_000);

test('kill -9 right after a committed write loses nothing: the folder opens again with the write', async () => {
  const first = new ServerProcess('node', { DATA_DIR: dataDir });
  const url = await first.url();
  const lead = ok(await gql(url, token, CreateLeadDocument, { input: { name: 'Survives kill -9', source: 'EVENT' } })).createLead;
  leadId = lead.id;
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');

  running = new ServerProcess('node', { DATA_DIR: dataDir });
  const again = await running.url();
  expect(ok(await gql(again, token, LeadDocument, { id: leadId })).lead).toMatchObject({ id: leadId, name: 'Survives kill -9' });
}, 240_000);

test('a second process on the same folder exits 1 with one line naming the folder and the process holding it', async () => {
  const { code, lines } = await refusedStart({ DATA_DIR: dataDir });
  expect(code).toBe(1);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`DATA_DIR ${dataDir} is in use by process ${running!.child.pid}`);
}, 120_000);

test('a taken port: one line naming PORT, exit 1, before any folder is made', async () => {
  const port = new URL(await running!.url()).port;
  const untouched = path.join(scratch, 'never-made');
  const { code, lines } = await refusedStart({ DATA_DIR: untouched, PORT: port });
  expect(code).toBe(1);
  expect(lines).toEqual([expect.stringContaining(`PORT ${port} on 127.0.0.1 is taken`)]);
  expect(existsSync(untouched)).toBe(false);
  expect(existsSync(lockFileOf(untouched))).toBe(false);
}, 120_000);

test('SIGINT stops the server too, and releases the folder', async () => {
  running!.child.kill('SIGINT');
  expect((await running!.exited).code).toBe(0);
  expect(existsSync(lockFileOf(dataDir))).toBe(false);
}, 60_000);

/** The environment without DATABASE_URL: these commands are for the embedded database only. */
function withoutDatabaseUrl(): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  return env;
}

test('a folder that cannot be opened says what to do; npm run restore brings a backup back into it', async () => {
  const run = promisify(execFile);
  const env = (folder: string) => ({ env: { ...withoutDatabaseUrl(), DATA_DIR: folder }, cwd: ROOT });
  const backup = path.join(scratch, 'backup.tar.gz');
  await run('npm', ['run', '-s', 'backup', '--', backup], env(dataDir));

  const broken = path.join(scratch, 'broken');
  mkdirSync(broken);
  writeFileSync(path.join(broken, 'PG_VERSION'), '17\n'); // a folder PostgreSQL cannot start from
  const { code, lines } = await refusedStart({ DATA_DIR: broken });
  expect(code).toBe(1);
  expect(lines).toEqual([expect.stringMatching(/DATA_DIR .*broken cannot be opened .*npm run restore -- <file>/)]);

  await run('npm', ['run', '-s', 'restore', '--', backup], env(broken));
  running = new ServerProcess('node', { DATA_DIR: broken });
  const url = await running.url();
  expect(ok(await gql(url, token, LeadDocument, { id: leadId })).lead).toMatchObject({ name: 'Survives kill -9' });
  running.child.kill('SIGTERM');
  expect((await running.exited).code).toBe(0);
}, 300_000);

test('NODE_ENV=production without JWT_SECRET is refused in one line, embedded database too, before any folder is made', async () => {
  const untouched = path.join(scratch, 'production');
  const { code, lines, stdout } = await refusedStart({ NODE_ENV: 'production', DATA_DIR: untouched });
  expect(code).toBe(1);
  expect(lines).toEqual([expect.stringContaining('JWT_SECRET is required when NODE_ENV=production')]);
  expect(stdout).not.toMatch(/eyJ/); // no token printed
  expect(existsSync(untouched)).toBe(false);
}, 120_000);
