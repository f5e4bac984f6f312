import 'reflect-metadata';
import { Client } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { signToken } from '../src/infra/auth/token';
import { dealAggregatesQuery } from '../src/features/reports/aggregates.service';
import { DealGroupField } from '../src/features/reports/aggregates.types';
import { PIPELINE_METRICS_SQL } from '../src/features/reports/metrics.sql';
import { resolveRange, wholeDays } from '../src/features/reports/report-range';
import { Role } from '../src/features/workspaces/role';
import { Viewer } from '../src/features/workspaces/viewer';
import { graphqlRequester, percentile, timePair } from './timing';

/**
 * Times the reports through GraphQL over HTTP against the same SQL sent raw through `pg`, on
 * a seeded workspace (`npm run seed`), and prints p50/p95 and their ratio. Settings:
 * DATABASE_URL (default the local dealstream_bench), JWT_SECRET, WORKSPACE (default bench),
 * ITERATIONS (default 60), WARMUP (default 10), NODE_ENV (run it with `production`, as a
 * deployment would: graphql-js checks less per value then).
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_bench';
const secret = process.env.JWT_SECRET ?? 'bench-secret-of-enough-length';
const workspace = process.env.WORKSPACE ?? 'bench';
const iterations = Number(process.env.ITERATIONS ?? 60);
const warmup = Number(process.env.WARMUP ?? 10);

const METRICS_QUERY = `query ($id: ID!) { pipelineMetrics(pipelineId: $id) {
  pipelineId from to openDealCount openValue weightedOpenValue wonCount lostCount wonValue averageDealSize winRate
  averageSalesCycleDays velocityPerDay computedAt
  stages { stage { id name position kind } dealCount value weightedValue averageDaysInStage conversionRate lostCount stalledCount } } }`;
const AGGREGATES_QUERY = `query { dealAggregates(groupBy: [STAGE, OWNER]) {
  group { stage { id name } owner { id name } } count sum avg min max } }`;

async function main() {
  const app = await createApp(loadConfig({
    DATABASE_URL: url, JWT_SECRET: secret, PORT: '0', MIGRATE: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', DB_POOL_SIZE: '4',
    NODE_ENV: process.env.NODE_ENV ?? 'development',
  }));
  const endpoint = await app.start();
  const pg = new Client({ connectionString: url });
  await pg.connect();
  // The raw side runs with the settings the app gives report transactions (no JIT), so the
  // ratio measures GraphQL, HTTP and the transaction, not a different plan.
  await pg.query('SET jit = off');
  try {
    const token = signToken({ sub: 'analyst', wid: workspace, role: Role.ANALYST }, secret);
    const { rows: [pipeline] } = await pg.query(
      `SELECT pipeline_id AS id, count(*)::int AS deals FROM deals WHERE workspace_id = $1 AND deleted_at IS NULL
       GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, [workspace]);
    const { rows: [{ deals }] } = await pg.query('SELECT count(*)::int AS deals FROM deals WHERE workspace_id = $1', [workspace]);
    const graphql = graphqlRequester(endpoint, token);
    const { rows: [{ user_id: userId }] } = await pg.query('SELECT id AS user_id FROM users WHERE workspace_id = $1 LIMIT 1', [workspace]);
    const viewer: Viewer = { workspaceId: workspace, userId, externalId: 'analyst', role: Role.ANALYST };
    const aggregates = dealAggregatesQuery(viewer, null, [DealGroupField.STAGE, DealGroupField.OWNER]);

    console.log(`workspace "${workspace}": ${deals.toLocaleString('en')} deals; pipeline ${pipeline.id}: ${pipeline.deals.toLocaleString('en')} deals`);
    console.log(`${iterations} timed runs after ${warmup} warm-up runs each, one request at a time, GraphQL and raw SQL alternating\n`);
    const cases = [
      {
        name: 'pipelineMetrics (100k-deal pipeline)',
        graphql: () => graphql(METRICS_QUERY, { id: pipeline.id }),
        raw: () => {
          const range = resolveRange(null);
          const days = wholeDays(range);
          return pg.query(PIPELINE_METRICS_SQL, [workspace, pipeline.id, range.from, range.to, days.start, days.end]);
        },
        target: 50,
      },
      {
        name: 'dealAggregates by STAGE, OWNER (workspace)',
        graphql: () => graphql(AGGREGATES_QUERY),
        raw: () => pg.query(aggregates.sql, aggregates.params),
      },
    ];
    console.log('report                                      GraphQL p50   p95 |   raw SQL p50   p95 | p50 ratio | target');
    for (const c of cases) {
      const [g, r] = await timePair(c.graphql, c.raw, iterations, warmup);
      const [g50, g95, r50, r95] = [percentile(g, 50), percentile(g, 95), percentile(r, 50), percentile(r, 95)];
      const withinRatio = g50 <= 1.2 * r50 + 2;
      const withinTarget = c.target === undefined || g50 < c.target;
      console.log(`${c.name.padEnd(42)} ${g50.toFixed(1).padStart(8)} ${g95.toFixed(1).padStart(6)} | ${r50.toFixed(1).padStart(11)} ${r95.toFixed(1).padStart(6)} | `
        + `${(g50 / r50).toFixed(2).padStart(8)}× | ${withinRatio ? 'ok' : 'MISSED'} (≤ 1.2× raw + 2 ms)${c.target ? `, ${withinTarget ? 'ok' : 'MISSED'} (< ${c.target} ms)` : ''}`);
    }
  } finally {
    await pg.end();
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
