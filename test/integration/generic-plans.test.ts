import { GENERIC_PLAN_SESSIONS, REPORT_SESSIONS } from '../../src/infra/db/prepared';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard } from '../factories/workspace.factory';
import { dropScratchDatabase, sql } from '../helpers/database';
import { migratedScratchDatabase } from '../helpers/own-database';
import { startTestApp } from '../helpers/test-app';
import { until } from '../hardening/memory';

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

test('an equality list runs on the sessions of generic plans, a range does not, and they end with the app', async () => {
  const t = await startTestApp({ DATABASE_URL: url });
  let stopped = false;
  try {
    const board = await newBoard(t);
    await createDeal(t.url, board.admin, { title: 'Acme', value: 100, pipelineId: board.pipeline.id });
    const ranged = await query(t.url, board.admin, '{ deals(filter: { closedAfter: "2020-01-01T00:00:00Z" }, first: 5) { totalCount nodes { id } } }');
    expect(ranged).toEqual({ data: { deals: { totalCount: 0, nodes: [] } } });
    expect(await genericSessions()).toBe(0);
    const equal = await query(t.url, board.admin,
      `{ deals(filter: { pipelineId: "${board.pipeline.id}", status: OPEN }, first: 5) { totalCount nodes { title } } }`);
    expect(equal).toEqual({ data: { deals: { totalCount: 1, nodes: [{ title: 'Acme' }] } } });
    expect(await genericSessions()).toBeGreaterThan(0);
    await t.stop();
    stopped = true;
    await until(async () => (await genericSessions()) === 0, 5_000, 'the sessions of generic plans to end with the app');
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
