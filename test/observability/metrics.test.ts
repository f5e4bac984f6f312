import { print } from 'graphql';
import { DealEventsDocument, LiveMetricsDocument, MeDocument } from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { errorCodes, gql } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';

/** The operator's view: probes, Prometheus figures and request ids, on an app of the test's own. */
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  base = t.url.replace(/\/graphql$/, '');
});
afterAll(() => t.stop());

/** The value of one sample of the Prometheus text, e.g. `metric(text, 'x_total', 'code="A"')`; undefined when absent. */
function metric(text: string, name: string, labels?: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(): Promise<string> {
  const response = await fetch(`${base}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('/healthz answers while the process runs, /readyz when the database does', async () => {
  const health = await fetch(`${base}/healthz`);
  expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
  const ready = await fetch(`${base}/readyz`);
  expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', details: { limits: 'per instance' } }]);
});

test('every request gets an id; a sane one from the caller is kept', async () => {
  const body = JSON.stringify({ query: print(MeDocument), operationName: 'Me' });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${newWorkspace().token('ANALYST')}` };
  const generated = await fetch(t.url, { method: 'POST', headers, body });
  expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const kept = await fetch(t.url, { method: 'POST', headers: { ...headers, 'x-request-id': 'lb-trace-0001' }, body });
  expect(kept.headers.get('x-request-id')).toBe('lb-trace-0001');
  const refused = await fetch(t.url, { method: 'POST', headers: { ...headers, 'x-request-id': 'no spaces <allowed>' }, body });
  expect(refused.headers.get('x-request-id')).not.toBe('no spaces <allowed>');
});

test('/metrics counts operations by name and outcome and errors by code', async () => {
  const before = await scrape();
  const okBefore = metric(before, 'dealstream_graphql_request_duration_seconds_count', 'operation="Me",type="query",outcome="ok"') ?? 0;
  const unauthBefore = metric(before, 'dealstream_graphql_errors_total', 'code="UNAUTHENTICATED"') ?? 0;

  const ws = newWorkspace();
  await gql(t.url, ws.token('ADMIN'), MeDocument);
  await gql(t.url, ws.token('ADMIN'), MeDocument);
  expect(errorCodes(await gql(t.url, undefined, MeDocument))).toEqual(['UNAUTHENTICATED']);

  const after = await scrape();
  expect(metric(after, 'dealstream_graphql_request_duration_seconds_count', 'operation="Me",type="query",outcome="ok"')).toBe(okBefore + 2);
  expect(metric(after, 'dealstream_graphql_request_duration_seconds_count', 'operation="Me",type="query",outcome="error"')).toBeGreaterThanOrEqual(1);
  expect(metric(after, 'dealstream_graphql_errors_total', 'code="UNAUTHENTICATED"')).toBe(unauthBefore + 1);
  // A histogram: the two fast calls fall in the 5 s bucket and below.
  expect(metric(after, 'dealstream_graphql_request_duration_seconds_bucket', 'le="5",operation="Me",type="query",outcome="ok"')).toBe(okBefore + 2);
  // The database pool of the test app (8 connections at most) is reported.
  const open = metric(after, 'dealstream_db_pool_connections');
  expect(open).toBeGreaterThanOrEqual(1);
  expect(open).toBeLessThanOrEqual(8);
  expect(metric(after, 'dealstream_db_pool_waiting')).toBe(0);
  expect(metric(after, 'dealstream_process_resident_memory_bytes')).toBeGreaterThan(0);
});

test('/metrics follows sockets, subscriptions and dispatched events', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 2, 'Observed');
  const client = wsClient(t.url, ws.token('ANALYST'));
  const metrics = client.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
  const events = client.subscribe(DealEventsDocument, { pipelineId: pipeline.id });
  await metrics.waitFor(1);

  await until(async () => {
    const text = await scrape();
    return metric(text, 'dealstream_ws_active_sockets') === 1 && metric(text, 'dealstream_ws_active_subscriptions') === 2;
  }, 'one socket with two subscriptions');
  const dispatchedBefore = metric(await scrape(), 'dealstream_deal_events_dispatched_total') ?? 0;

  await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'Observed deal', value: 100 });
  await events.waitFor(1);
  await until(async () => (metric(await scrape(), 'dealstream_deal_events_dispatched_total') ?? 0) > dispatchedBefore, 'a dispatched event');
  expect(metric(await scrape(), 'dealstream_deal_event_lag_seconds_count')).toBeGreaterThan(0);

  // A socket that closes ends its own operations, and only those.
  const other = wsClient(t.url, ws.token('ANALYST'));
  const otherMetrics = other.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
  await otherMetrics.waitFor(1);
  await client.dispose();
  await until(async () => {
    const text = await scrape();
    return metric(text, 'dealstream_ws_active_sockets') === 1 && metric(text, 'dealstream_ws_active_subscriptions') === 1;
  }, 'the other socket with its one subscription');
  await other.dispose();
  await until(async () => {
    const text = await scrape();
    return metric(text, 'dealstream_ws_active_sockets') === 0 && metric(text, 'dealstream_ws_active_subscriptions') === 0;
  }, 'no socket and no subscription');
});
