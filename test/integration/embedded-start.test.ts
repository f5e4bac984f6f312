import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BoardDocument, CreateLeadDocument, DealDocument, DealsDocument, LeadsDocument, MeDocument, MoveDealDocument, PipelineDocument, PipelinesDocument } from '../generated/graphql';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { START_ARGS } from '../process/server-process';

/**
 * The quick start, as a newcomer runs it: no DATABASE_URL, so the embedded PGlite database
 * in a data folder, migrated and seeded with the demo workspace; the printed URL and token work.
 */
const root = path.resolve(__dirname, '../..');
let child: ChildProcessWithoutNullStreams | undefined;
let dataDir: string;
let output = '';
/** The demo pipelines the first start made; the second must find the same ones. */
let seededPipelines: string[] = [];

beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dealstream-embedded-'));
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** Resolves with the first match of `pattern` in the child's output. */
function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    const check = () => {
      const match = output.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child!.stdout.on('data', check);
    child!.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited early; output:\n${output}`));
    });
    check();
  });
}

/** `npm start`'s entry point with no DATABASE_URL; resolves with the printed URL and admin token. */
async function startMain() {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  output = '';
  child = spawn(process.execPath, START_ARGS, {
    cwd: root,
    env: { ...env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
  });
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const [, url] = await waitFor(/GraphQL \(HTTP and WebSocket\): (\S+)/, 240_000);
  const [, token] = await waitFor(/(?:Demo admin token:|^\s+ADMIN)\s+(\S+)$/m, 5_000);
  return { url, token };
}

/** SIGTERM, and the exit code it led to. */
async function stopMain() {
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  child!.kill('SIGTERM');
  return exited;
}

test('starts on PGlite with no DATABASE_URL, prints a working URL and admin token, keeps racing writes isolated, stops on SIGTERM', async () => {
  const { url, token } = await startMain();
  const port = Number(new URL(url).port);
  expect(port).toBeGreaterThan(0); // PORT=0 took a free port, and the URL names it
  expect(url).toBe(`http://127.0.0.1:${port}/graphql`);

  expect(ok(await gql(url, token, MeDocument)).me).toMatchObject({ role: 'ADMIN' });
  const pipelines = ok(await gql(url, token, PipelinesDocument)).pipelines;
  expect(pipelines.length).toBeGreaterThanOrEqual(1);
  seededPipelines = pipelines.map((p) => p.id);
  let dealCount = 0;
  for (const pipeline of pipelines) {
    const board = ok(await gql(url, token, BoardDocument, { id: pipeline.id, first: 20 })).pipeline!;
    expect(board.stages.length).toBeGreaterThanOrEqual(3); // one OPEN, WON and LOST at least
    dealCount += board.stages.reduce((sum, s) => sum + s.deals.totalCount, 0);
  }
  expect(dealCount).toBeGreaterThan(0); // the demo workspace has deals on its boards

  await concurrentWritesStayIsolated(url, token, pipelines[0].id);
  expect(await stopMain()).toBe(0);
}, 300_000);

test('a second start on the same data folder keeps the data and seeds nothing twice', async () => {
  const { url, token } = await startMain();
  expect(ok(await gql(url, token, PipelinesDocument)).pipelines.map((p) => p.id)).toEqual(seededPipelines);
  // The leads the first run added are still there: the folder was reused, not re-seeded.
  expect(ok(await gql(url, token, LeadsDocument, { filter: { source: 'EVENT', search: 'Lead ' }, first: 10 })).leads.nodes.map((l) => l.name).sort())
    .toEqual(['Lead 1', 'Lead 3', 'Lead 5', 'Lead 7']);
  expect(await stopMain()).toBe(0);
}, 300_000);

/**
 * PGlite is one session: if two requests shared it, one's rollback would erase the other's
 * committed work. Racing moves (one wins, the rest CONFLICT) and failing creates interleaved
 * with good ones must leave exactly the committed writes.
 */
async function concurrentWritesStayIsolated(url: string, token: string, pipelineId: string) {
  const stages = ok(await gql(url, token, PipelineDocument, { id: pipelineId })).pipeline!.stages.filter((s) => s.kind === 'OPEN');
  const [open] = ok(await gql(url, token, DealsDocument, { filter: { pipelineId, status: 'OPEN' }, first: 1 })).deals.nodes;
  const before = ok(await gql(url, token, DealDocument, { id: open.id })).deal!;
  const target = stages.find((s) => s.id !== before.stage.id)!;
  const leadsBefore = ok(await gql(url, token, LeadsDocument, { first: 0 })).leads.totalCount;

  const results = await Promise.all([
    ...Array.from({ length: 8 }, () => gql(url, token, MoveDealDocument, { id: open.id, stageId: target.id, expectedVersion: before.version })),
    ...Array.from({ length: 8 }, (_, i) => gql(url, token, CreateLeadDocument, { input: { name: i % 2 ? `Lead ${i}` : '', source: 'EVENT' } })),
  ]);
  const moves = results.slice(0, 8);
  expect(moves.filter((r) => !r.errors)).toHaveLength(1);
  expect(moves.flatMap(errorCodes)).toEqual(Array(7).fill('CONFLICT'));
  expect(results.slice(8).flatMap(errorCodes)).toEqual(Array(4).fill('BAD_USER_INPUT'));

  const after = ok(await gql(url, token, DealDocument, { id: open.id })).deal!;
  expect(after.version).toBe(before.version + 1);
  expect(after.stage.id).toBe(target.id);
  expect(after.history.length).toBe(before.history.length + 1);
  expect(ok(await gql(url, token, LeadsDocument, { first: 0 })).leads.totalCount).toBe(leadsBefore + 4);
}
