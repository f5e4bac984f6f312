import { Client } from 'pg';
import { walkCap } from '../../src/infra/pagination/capped-walk';
import { GENERIC_PLAN_SESSIONS, PER_VALUES_PLAN_SESSIONS, PER_VALUES_PLAN_SETTING, REPORT_SESSIONS } from '../../src/infra/db/prepared';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard } from '../factories/workspace.factory';
import { dropScratchDatabase, sql } from '../helpers/database';
import { migratedScratchDatabase } from '../helpers/own-database';
import { startTestApp } from '../helpers/test-app';
import { until } from '../hardening/memory';
import { PlanNode, planNodes } from '../helpers/plan-nodes';

/**
 * Lists of equalities are planned once for every value, on sessions of their own
 * (infra/db/prepared.ts); lists whose best plan depends on their values are not; the sessions
 * end with the app. On a database of its own, so that the sessions counted are this app's.
 */
let url: string;
beforeAll(async () => {
  url = await migratedScratchDatabase('generic_plans');
}, 60_000);
afterAll(() => dropScratchDatabase(url));

const sessionsNamed = async (name: string) => {
  const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
    [name, new URL(url).pathname.slice(1)]);
  return n;
};
const genericSessions = () => sessionsNamed(GENERIC_PLAN_SESSIONS);

async function query(appUrl: string, token: string, text: string) {
  const response = await fetch(appUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: text }),
  });
  return response.json() as Promise<{ data?: unknown; errors?: unknown[] }>;
}

test('an equality list runs on the sessions of generic plans, a range on those that plan each execution, and they end with the app', async () => {
  const t = await startTestApp({ DATABASE_URL: url });
  let stopped = false;
  try {
    const board = await newBoard(t);
    await createDeal(t.url, board.admin, { title: 'Acme', value: 100, pipelineId: board.pipeline.id });
    const ranged = await query(t.url, board.admin, '{ deals(filter: { closedAfter: "2020-01-01T00:00:00Z" }, first: 5) { totalCount nodes { id } } }');
    expect(ranged).toEqual({ data: { deals: { totalCount: 0, nodes: [] } } });
    expect(await genericSessions()).toBe(0);
    expect(await sessionsNamed(PER_VALUES_PLAN_SESSIONS)).toBeGreaterThan(0);
    const equal = await query(t.url, board.admin,
      `{ deals(filter: { pipelineId: "${board.pipeline.id}", status: OPEN }, first: 5) { totalCount nodes { title } } }`);
    expect(equal).toEqual({ data: { deals: { totalCount: 1, nodes: [{ title: 'Acme' }] } } });
    expect(await genericSessions()).toBeGreaterThan(0);
    await t.stop();
    stopped = true;
    await until(async () => (await genericSessions()) === 0, 5_000, 'the sessions of generic plans to end with the app');
    await until(async () => (await sessionsNamed(PER_VALUES_PLAN_SESSIONS)) === 0, 5_000, 'the sessions of plans per values to end with the app');
  } finally {
    if (!stopped) await t.stop();
  }
});

test('a report is one statement on the report sessions, with no transaction around it; they end with the app', async () => {
  const t = await startTestApp({ DATABASE_URL: url });
  let stopped = false;
  try {
    const board = await newBoard(t);
    await createDeal(t.url, board.admin, { title: 'Acme', value: 100, pipelineId: board.pipeline.id });
    t.statements.length = 0;
    const metrics = await query(t.url, board.admin, `{ pipelineMetrics(pipelineId: "${board.pipeline.id}") { openDealCount openValue } }`);
    expect(metrics).toEqual({ data: { pipelineMetrics: { openDealCount: 1, openValue: 100 } } });
    expect(t.statements.filter((s) => /\bopen_deals\b/.test(s))).toHaveLength(1);
    expect(t.statements.filter((s) => /^\s*(BEGIN|COMMIT|SET)\b/i.test(s))).toEqual([]);
    expect(await sessionsNamed(REPORT_SESSIONS)).toBeGreaterThan(0);
    await t.stop();
    stopped = true;
    await until(async () => (await sessionsNamed(REPORT_SESSIONS)) === 0, 5_000, 'the report sessions to end with the app');
  } finally {
    if (!stopped) await t.stop();
  }
});


/**
 * Lists whose best plan depends on their values are planned for them on every execution. Left
 * to PostgreSQL, after five pages whose matches lie early in the list's order it takes the
 * generic plan, and a page whose matches are few then reads most of the list for them: the
 * deals closed since yesterday, in value order, after pages of those closed since 2000.
 */
test('a list planned per values, after many pages of common values, reads a bounded share of the list for rare ones', async () => {
  // A database of its own: the planner's estimates then come from this workspace's deals alone.
  const own = await migratedScratchDatabase('plans_per_values');
  const t = await startTestApp({ DATABASE_URL: own });
  const client = new Client({ connectionString: own, options: `-c ${PER_VALUES_PLAN_SETTING}` });
  try {
    const board = await newBoard(t);
    // 10,000 deals won over 400 days.
    await sql(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, status, closed_at)
      SELECT $1, 'Deal', (random() * 100000)::numeric(14, 2), $2, $3, 'WON', now() - random() * interval '400 days'
      FROM generate_series(1, 10000)`, [board.ws.id, board.pipeline.id, board.won.id], own);
    await sql('ANALYZE deals', [], own);
    await client.connect();
    const ws = client.escapeLiteral(board.ws.id);
    // The statement the API sends for `filter`, run as its sessions run it: eight times with
    // `common` (the workspace, then the value), then explained with `rare`; the deal rows it read.
    const readAfterCommonPages = async (name: string, filter: string, column: string, common: string, rare: string) => {
      t.statements.length = 0;
      const list = await query(t.url, board.admin, `{ deals(filter: { ${filter} }, orderBy: [{ field: VALUE, direction: DESC }], first: 20) { nodes { id } } }`);
      expect((list.data as { deals: { nodes: unknown[] } }).deals.nodes).toHaveLength(20);
      const [text] = t.statements.filter((statement) => statement.includes(column));
      expect(text).toMatch(new RegExp(`workspace_id = \\$1\\b[\\s\\S]*${column} (=|>=) \\$2\\b`));
      for (let i = 0; i < 8; i++) await client.query({ name, text, values: [board.ws.id, common] });
      const { rows: [row] } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${name}(${ws}, ${client.escapeLiteral(rare)})`);
      return planNodes(row['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] === 'deals')
        .reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0), 0);
    };
    // A close date is checked along a capped walk (capped-walk.ts): the walk, its end, then the
    // matches after it by their own index. (A lead source is written into the statement, each
    // source planned for itself: list-plans.test.ts.)
    const bound = 2 * walkCap(20) + 100;
    const since = new Date(Date.now() - 86_400_000).toISOString();
    expect(await readAfterCommonPages('by_closing', 'closedAfter: "2000-01-01T00:00:00Z"', 'closed_at', '2000-01-01T00:00:00Z', since))
      .toBeLessThan(bound);
  } finally {
    await client.end();
    await t.stop();
    await dropScratchDatabase(own);
  }
}, 60_000);
