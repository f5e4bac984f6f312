import { execFile } from 'node:child_process';
import { Client } from 'pg';
import { promisify } from 'node:util';
import {
  CreateDealDocument, DeleteDealDocument, LoseDealDocument, MoveDealDocument, PipelineMetricsDocument, ReopenDealDocument, WinDealDocument,
} from '../generated/graphql';
import { catchUpVisits, dropScratchDatabase, scratchDatabase, sql, TEST_DATABASE_URL } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { newBoard } from '../factories/workspace.factory';
import { ReportFolder } from '../../src/features/reports/report-folder';

/**
 * stage_tallies plus the pending stage_tally_deltas must always add up to what the live
 * visits count, per stage and UTC day, through any write, a ledger rebuild, concurrent
 * moves and folding; the seed script, which writes visits with triggers off, recounts them.
 */
let t: TestApp;
let folder: ReportFolder;
beforeAll(async () => {
  // Folding is driven by the tests here, not by the app's timer (off in test apps).
  t = await startTestApp();
  folder = new ReportFolder(t.app.dataSource, t.app.logger, 0);
});
afterAll(() => t.stop());

type DayCount = { stage_id: string; day: string; first_entries: number; advanced: number; exits: number; exit_seconds: number };

/** Per stage and day, counted from the visits themselves (the backlog folded in first), zero rows left out. */
async function countedFromVisits(workspaceId: string, url = TEST_DATABASE_URL): Promise<DayCount[]> {
  await catchUpVisits(url);
  return sql<DayCount>(`
  SELECT stage_id, day::text, sum(f)::int AS first_entries, sum(a)::int AS advanced, sum(x)::int AS exits,
         extract(epoch FROM sum(t))::float8 AS exit_seconds
  FROM (
    SELECT stage_id, (entered_at AT TIME ZONE 'UTC')::date AS day, 1 AS f, advanced::int AS a, 0 AS x, interval '0' AS t
    FROM stage_visits WHERE workspace_id = $1 AND live AND previous_entry_at IS NULL
    UNION ALL
    SELECT stage_id, (exited_at AT TIME ZONE 'UTC')::date, 0, 0, 1, exited_at - entered_at
    FROM stage_visits WHERE workspace_id = $1 AND live AND exited_at IS NOT NULL
  ) c
  GROUP BY 1, 2 HAVING (sum(f), sum(a), sum(x), sum(t)) <> (0, 0, 0, interval '0') ORDER BY 1, 2`, [workspaceId], url);
}

/** Per stage and day, as the tallies and the pending deltas hold them (the backlog folded in first), zero rows left out. */
async function tallied(workspaceId: string, url = TEST_DATABASE_URL): Promise<DayCount[]> {
  await catchUpVisits(url);
  return sql<DayCount>(`
  SELECT stage_id, day::text, sum(first_entries)::int AS first_entries, sum(advanced_first_entries)::int AS advanced,
         sum(exits)::int AS exits, extract(epoch FROM sum(exit_time))::float8 AS exit_seconds
  FROM (
    SELECT stage_id, day, first_entries, advanced_first_entries, exits, exit_time FROM stage_tallies
    UNION ALL
    SELECT stage_id, day, first_entries, advanced_first_entries, exits, exit_time FROM stage_tally_deltas
  ) t
  WHERE stage_id IN (SELECT id FROM stages WHERE workspace_id = $1)
  GROUP BY 1, 2 HAVING (sum(first_entries), sum(advanced_first_entries), sum(exits), sum(exit_time)) <> (0, 0, 0, interval '0')
  ORDER BY 1, 2`, [workspaceId], url);
}

const pendingDeltas = async (workspaceId: string) => (await sql<{ n: number }>(
  'SELECT count(*)::int AS n FROM stage_tally_deltas WHERE stage_id IN (SELECT id FROM stages WHERE workspace_id = $1)', [workspaceId]))[0].n;

/** Holds the folding lock (see stage_tallies_compact) so that no app process folds meanwhile. */
async function holdFolding(): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query('SELECT pg_advisory_lock(7216538)');
  return () => client.end();
}

test('every kind of write keeps tallies and deltas equal to the visits; folding and rebuilds change no figure', async () => {
  const release = await holdFolding();
  const { ws, admin, pipeline, open: [s1, s2, s3] } = await newBoard(t, 3);
  const create = async (value: number) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'T', value } })).createDeal.id;
  const move = async (id: string, stageId: string) => ok(await gql(t.url, admin, MoveDealDocument, { id, stageId }));

  const a = await create(100);
  await move(a, s2.id);
  await move(a, s1.id); // back: a re-entry of S1, not a first entry
  await move(a, s3.id); // advances both S1 visits and the S2 one
  ok(await gql(t.url, admin, LoseDealDocument, { id: a, reason: 'Price' }));
  ok(await gql(t.url, admin, ReopenDealDocument, { id: a }));
  ok(await gql(t.url, admin, WinDealDocument, { id: a }));
  const b = await create(200);
  await move(b, s2.id);
  ok(await gql(t.url, admin, DeleteDealDocument, { id: b })); // takes b's visits out
  await create(300);

  const counted = await countedFromVisits(ws.id);
  expect(counted.reduce((n, c) => n + c.first_entries, 0)).toBe(5 + 1); // a: S1 S2 S3 Lost Won; the third deal: S1; b is deleted
  expect(await tallied(ws.id)).toEqual(counted);

  const analyst = ws.token('ANALYST');
  // From 01:00 two days ago to 01:00 tomorrow: today is a whole day, read from the tallies.
  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const range = { from: new Date(today - 2 * DAY + 3_600_000).toISOString(), to: new Date(today + DAY + 3_600_000).toISOString() };
  const metrics = async () => {
    const { computedAt, ...figures } = ok(await gql(t.url, analyst, PipelineMetricsDocument, { pipelineId: pipeline.id, range })).pipelineMetrics;
    return figures;
  };
  const before = await metrics();
  expect(await pendingDeltas(ws.id)).toBeGreaterThan(0); // still unfolded: the figures came from the deltas
  await release();
  // S1 entered by a and the third deal (b is deleted): a went on; S2 entered by a, which went on
  expect(before).toMatchObject({ wonCount: 1, lostCount: 0, openDealCount: 1 });
  expect(before.stages.map((s) => s.conversionRate)).toEqual([0.5, 1, 1, null, null]);
  expect(await folder.compactTallies()).toBeGreaterThan(0);
  expect(await pendingDeltas(ws.id)).toBe(0);
  expect(await tallied(ws.id)).toEqual(counted);
  expect(await metrics()).toEqual(before);

  // a no-op UPDATE of the ledger rebuilds the deals' visits: deltas that net to nothing
  await sql('UPDATE stage_changes SET changed_at = changed_at WHERE workspace_id = $1', [ws.id]);
  expect(await tallied(ws.id)).toEqual(counted);
  await sql('SELECT stage_tallies_rebuild(ARRAY(SELECT id FROM stages WHERE workspace_id = $1))', [ws.id]);
  expect(await pendingDeltas(ws.id)).toBe(0);
  expect(await tallied(ws.id)).toEqual(counted);
  expect(await metrics()).toEqual(before);
});

test('concurrent moves between the same stages, folded meanwhile, all commit and add up', async () => {
  const { ws, admin, pipeline, open } = await newBoard(t, 3);
  const deals = await Promise.all(Array.from({ length: 10 }, async (_, i) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: open[0].id, title: `C${i}`, value: 10 } })).createDeal.id));
  let writing = true;
  const folding = (async () => {
    let folded = 0;
    while (writing) {
      await catchUpVisits();
      folded += await folder.compactTallies();
    }
    return folded;
  })();
  // each writer walks its own deal S1 → S2 → S3 → S1 … : every move touches the same (stage, day) tallies
  await Promise.all(deals.map(async (id) => {
    for (let i = 1; i <= 15; i++) {
      const result = await gql(t.url, admin, MoveDealDocument, { id, stageId: open[i % 3].id });
      expect(result.errors).toBeUndefined();
    }
  }));
  writing = false;
  expect(await folding).toBeGreaterThan(0);
  expect(await tallied(ws.id)).toEqual(await countedFromVisits(ws.id));
  const [{ changes }] = await sql<{ changes: number }>('SELECT count(*)::int AS changes FROM stage_changes WHERE workspace_id = $1', [ws.id]);
  expect(changes).toBe(10 * 16);
});

test('the seed script migrates a new database, then, writing visits with triggers off, leaves tallies equal to its visits', async () => {
  const url = await scratchDatabase('tallies_seed');
  try {
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: url, JWT_SECRET: '' };
    const { stdout } = await run('npx', ['ts-node', '--transpile-only', 'scripts/seed.ts', '--deals', '400', '--batch', '150', '--workspace', 'seeded'], { env });
    expect(stdout).toMatch(/^applying \d+ migrations…$/m);
    expect(stdout).toContain('triggers off');
    const counted = await countedFromVisits('seeded', url);
    expect(counted.length).toBeGreaterThan(100);
    expect(await tallied('seeded', url)).toEqual(counted);
    // Each deal carries its lead's source, as the trigger that copies it would have written.
    const [sources] = await sql<{ leads: number; copied: number }>(`SELECT count(*)::int AS leads,
      count(*) FILTER (WHERE d.lead_source = l.source)::int AS copied FROM deals d JOIN leads l ON l.id = d.lead_id
      WHERE d.workspace_id = 'seeded'`, [], url);
    expect(sources.leads).toBeGreaterThan(100);
    expect(sources.copied).toBe(sources.leads);
  } finally {
    await dropScratchDatabase(url);
  }
}, 120_000);

const backlog = async (workspaceId: string) => (await sql<{ n: number }>(
  'SELECT count(*)::int AS n FROM stage_visit_backlog b JOIN stage_changes c ON c.id = b.change_id WHERE c.workspace_id = $1',
  [workspaceId]))[0].n;

test("the app's timer folds the visit backlog, then the deltas in", async () => {
  const folding = await startTestApp({ REPORT_FOLD_INTERVAL_MS: '50' });
  try {
    const { ws, admin, pipeline, open: [s1, s2] } = await newBoard(folding, 2);
    const { id } = ok(await gql(folding.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'F', value: 1 } })).createDeal;
    ok(await gql(folding.url, admin, MoveDealDocument, { id, stageId: s2.id }));
    const settled = async () => (await backlog(ws.id)) === 0 && (await pendingDeltas(ws.id)) === 0;
    for (let waited = 0; !(await settled()) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(await backlog(ws.id)).toBe(0);
    expect(await pendingDeltas(ws.id)).toBe(0);
    expect(await tallied(ws.id)).toEqual(await countedFromVisits(ws.id));
    expect((await tallied(ws.id)).length).toBeGreaterThan(0);
  } finally {
    await folding.stop();
  }
});

test('the folder vacuums the backlog and the deltas once it has taken `vacuumAfter` rows from them, not before', async () => {
  // vacuum_count counts manual VACUUMs only (autovacuum has its own counter), and is stored at once.
  const vacuums = async () => (await sql<{ n: number }>(`SELECT coalesce(sum(vacuum_count), 0)::int AS n
    FROM pg_stat_user_tables WHERE relname IN ('stage_visit_backlog', 'stage_tally_deltas')`))[0].n;
  const { admin, pipeline, open: [s1, s2] } = await newBoard(t, 2);
  const { id } = ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'V', value: 1 } })).createDeal;
  ok(await gql(t.url, admin, MoveDealDocument, { id, stageId: s2.id }));

  const before = await vacuums();
  await new ReportFolder(t.app.dataSource, t.app.logger, 0, () => true, 1_000_000).fold();
  expect(await vacuums()).toBe(before);
  // 0: after every fold, whatever it took (another test file's catch-up may have taken these rows first).
  await new ReportFolder(t.app.dataSource, t.app.logger, 0, () => true, 0).fold();
  expect(await vacuums()).toBe(before + 2);
});
