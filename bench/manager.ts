import 'reflect-metadata';
import { Client } from 'pg';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { signToken } from '../src/infra/auth/token';
import { dealAggregatesQuery } from '../src/features/reports/aggregates.service';
import { DealGroupField } from '../src/features/reports/aggregates.types';
import { Role } from '../src/features/workspaces/role';
import { Viewer } from '../src/features/workspaces/viewer';
import { graphqlRequester, percentile, timePair } from './timing';

/**
 * The managers' answers on a seeded workspace (`npm run seed`): `dealAggregates` with the won,
 * lost, win-rate and sales-cycle figures and the quarter and pipeline keys, through GraphQL
 * over HTTP against the very statement sent raw through `pg` (target: p50 within 1.2×); and
 * the board of the largest pipeline with every deal's `health` against the same board
 * without it (target: p50 within 1.1×). Settings as in reports.ts: DATABASE_URL, JWT_SECRET,
 * WORKSPACE (bench), ITERATIONS (60), WARMUP (10), REPORT_TIMEOUT_MS (5000; raise it on a busy machine), NODE_ENV
 * (run with `production`).
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_bench';
const secret = process.env.JWT_SECRET ?? 'bench-secret-of-enough-length';
const workspace = process.env.WORKSPACE ?? 'bench';
const iterations = Number(process.env.ITERATIONS ?? 60);
const warmup = Number(process.env.WARMUP ?? 10);

const FIGURES = 'count sum avg wonCount lostCount winRate averageSalesCycleDays';
const aggregatesQuery = (groupBy: string, keys: string) => `query { dealAggregates(groupBy: [${groupBy}]) { group { ${keys} } ${FIGURES} } }`;
const board = (health: boolean) => `query ($id: ID!) { pipeline(id: $id) { id name stages { id name kind
  deals(first: 20) { totalCount nodes { id title value status stageEnteredAt lastActivityAt expectedCloseDate isStalled owner { id name }
  ${health ? 'health { daysInStage daysSinceActivity reasons }' : ''} } } } } }`;

async function main() {
  const app = await createApp(loadConfig({
    DATABASE_URL: url, JWT_SECRET: secret, PORT: '0', MIGRATE: 'false', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '0', DB_POOL_SIZE: '4',
    NODE_ENV: process.env.NODE_ENV ?? 'development', STALL_CHECK_INTERVAL_MS: '0', REPORT_FOLD_INTERVAL_MS: '0',
    REPORT_TIMEOUT_MS: process.env.REPORT_TIMEOUT_MS ?? '5000',
  }));
  const endpoint = await app.start();
  const pg = new Client({ connectionString: url });
  await pg.connect();
  await pg.query('SET jit = off'); // as the app's report transactions run
  try {
    const token = signToken({ sub: 'analyst', wid: workspace, role: Role.ANALYST }, secret);
    const graphql = graphqlRequester(endpoint, token);
    const { rows: [pipeline] } = await pg.query(
      `SELECT pipeline_id AS id, count(*)::int AS deals FROM deals WHERE workspace_id = $1 AND deleted_at IS NULL
       GROUP BY 1 ORDER BY 2 DESC LIMIT 1`, [workspace]);
    const { rows: [{ deals }] } = await pg.query('SELECT count(*)::int AS deals FROM deals WHERE workspace_id = $1', [workspace]);
    await graphql('{ me { id } }'); // the analyst exists from here on
    const { rows: [{ user_id: userId }] } = await pg.query('SELECT id AS user_id FROM users WHERE workspace_id = $1 LIMIT 1', [workspace]);
    const viewer: Viewer = { workspaceId: workspace, userId, externalId: 'analyst', role: Role.ANALYST };
    const raw = (groupBy: DealGroupField[]) => {
      const q = dealAggregatesQuery(viewer, null, groupBy);
      return () => pg.query(q.sql, q.params);
    };

    console.log(`workspace "${workspace}": ${deals.toLocaleString('en')} deals; board of pipeline ${pipeline.id}: ${pipeline.deals.toLocaleString('en')} deals`);
    console.log(`${iterations} timed runs after ${warmup} warm-up runs each, one request at a time, the two sides alternating\n`);
    const cases = [
      { name: 'board with health vs without', limit: 1.1, a: () => graphql(board(true), { id: pipeline.id }), b: () => graphql(board(false), { id: pipeline.id }) },
      {
        name: 'dealAggregates PIPELINE, CLOSED_QUARTER', limit: 1.2,
        a: () => graphql(aggregatesQuery('PIPELINE, CLOSED_QUARTER', 'pipeline { id name } closedQuarter')),
        b: raw([DealGroupField.PIPELINE, DealGroupField.CLOSED_QUARTER]),
      },
      {
        name: 'dealAggregates OWNER, CREATED_QUARTER', limit: 1.2,
        a: () => graphql(aggregatesQuery('OWNER, CREATED_QUARTER', 'owner { id name } createdQuarter')),
        b: raw([DealGroupField.OWNER, DealGroupField.CREATED_QUARTER]),
      },
      {
        name: 'dealAggregates EXPECTED_CLOSE_MONTH, STAGE', limit: 1.2,
        a: () => graphql(aggregatesQuery('EXPECTED_CLOSE_MONTH, STAGE', 'expectedCloseMonth stage { id name }')),
        b: raw([DealGroupField.EXPECTED_CLOSE_MONTH, DealGroupField.STAGE]),
      },
    ];
    console.log('case                                          A p50    p95 |   B p50    p95 | p50 A/B | target');
    for (const c of cases) {
      const [a, b] = await timePair(c.a, c.b, iterations, warmup);
      const [a50, a95, b50, b95] = [percentile(a, 50), percentile(a, 95), percentile(b, 50), percentile(b, 95)];
      console.log(`${c.name.padEnd(44)} ${a50.toFixed(1).padStart(7)} ${a95.toFixed(1).padStart(6)} | ${b50.toFixed(1).padStart(7)} ${b95.toFixed(1).padStart(6)} | `
        + `${(a50 / b50).toFixed(2).padStart(6)}× | ${a50 <= c.limit * b50 ? 'ok' : 'MISSED'} (≤ ${c.limit}×)`);
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
