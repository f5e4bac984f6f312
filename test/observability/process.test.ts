import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { connect } from 'node:net';
import path from 'node:path';
import { print } from 'graphql';
import { LiveMetricsDocument, MeDocument } from '../generated/graphql';
import { createPipeline } from '../factories/pipeline.factory';
import { TEST_DATABASE_URL } from '../helpers/database';
import { newWorkspace, TEST_JWT_SECRET } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';

/**
 * The service as an operator runs it: `src/main.ts` in a process of its own on PostgreSQL,
 * JSON logs on stdout, stopped with SIGTERM.
 */
const root = path.resolve(__dirname, '../..');

interface Run { child: ChildProcessWithoutNullStreams; stdout: string; stderr: string; exit: Promise<number | null> }

function run(env: Record<string, string>): Run {
  const { DATABASE_URL: _url, ...inherited } = process.env;
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: root, env: { ...inherited, NODE_OPTIONS: '', ...env },
  });
  const result: Run = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.on('exit', resolve)) };
  child.stdout.on('data', (chunk) => { result.stdout += chunk; });
  child.stderr.on('data', (chunk) => { result.stderr += chunk; });
  return result;
}

async function waitFor(r: Run, pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = r.stdout.match(pattern);
    if (match) return match;
    if (r.child.exitCode !== null || Date.now() > deadline) throw new Error(`no ${pattern}; output:\n${r.stdout}\n${r.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The JSON log lines of a run (the welcome text is not JSON and is skipped). */
function logs(r: Run): Record<string, unknown>[] {
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const children: Run[] = [];
afterAll(() => {
  for (const r of children) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

test('logs each request as JSON with its id, operation, duration and outcome, and drains on SIGTERM (sockets closed with 1001)', async () => {
  const r = run({ DATABASE_URL: TEST_DATABASE_URL, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', MIGRATE: 'false', SEED_DEMO: 'false', LOG_LEVEL: 'info' });
  children.push(r);
  const [, url] = await waitFor(r, /GraphQL \(HTTP and WebSocket\): (\S+)/);

  const ws = newWorkspace();
  const token = ws.token('ADMIN');
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'probe-request-0001' },
    body: JSON.stringify({ query: print(MeDocument) }),
  });
  expect(response.status).toBe(200);
  const pipeline = await createPipeline(url, token, 2, 'Logged');
  const client = wsClient(url, token);
  await client.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id }).waitFor(1);
  const ended = client.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
  await ended.waitFor(1);
  ended.unsubscribe(); // its log line is written when it ends
  await waitFor(r, /"transport":"ws"/, 10_000);

  r.child.kill('SIGTERM');
  expect(await client.closed()).toBe(1001);
  expect(await r.exit).toBe(0);

  const lines = logs(r);
  expect(lines.find((l) => l.requestId === 'probe-request-0001' && l.msg === 'graphql operation')).toMatchObject({
    service: 'dealstream', transport: 'http', operation: 'Me', type: 'query', outcome: 'ok', durationMs: expect.any(Number),
  });
  expect(lines.find((l) => l.requestId === 'probe-request-0001' && l.msg === 'http request')).toMatchObject({
    method: 'POST', path: '/graphql', status: 200, durationMs: expect.any(Number),
  });
  const subscription = lines.find((l) => l.transport === 'ws' && l.operation === 'LiveMetrics');
  expect(subscription).toMatchObject({ type: 'subscription', outcome: 'ok', requestId: expect.stringMatching(/^[0-9a-f-]{36}\/\S+$/) });
  // The socket's close is logged under the connection id its operations carry.
  const connectionId = String(subscription!.requestId).split('/')[0];
  expect(lines.find((l) => l.msg === 'ws connection closed')).toMatchObject({ connectionId, code: 1001, durationMs: expect.any(Number) });
  expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: no new connections, finishing in-flight requests', 'stopped']));
  expect(r.stdout).not.toContain(token); // tokens never reach the logs
}, 120_000);

test('SIGTERM refuses new connections but lets a request already under way finish before the process exits', async () => {
  const r = run({ DATABASE_URL: TEST_DATABASE_URL, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', MIGRATE: 'false', SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
  children.push(r);
  const [, url] = await waitFor(r, /GraphQL \(HTTP and WebSocket\): (\S+)/);
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ query: print(MeDocument) });
  const socket = connect(Number(port), hostname);
  let response = '';
  socket.on('data', (chunk) => { response += chunk; });
  await new Promise((resolve) => socket.once('connect', resolve));
  // Half a request: the server has it in hand when the signal comes.
  socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\ncontent-type: application/json\r\n`
    + `authorization: Bearer ${newWorkspace().token('ANALYST')}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n`
    + body.slice(0, 10));
  await new Promise((resolve) => setTimeout(resolve, 300));
  r.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(r.child.exitCode).toBeNull(); // still draining
  await expect(fetch(url.replace(/\/graphql$/, '/healthz'))).rejects.toThrow(); // but taking no new connection
  socket.write(body.slice(10)); // not end(): a half-closed socket gets no answer from node's HTTP server
  await new Promise((resolve) => socket.once('close', resolve));
  expect(response).toMatch(/^HTTP\/1\.1 200 /);
  expect(response).toContain('"role":"ANALYST"');
  expect(await r.exit).toBe(0);
}, 120_000);

test('a bad environment variable stops the start with a message that names it', async () => {
  const r = run({ DATABASE_URL: TEST_DATABASE_URL, JWT_SECRET: TEST_JWT_SECRET, PORT: '70000' });
  children.push(r);
  expect(await r.exit).toBe(1);
  expect(r.stderr.trim()).toBe('Dealstream cannot start: PORT must be an integer from 0 to 65535, got "70000"');
}, 60_000);
