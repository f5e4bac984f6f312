import 'reflect-metadata';
import { Client } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { signToken } from '../src/infra/auth/token';
import { flowSql } from '../src/features/history/flow.sql';
import { snapshotSql } from '../src/features/history/snapshot.sql';
import { Role } from '../src/features/workspaces/role';
import { SNAPSHOT_FIGURES, SNAPSHOT_WITH_DEALS as SNAPSHOT_WITH_DEALS_SQL } from './history-baselines';
import { graphqlRequester, percentile, timeAlternating } from './timing';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { startStatementCounter } = require('./lib/statement-counter');

/**
 * Times pipelineFlow over a quarter and pipelineSnapshot through GraphQL over HTTP against SQL
 * for the same answer sent raw through `pg` (B: hand-written for the snapshot, see
 * history-baselines.ts; the service's own statement for the flow), on the largest pipeline of a
 * seeded workspace (`npm run seed`), and prints p50/p95, their ratio, the service's own statement
 * raw (C) and the statements each GraphQL request sends. Settings as bench/reports.ts:
 * DATABASE_URL, JWT_SECRET, WORKSPACE (bench), ITERATIONS (60), WARMUP (10), NODE_ENV.
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_bench';
const secret = process.env.JWT_SECRET ?? 'bench-secret-of-enough-length';
const workspace = process.env.WORKSPACE ?? 'bench';
const iterations = Number(process.env.ITERATIONS ?? 60);
const warmup = Number(process.env.WARMUP ?? 10);
const DAY = 86_400_000;

const FLOW = `query ($id: ID!, $from: DateTime!, $to: DateTime!) { pipelineFlow(pipelineId: $id, range: { from: $from, to: $to }) {
  from to start { dealCount value } end { dealCount value } movements { kind dealCount value } } }`;
const FLOW_WITH_DEALS = `query ($id: ID!, $from: DateTime!, $to: DateTime!) { pipelineFlow(pipelineId: $id, range: { from: $from, to: $to }) {
  start { dealCount value } end { dealCount value } movements { kind dealCount value deals(first: 10) { nodes { id title value } } } } }`;
const SNAPSHOT = `query ($id: ID!, $asOf: DateTime!) { pipelineSnapshot(pipelineId: $id, asOf: $asOf) {
  asOf openDealCount openValue weightedOpenValue stages { stage { id } dealCount value weightedValue } } }`;
const SNAPSHOT_WITH_DEALS = `query ($id: ID!, $asOf: DateTime!) { pipelineSnapshot(pipelineId: $id, asOf: $asOf) {
  openDealCount openValue stages { stage { id } dealCount value deals(first: 10) { nodes { title value deal { id } } } } } }`;

/** The statements one request of each document sends, counted on an app of its own behind a counting proxy. */
async function statementsPerRequest(documents: { query: string; variables: object }[], token: string): Promise<number[]> {
  const counter = await startStatementCounter();
  const counted = new URL(url);
  counted.port = String(counter.port);
  const app = await createApp(loadConfig({
    DATABASE_URL: counted.toString(), JWT_SECRET: secret, PORT: '0', MIGRATE: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0',
    DB_POOL_SIZE: '4', NODE_ENV: process.env.NODE_ENV ?? 'development',
  }));
  try {
    const graphql = graphqlRequester(await app.start(), token);
    const counts = [];
    for (const { query, variables } of documents) {
      await graphql(query, variables); // sessions opened, identity known
      // The fewest of three: the app's background work (webhook senders, the realtime log) may send some meanwhile.
      let fewest = Infinity;
      for (let i = 0; i < 3; i++) {
        counter.reset();
        await graphql(query, variables);
        fewest = Math.min(fewest, counter.count());
      }
      counts.push(fewest);
    }
    return counts;
  } finally {
    await app.stop();
    await counter.close();
  }
}


async function main() {
  const app = await createApp(loadConfig({
    DATABASE_URL: url, JWT_SECRET: secret, PORT: '0', MIGRATE: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', DB_POOL_SIZE: '4',
    NODE_ENV: process.env.NODE_ENV ?? 'development',
  }));
  const endpoint = await app.start();
  const pg = new Client({ connectionString: url });
  await pg.connect();
  await pg.query('SET jit = off'); // as report transactions run
  try {
    const token = signToken({ sub: 'analyst', wid: workspace, role: Role.ANALYST }, secret);
    const { rows: [pipeline] } = await pg.query(
      `SELECT pipeline_id AS id, count(*)::int AS deals FROM deals WHERE workspace_id = $1 AND deleted_at IS NULL
       GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, [workspace]);
    const { rows: [counts] } = await pg.query(
      `SELECT (SELECT count(*)::int FROM deals WHERE workspace_id = $1) AS deals,
              (SELECT count(*)::int FROM deal_history WHERE pipeline_id = $2) AS changes,
              (SELECT count(*)::int FROM deals WHERE pipeline_id = $2 AND status = 'OPEN' AND deleted_at IS NULL) AS open`,
      [workspace, pipeline.id]);
    const graphql = graphqlRequester(endpoint, token);
    const now = Date.now();
    const quarter = { from: new Date(now - 91 * DAY), to: new Date(now) };
    const asOf = new Date(now - 45 * DAY);
    const flowRaw = flowSql(workspace, pipeline.id, quarter, null);
    const flowPagesRaw = flowSql(workspace, pipeline.id, quarter, null, [{ first: 10 }]);
    const snapshotRaw = snapshotSql(workspace, pipeline.id, asOf);
    const snapshotPagesRaw = snapshotSql(workspace, pipeline.id, asOf, [{ first: 10 }]);
    const flowVars = { id: pipeline.id, from: quarter.from.toISOString(), to: quarter.to.toISOString() };
    const snapshotVars = { id: pipeline.id, asOf: asOf.toISOString() };
    const handWritten = [pipeline.id, workspace, asOf];
    const raw = (statement: { sql: string; params: unknown[] }) => () => pg.query(statement.sql, statement.params);

    console.log(`workspace "${workspace}": ${counts.deals.toLocaleString('en')} deals; pipeline ${pipeline.id}: `
      + `${pipeline.deals.toLocaleString('en')} deals (${counts.open.toLocaleString('en')} open now), `
      + `${counts.changes.toLocaleString('en')} field-history rows`);
    const cases = [
      { name: 'pipelineFlow, a quarter (figures)', query: FLOW, variables: flowVars, b: raw(flowRaw) },
      { name: 'pipelineSnapshot, 45 days ago (figures)', query: SNAPSHOT, variables: snapshotVars,
        b: () => pg.query(SNAPSHOT_FIGURES, handWritten), own: raw(snapshotRaw) },
      { name: 'pipelineFlow + 10 deals per movement', query: FLOW_WITH_DEALS, variables: flowVars, b: raw(flowPagesRaw) },
      { name: 'pipelineSnapshot + 10 deals per stage', query: SNAPSHOT_WITH_DEALS, variables: snapshotVars,
        b: () => pg.query(SNAPSHOT_WITH_DEALS_SQL, handWritten), own: raw(snapshotPagesRaw) },
    ];
    const statements = await statementsPerRequest(cases, token);
    console.log(`${iterations} timed runs after ${warmup} warm-up runs each, one request at a time, alternating\n`);
    console.log('case                                        A p50    p95 |   B p50    p95 | p50 A/B |   C p50 | stmts | A < 200 ms');
    for (const [i, c] of cases.entries()) {
      const [a, b, own] = await timeAlternating([() => graphql(c.query, c.variables), c.b, ...(c.own ? [c.own] : [])], iterations, warmup);
      const [a50, a95, b50, b95] = [percentile(a, 50), percentile(a, 95), percentile(b, 50), percentile(b, 95)];
      console.log(`${c.name.padEnd(42)} ${a50.toFixed(1).padStart(6)} ${a95.toFixed(1).padStart(6)} | ${b50.toFixed(1).padStart(7)} `
        + `${b95.toFixed(1).padStart(6)} | ${(a50 / b50).toFixed(2).padStart(6)}× | ${(own ? percentile(own, 50).toFixed(1) : '= B').padStart(7)} `
        + `| ${String(statements[i]).padStart(5)} | ${a50 < 200 ? 'ok' : 'MISSED'}`);
    }
    console.log('\nA = GraphQL over HTTP; B = SQL for the same answer raw through pg: hand-written for the snapshot '
      + '(bench/history-baselines.ts), the service\'s own statement for the flow (the best found); C = the statement the '
      + 'service sends, raw; stmts = statements one GraphQL request sends.');
  } finally {
    await pg.end();
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
