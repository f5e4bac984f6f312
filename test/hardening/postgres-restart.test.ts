import { DealEventSeqsDocument, LiveMetricsDocument, MoveDealDocument } from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { wsClient, WsClient } from '../helpers/ws-client';
import { until } from './memory';
import { startPostgres, stopPostgres } from './postgres-control';
import { rawSocket } from './raw-socket';

/**
 * Stops the machine's PostgreSQL: every other test fails while it is down. Runs only with
 * FAULT_TESTS=1, alone (`.ci/run` runs it after the rest of the suite).
 */
const faultTest = process.env.FAULT_TESTS === '1' ? test : test.skip;

interface Outcome {
  at: number;
  ms: number;
  status: number;
  codes: (string | undefined)[];
  retryable: boolean;
  retryAfter: string | null;
}

/** Keeps `workers` clients sending queries and moves, and records every answer, until stopped. */
function load(url: string, token: string, dealId: string, stageIds: string[], workers = 4) {
  const outcomes: Outcome[] = [];
  let running = true;
  const one = async (i: number) => {
    // Resolvers, a query PostgreSQL answers whole (infra/sql-answers), and a move: each failure answers alike.
    const body = [
      { query: '{ me { id } pipelines { id } }' },
      { query: '{ pipelines { id name } }' },
      { query: 'mutation ($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { version } }', variables: { id: dealId, s: stageIds[i % stageIds.length] } },
    ][i % 3];
    const start = Date.now();
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const json = (await response.json().catch(() => ({}))) as { errors?: { extensions?: { code?: string; retryable?: boolean } }[] };
    outcomes.push({
      at: start, ms: Date.now() - start, status: response.status,
      codes: (json.errors ?? []).map((e) => e.extensions?.code),
      retryable: (json.errors ?? []).every((e) => e.extensions?.retryable === true),
      retryAfter: response.headers.get('retry-after'),
    });
  };
  const workersDone = Promise.all(Array.from({ length: workers }, async (_, w) => {
    for (let i = w; running; i += workers) {
      await one(i).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }));
  return { outcomes, stop: async () => { running = false; await workersDone; } };
}

const readyz = async (url: string) => (await fetch(url.replace('/graphql', '/readyz'))).status;

faultTest('PostgreSQL stopped and restarted under load: fast retryable errors, /readyz, then full recovery with no event lost', async () => {
  const t = await startTestApp(process.env.FAULT_DEBUG ? { LOG_LEVEL: 'error' } : {});
  started = t;
  const admin = newWorkspace().token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 3);
  const stageIds = pipeline.stages.filter((s) => s.kind === 'OPEN').map((s) => s.id);
  const deal = await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'Survives', value: 100 });
  const subscriber = wsClient(t.url, admin);
  client = subscriber;
  const events = subscriber.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: '0' });
  await events.waitFor(1);
  const metrics = subscriber.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
  await metrics.waitFor(1);

  const traffic = load(t.url, admin, deal.id, stageIds);
  running = traffic;
  let stoppedAt = 0;
  let restartedAt = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    stoppedAt = Date.now();
    stopPostgres();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await readyz(t.url)).toBe(503);
    // A new socket with a valid token is told to retry (1013), not that its token is bad (4403).
    const newcomer = rawSocket(t.url);
    await newcomer.opened;
    newcomer.send({ type: 'connection_init', payload: { authorization: `Bearer ${newWorkspace().token('ADMIN')}` } });
    expect((await newcomer.closed).code).toBe(1013);
  } finally {
    await startPostgres();
    restartedAt = Date.now();
  }

  // Recovery on its own: no restart of the app, no intervention.
  await until(async () => (await readyz(t.url)) === 200, 20_000, '/readyz to report the database again');
  await until(() => traffic.outcomes.some((o) => o.at > restartedAt && o.status === 200 && o.codes.length === 0), 20_000, 'a request to succeed');
  const recoveredAt = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await traffic.stop();

  // While it was down: answers came fast, as retryable 503s, never a hang or a bare 500.
  const down = traffic.outcomes.filter((o) => o.at > stoppedAt + 1_000 && o.at + o.ms < restartedAt);
  expect(down.length).toBeGreaterThan(10);
  if (process.env.FAULT_DEBUG) console.log(JSON.stringify(traffic.outcomes.map((o) => ({ ...o, at: o.at - stoppedAt }))));
  for (const o of down) {
    expect(o).toMatchObject({ status: 503, retryable: true, retryAfter: '1' });
    expect(o.codes.every((c) => c === 'INTERNAL_SERVER_ERROR')).toBe(true);
  }
  expect(Math.max(...down.map((o) => o.ms))).toBeLessThan(5_000);
  expect(traffic.outcomes.filter((o) => o.status === 500)).toEqual([]);

  // After it: every request succeeds again, queries and moves alike.
  const after = traffic.outcomes.filter((o) => o.at >= recoveredAt);
  expect(after.length).toBeGreaterThan(10);
  expect(after.filter((o) => o.status !== 200 || o.codes.length > 0)).toEqual([]);
  // The last move puts the deal in the second stage, wherever it was.
  ok(await gql(t.url, admin, MoveDealDocument, { id: deal.id, stageId: stageIds[0] }));
  ok(await gql(t.url, admin, MoveDealDocument, { id: deal.id, stageId: stageIds[1] }));

  // The subscription lived through it and received the whole log: no gap, no duplicate.
  const log = await sql<{ seq: string }>('SELECT seq FROM deal_events WHERE pipeline_id = $1 ORDER BY seq', [pipeline.id]);
  await until(() => events.data.length >= log.length, 20_000, `the subscriber to catch up to ${log.length} events`).catch((err) => {
    throw new Error(`${err.message}: got ${events.data.length}, errors ${JSON.stringify(events.errors)}, closes ${subscriber.closes}`);
  });
  expect(events.data.map((e) => e.dealEvents.seq)).toEqual(log.map((r) => r.seq));
  expect(subscriber.closes).toEqual([]);
  // Events that arrived while the database was away were delivered once it was back, not as errors.
  expect(events.errors).toEqual([]);

  // Live metrics came back too: the latest message reflects the last move.
  const latestCounts = () => metrics.data[metrics.data.length - 1].pipelineMetricsUpdated.stages.map((x) => x.dealCount);
  await until(() => JSON.stringify(latestCounts()) === JSON.stringify([0, 1, 0, 0, 0]), 20_000, 'live metrics to show the last move')
    .catch((err) => { throw new Error(`${err.message}: latest ${JSON.stringify(latestCounts())}, errors ${JSON.stringify(metrics.errors)}`); });
  expect(metrics.errors).toEqual([]);

  // The dispatcher's LISTEN session came back by itself.
  const sessions = await sql<{ n: string }>(
    "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'dealstream-events' AND backend_start > to_timestamp($1 / 1000.0)", [restartedAt],
  );
  expect(Number(sessions[0].n)).toBeGreaterThanOrEqual(1);

}, 120_000);

let started: TestApp | undefined;
let client: WsClient | undefined;
let running: ReturnType<typeof load> | undefined;

/** Whatever happened: PostgreSQL up again, and nothing of the test left running. */
afterAll(async () => {
  if (process.env.FAULT_TESTS !== '1') return;
  await startPostgres();
  await running?.stop();
  await client?.dispose();
  await started?.stop();
});
