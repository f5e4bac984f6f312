import 'reflect-metadata';
import { Client } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { signToken } from '../src/infra/auth/token';
import { flowSql } from '../src/features/history/flow.sql';
import { snapshotSql } from '../src/features/history/snapshot.sql';
import { Role } from '../src/features/workspaces/role';

/**
 * Times pipelineFlow over a quarter and pipelineSnapshot through GraphQL over HTTP against
 * the same statement sent raw through `pg`, on the largest pipeline of a seeded workspace
 * (`npm run seed`), and prints p50/p95 and their ratio. Settings as bench/reports.ts:
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

async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < iterations; i++) {
    for (const [k, run] of [a, b].entries()) {
      const started = process.hrtime.bigint();
      await run();
      samples[k].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return [samples[0].sort((x, y) => x - y), samples[1].sort((x, y) => x - y)];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

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
    const graphql = async (query: string, variables: object) => {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json() as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body;
    };
    const now = Date.now();
    const quarter = { from: new Date(now - 91 * DAY), to: new Date(now) };
    const asOf = new Date(now - 45 * DAY);
    const flowRaw = flowSql(workspace, pipeline.id, quarter, null);
    const snapshotRaw = snapshotSql(workspace, pipeline.id, asOf);
    const flowVars = { id: pipeline.id, from: quarter.from.toISOString(), to: quarter.to.toISOString() };
    const snapshotVars = { id: pipeline.id, asOf: asOf.toISOString() };

    console.log(`workspace "${workspace}": ${counts.deals.toLocaleString('en')} deals; pipeline ${pipeline.id}: `
      + `${pipeline.deals.toLocaleString('en')} deals (${counts.open.toLocaleString('en')} open now), `
      + `${counts.changes.toLocaleString('en')} field-history rows`);
    console.log(`${iterations} timed runs after ${warmup} warm-up runs each, one request at a time, alternating\n`);
    const cases = [
      { name: 'pipelineFlow, a quarter (figures)', a: () => graphql(FLOW, flowVars), b: () => pg.query(flowRaw.sql, flowRaw.params) },
      { name: 'pipelineSnapshot, 45 days ago (figures)', a: () => graphql(SNAPSHOT, snapshotVars),
        b: () => pg.query(snapshotRaw.sql, snapshotRaw.params) },
      { name: 'pipelineFlow + 10 deals per movement', a: () => graphql(FLOW_WITH_DEALS, flowVars), b: () => graphql(FLOW, flowVars) },
      { name: 'pipelineSnapshot + 10 deals per stage', a: () => graphql(SNAPSHOT_WITH_DEALS, snapshotVars),
        b: () => graphql(SNAPSHOT, snapshotVars) },
    ];
    console.log('case                                        A p50    p95 |   B p50    p95 | p50 A/B | A < 200 ms');
    for (const c of cases) {
      const [a, b] = await timePair(c.a, c.b);
      const [a50, a95, b50, b95] = [percentile(a, 50), percentile(a, 95), percentile(b, 50), percentile(b, 95)];
      console.log(`${c.name.padEnd(42)} ${a50.toFixed(1).padStart(6)} ${a95.toFixed(1).padStart(6)} | ${b50.toFixed(1).padStart(7)} `
        + `${b95.toFixed(1).padStart(6)} | ${(a50 / b50).toFixed(2).padStart(6)}× | ${a50 < 200 ? 'ok' : 'MISSED'}`);
    }
    console.log('\nA = GraphQL over HTTP; B = the same figures statement raw through pg (first two rows), '
      + 'or the figures-only GraphQL query (last two: the cost of the deal pages).');
  } finally {
    await pg.end();
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
