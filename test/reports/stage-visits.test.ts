import {
  CreateDealDocument, DeleteDealDocument, LoseDealDocument, MoveDealDocument, PipelineMetricsDocument, ReopenDealDocument, WinDealDocument,
} from '../generated/graphql';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { catchUpVisits as catchUpIn, dropScratchDatabase, scratchDatabase, sql as sqlIn } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { newBoard } from '../factories/workspace.factory';

/**
 * stage_visits follows the ledger: an appended change waits in the backlog until
 * stage_visits_catch_up folds it in (set-based, in rounds); an UPDATE of the ledger rebuilds
 * the deals' visits. Both must give the same rows, and the metrics must read them live.
 * A database of its own: a report anywhere folds every backlog, so the shared one would not
 * hold still while these tests look at theirs.
 */
let url: string;
let t: TestApp;
beforeAll(async () => {
  url = await scratchDatabase('stage_visits');
  await promisify(execFile)('npx', ['ts-node', '--transpile-only', 'scripts/migrate.ts'], { env: { ...process.env, DATABASE_URL: url } });
  t = await startTestApp({ DATABASE_URL: url });
}, 60_000);
afterAll(async () => {
  try {
    await t?.stop();
  } finally {
    await dropScratchDatabase(url);
  }
});

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => sqlIn<T>(text, params, url);
const catchUpVisits = () => catchUpIn(url);

const pendingOf = async (workspaceId: string) => (await sql<{ n: number }>(
  'SELECT count(*)::int AS n FROM stage_visit_backlog b JOIN stage_changes c ON c.id = b.change_id WHERE c.workspace_id = $1',
  [workspaceId]))[0].n;

/** A no-op UPDATE of the ledger makes the trigger rebuild every visit of these deals from it. */
const rebuild = (workspaceId: string) => sql('UPDATE stage_changes SET changed_at = changed_at WHERE workspace_id = $1', [workspaceId]);

const visitsOf = (workspaceId: string) => sql(
  `SELECT id, deal_id, stage_id, from_stage_id, entered_at, exited_at, previous_entry_at, advanced, live
   FROM stage_visits WHERE workspace_id = $1 ORDER BY deal_id, entered_at, id`, [workspaceId]);

test('visits folded from the backlog equal a rebuild from the ledger, and feed the live metrics', async () => {
  const { ws, admin, pipeline, open: [s1, s2, s3] } = await newBoard(t, 3);
  const create = async (value: number) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'V', value } })).createDeal.id;
  const move = async (id: string, stageId: string) => ok(await gql(t.url, admin, MoveDealDocument, { id, stageId }));

  const a = await create(100); // S1 → S2 → S1 → S3 → lost → reopened (S3) → won
  await move(a, s2.id);
  await move(a, s1.id);
  await move(a, s3.id);
  ok(await gql(t.url, admin, LoseDealDocument, { id: a, reason: 'Price' }));
  ok(await gql(t.url, admin, ReopenDealDocument, { id: a }));
  ok(await gql(t.url, admin, WinDealDocument, { id: a }));
  const b = await create(200); // S1 → S2 → lost
  await move(b, s2.id);
  ok(await gql(t.url, admin, LoseDealDocument, { id: b, reason: 'Timing' }));
  const c = await create(300); // S1, then deleted
  ok(await gql(t.url, admin, DeleteDealDocument, { id: c }));
  await create(400); // S1, open

  expect(await pendingOf(ws.id)).toBe(7 + 3 + 1 + 1); // the writes left their visits to the fold
  // Every kind of write leaves a deal's status its stage's kind (stage lists filtered by status rely on it).
  expect(await sql(`SELECT count(*)::int AS n FROM deals d JOIN stages s ON s.id = d.stage_id
    WHERE d.workspace_id = $1 AND d.status::text <> s.kind::text`, [ws.id])).toEqual([{ n: 0 }]);
  await catchUpVisits();
  expect(await pendingOf(ws.id)).toBe(0);
  const kept = await visitsOf(ws.id);
  expect(kept).toHaveLength(7 + 3 + 1 + 1);
  expect(kept.filter((v) => v.deal_id === c).map((v) => v.live)).toEqual([false]);
  await rebuild(ws.id);
  expect(await visitsOf(ws.id)).toEqual(kept);

  const m = ok(await gql(t.url, ws.token('ANALYST'), PipelineMetricsDocument, { pipelineId: pipeline.id })).pipelineMetrics;
  const [m1, m2, m3, won, lost] = m.stages;
  expect(m).toMatchObject({ openDealCount: 1, openValue: 400, wonCount: 1, lostCount: 1, wonValue: 100, winRate: 0.5 });
  // S1 entered by a, b, d (c is deleted): a and b went on
  expect(m1).toMatchObject({ conversionRate: 2 / 3, lostCount: 0, dealCount: 1 });
  // S2 entered by a and b: a went on to S3 later, b was lost from S2
  expect(m2).toMatchObject({ conversionRate: 0.5, lostCount: 1 });
  // S3 entered twice by a (reopened there), counted once; it was won
  expect(m3).toMatchObject({ conversionRate: 1, lostCount: 0 });
  expect([won.conversionRate, lost.conversionRate]).toEqual([null, null]);
  // every visit here lasted a moment: a mean exists and is tiny
  for (const s of [m1, m2, m3, lost]) expect(s.averageDaysInStage).toBeGreaterThanOrEqual(0);
  for (const s of [m1, m2, m3, lost]) expect(s.averageDaysInStage).toBeLessThan(0.01);
  expect(won.averageDaysInStage).toBeNull();
});

test('a backlog folded in small batches, then a change dated before the latest visit, equals a rebuild', async () => {
  const { ws, admin, pipeline, open: [s1, s2, s3] } = await newBoard(t, 3);
  const ids = await Promise.all([1, 2, 3].map(async (n) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: `B${n}`, value: n } })).createDeal.id));
  await catchUpVisits();
  // several pending changes per deal: the fold takes each deal's earliest first, round by round
  for (const stageId of [s2.id, s3.id, s1.id, s3.id]) for (const id of ids) ok(await gql(t.url, admin, MoveDealDocument, { id, stageId }));
  ok(await gql(t.url, admin, DeleteDealDocument, { id: ids[2] })); // its pending visits arrive as not live
  expect(await pendingOf(ws.id)).toBe(4 * 3);
  const taken: number[] = [];
  while ((await pendingOf(ws.id)) > 0 && taken.length < 20) taken.push((await sql<{ n: number }>('SELECT stage_visits_catch_up(2) AS n'))[0].n);
  expect(taken).toEqual([2, 2, 2, 2, 2, 2]);
  expect(await pendingOf(ws.id)).toBe(0);
  expect(await visitsOf(ws.id)).toHaveLength(3 + 12);

  // a change dated before the deal's latest visit, as a late import would append it: the fold rebuilds that deal
  await sql(`INSERT INTO stage_changes (workspace_id, deal_id, from_stage_id, to_stage_id, changed_at)
    SELECT workspace_id, id, $2::uuid, $3::uuid, created_at + interval '1 millisecond' FROM deals WHERE id = $1`, [ids[1], s1.id, s2.id]);
  await catchUpVisits();
  const folded = await visitsOf(ws.id);
  expect(folded).toHaveLength(3 + 13);
  expect(folded.filter((v) => v.deal_id === ids[2]).map((v) => v.live)).toEqual(Array(5).fill(false));
  expect(folded.filter((v) => v.deal_id === ids[1]).map((v) => v.stage_id)).toEqual([s1.id, s2.id, s2.id, s3.id, s1.id, s3.id]);
  await rebuild(ws.id);
  expect(await visitsOf(ws.id)).toEqual(folded);
});

test('folds racing moves and each other: every committed change is folded once, as a rebuild would', async () => {
  const { ws, admin, pipeline, open } = await newBoard(t, 3);
  const ids = await Promise.all(Array.from({ length: 6 }, async (_, i) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: open[0].id, title: `R${i}`, value: i } })).createDeal.id));
  let writing = true;
  const folders = [0, 1].map(async () => {
    while (writing) await catchUpVisits();
  });
  await Promise.all(ids.map(async (id) => {
    for (let i = 1; i <= 10; i++) ok(await gql(t.url, admin, MoveDealDocument, { id, stageId: open[i % 3].id }));
  }));
  writing = false;
  await Promise.all(folders);
  // what a report reads right after the writes: it catches up first
  const m = ok(await gql(t.url, ws.token('ANALYST'), PipelineMetricsDocument, { pipelineId: pipeline.id })).pipelineMetrics;
  expect(m.stages.map((s) => s.dealCount)).toEqual([0, 6, 0, 0, 0]); // 10 moves end in open[1]
  expect(await pendingOf(ws.id)).toBe(0);
  const folded = await visitsOf(ws.id);
  expect(folded).toHaveLength(6 * 11);
  await rebuild(ws.id);
  expect(await visitsOf(ws.id)).toEqual(folded);
});

test('a catch-up waits for a fold still in flight, so a report after it sees that fold', async () => {
  const { ws, admin, pipeline, open: [s1, s2] } = await newBoard(t, 2);
  const { id } = ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'W', value: 1 } })).createDeal;
  ok(await gql(t.url, admin, MoveDealDocument, { id, stageId: s2.id }));
  const folding = new Client({ connectionString: url });
  await folding.connect();
  try {
    await folding.query('BEGIN');
    await folding.query('SELECT stage_visits_catch_up(NULL)'); // took the backlog, not committed yet
    let caughtUp = false;
    const waiting = catchUpVisits().then(() => { caughtUp = true; });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(caughtUp).toBe(false);
    await folding.query('COMMIT');
    await waiting;
    expect((await visitsOf(ws.id)).map((v) => v.stage_id)).toEqual([s1.id, s2.id]);
  } finally {
    await folding.end();
  }
});

test('removed history rows take their visits, and the metrics, with them: the visits left equal a rebuild', async () => {
  const { ws, admin, pipeline, open: [s1, s2, s3] } = await newBoard(t, 3);
  const create = async (title: string) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title, value: 10 } })).createDeal.id;
  const [kept, purged] = [await create('kept'), await create('purged')];
  for (const id of [kept, purged]) for (const stageId of [s2.id, s3.id]) ok(await gql(t.url, admin, MoveDealDocument, { id, stageId }));
  await catchUpVisits();
  expect(await visitsOf(ws.id)).toHaveLength(6);

  // A deal removed for good (as deleting its workspace does) takes its ledger, by cascade, and so its visits.
  await sql('DELETE FROM deals WHERE id = $1', [purged]);
  // One history row of the other deal removed on its own: its visit goes, and the visit before it now ends at S3.
  await sql('DELETE FROM stage_changes WHERE deal_id = $1 AND to_stage_id = $2', [kept, s2.id]);
  const left = await visitsOf(ws.id);
  expect(left.map((v) => [v.deal_id, v.stage_id])).toEqual([[kept, s1.id], [kept, s3.id]]);
  expect(left[0].exited_at).toEqual(left[1].entered_at);
  await rebuild(ws.id);
  expect(await visitsOf(ws.id)).toEqual(left);

  const m = ok(await gql(t.url, ws.token('ANALYST'), PipelineMetricsDocument, { pipelineId: pipeline.id })).pipelineMetrics;
  expect(m.stages.slice(0, 3).map((s) => s.dealCount)).toEqual([0, 0, 1]);
  expect(m.stages[1].conversionRate).toBeNull(); // S2 entered by no one now
  expect(m.stages[0].conversionRate).toBe(1);
});

test('pending changes of a deal rebuilt before the fold are not folded again: the rebuild read them from the ledger', async () => {
  const { ws, admin, pipeline, open: [s1, s2, s3] } = await newBoard(t, 3);
  const { id } = ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'P', value: 1 } })).createDeal;
  for (const stageId of [s2.id, s3.id]) ok(await gql(t.url, admin, MoveDealDocument, { id, stageId }));
  expect(await pendingOf(ws.id)).toBe(3);

  // A history row removed while its change is still pending: the rebuild drops the deal's pending copies.
  await sql('DELETE FROM stage_changes WHERE deal_id = $1 AND to_stage_id = $2', [id, s2.id]);
  expect((await sql<{ n: number }>('SELECT count(*)::int AS n FROM stage_visit_backlog WHERE deal_id = $1', [id]))[0].n).toBe(0);
  await catchUpVisits();
  const folded = await visitsOf(ws.id);
  expect(folded.map((v) => v.stage_id)).toEqual([s1.id, s3.id]);
  await rebuild(ws.id);
  expect(await visitsOf(ws.id)).toEqual(folded);
});

test('a pending copy of a change already summarised rebuilds its deal instead of folding it twice', async () => {
  const { ws, admin, pipeline, open: [s1, s2] } = await newBoard(t, 2);
  const { id } = ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'Q', value: 1 } })).createDeal;
  ok(await gql(t.url, admin, MoveDealDocument, { id, stageId: s2.id }));
  await catchUpVisits();
  const folded = await visitsOf(ws.id);
  // The deal's latest change queued again: its visit is the deal's current one, no later visit gives it away.
  await sql(`INSERT INTO stage_visit_backlog (change_id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at)
    SELECT id, workspace_id, deal_id, from_stage_id, to_stage_id, changed_at FROM stage_changes WHERE deal_id = $1
    ORDER BY changed_at DESC LIMIT 1`, [id]);
  await catchUpVisits();
  expect(await pendingOf(ws.id)).toBe(0);
  expect(await visitsOf(ws.id)).toEqual(folded);
});
