import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DealDetailFastPathDocument, DealEventSeqsDocument, PipelineMetricsDocument } from '../generated/graphql';
import { dropScratchDatabase, scratchDatabase, sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { livePipeline, move, newDeal } from './realtime-fixtures';

/**
 * Retention on a database of its own: a retention of seconds would remove the other tests'
 * events. Two instances, so the test also sees that they share the sweeping.
 */
const RETENTION_SECONDS = 3;
let url: string;
let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  url = await scratchDatabase('retention');
  await promisify(execFile)('npx', ['ts-node', '--transpile-only', 'scripts/migrate.ts'], { env: { ...process.env, DATABASE_URL: url } });
  const env = { DATABASE_URL: url, EVENT_RETENTION_DAYS: String(RETENTION_SECONDS / 86_400) };
  [first, second] = await Promise.all([startTestApp(env), startTestApp(env)]);
}, 120_000);
afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
  await dropScratchDatabase(url);
});

async function eventCount(): Promise<number> {
  const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM deal_events', [], url);
  return n;
}

/** Resolves once `check` holds, polling the database; fails after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('expired events leave the log within seconds; replays before them answer EVENTS_EXPIRED, history and reports stay', async () => {
  const { admin, pipeline, stages } = await livePipeline(first);
  const deal = await newDeal(first, admin, pipeline.id, 'Kept history', 500);
  await move(first, admin, deal.id, stages.s2);
  await move(second, admin, deal.id, stages.s3);
  const [{ seq: lastRemoved }] = await sql<{ seq: string }>('SELECT max(seq)::text AS seq FROM deal_events', [], url);
  expect(await eventCount()).toBe(3);

  // Age plus one sweep interval (5 s) plus slack; the condition is awaited, not slept for.
  await until(async () => (await eventCount()) === 0, (RETENTION_SECONDS + 5) * 1000 + 5_000, 'the expired events to be removed');
  expect(first.app.realtime.retention.removed + second.app.realtime.retention.removed).toBe(3);

  // The deal's history and the pipeline's reports do not read the event log.
  const detail = ok(await gql(first.url, admin, DealDetailFastPathDocument, { id: deal.id })).deal!;
  expect(detail.history.map((h) => h.toStage?.id)).toEqual([stages.s1, stages.s2, stages.s3]);
  const metrics = ok(await gql(first.url, admin, PipelineMetricsDocument, { pipelineId: pipeline.id })).pipelineMetrics;
  expect(metrics.openDealCount).toBe(1);

  const kept = await move(first, admin, deal.id, stages.s1);
  expect(kept.stage.id).toBe(stages.s1);
  const [{ seq: keptSeq }] = await sql<{ seq: string }>('SELECT max(seq)::text AS seq FROM deal_events', [], url);
  expect(BigInt(keptSeq)).toBeGreaterThan(BigInt(lastRemoved));

  const client = wsClient(second.url, admin);
  try {
    // After a removed event: expired, naming the oldest kept one.
    const expired = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: String(BigInt(keptSeq) - 2n) });
    await expired.ended();
    expect(expired.data).toEqual([]);
    expect(expired.errors[0][0].extensions).toMatchObject({ code: 'EVENTS_EXPIRED', oldestSeq: keptSeq });

    // Right before the oldest kept: replays it, whole.
    const resumed = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: String(BigInt(keptSeq) - 1n) });
    const [{ dealEvents }] = await resumed.waitFor(1);
    expect(dealEvents).toMatchObject({ seq: keptSeq, type: 'MOVED', deal: { id: deal.id } });
    expect(resumed.errors).toEqual([]);
  } finally {
    await client.dispose();
  }
});
