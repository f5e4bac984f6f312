import {
  CreatePipelineDocument, DealEventsDocument, DealHealthDocument, LogActivityDocument, MoveDealDocument,
} from '../generated/graphql';
import { dropScratchDatabase, scratchDatabase, sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { createDeal, stagesOf } from '../factories/pipeline.factory';
import { subscribers } from './realtime-fixtures';

/**
 * Two instances, each with its stall detector, on a database of their own: the detector scans
 * every workspace, so on the shared test database it would write into other tests' logs.
 */
let url: string;
let a: TestApp;
let b: TestApp;
const detecting = (intervalMs: number) => ({ DATABASE_URL: url, MIGRATE: 'true', STALL_CHECK_INTERVAL_MS: String(intervalMs) });

beforeAll(async () => {
  url = await scratchDatabase('stall_events');
  a = await startTestApp(detecting(50));
  b = await startTestApp(detecting(50));
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await dropScratchDatabase(url);
});

async function stalledBoard(t: TestApp) {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = ok(await gql(t.url, admin, CreatePipelineDocument, { input: { name: 'Rotting', stages: stagesOf(2, 1) } })).createPipeline;
  const [s1, s2] = pipeline.stages;
  return { admin, pipeline, s1, s2 };
}

/** Sets a deal's clock back: entered its stage and last active `days` ago. */
const idleFor = (dealId: string, days: number) =>
  sql(`UPDATE deals SET stage_entered_at = now() - $2 * interval '1 day', last_activity_at = NULL WHERE id = $1`, [dealId, days], url);

const stalledEvents = (pipelineId: string) => sql<{ deal_id: string; to_stage_id: string; seq: string; actor_id: string | null; payload: object }>(
  "SELECT deal_id, to_stage_id, seq::text, actor_id, payload FROM deal_events WHERE pipeline_id = $1 AND type = 'STALLED' ORDER BY seq",
  [pipelineId], url);

/** Both detectors look again, at the same time, as often as asked: the marks must hold them back. */
async function bothScan(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.all([a.app.stallDetector.scan(), b.app.stallDetector.scan()]);
}

test('a deal that stalls gets one STALLED event, delivered like any other, whichever of two instances notices', async () => {
  const { admin, pipeline, s1 } = await stalledBoard(a);
  const client = wsClient(b.url, admin);
  const sub = client.subscribe(DealEventsDocument, { pipelineId: pipeline.id });
  await subscribers(b, 1);
  const deals = [];
  for (let i = 0; i < 12; i++) deals.push(await createDeal(a.url, admin, { pipelineId: pipeline.id, title: `D${i}`, value: 10 }));
  const before = await sql<{ id: string; version: number; updated_at: Date }>(
    'SELECT id, version, updated_at FROM deals WHERE pipeline_id = $1 ORDER BY id', [pipeline.id], url);
  // The moment passes for all of them at once; both detectors run every 50 ms.
  await sql(`UPDATE deals SET stage_entered_at = now() - interval '2 days' WHERE pipeline_id = $1`, [pipeline.id], url);

  const received = (await sub.waitFor(24, 20_000)).map((m) => m.dealEvents);
  const stalled = received.filter((e) => e.type === 'STALLED');
  expect(stalled.map((e) => e.deal.id).sort()).toEqual(deals.map((d) => d.id).sort());
  expect(stalled.every((e) => e.toStage?.id === s1.id && e.fromStage === null && e.actor === null)).toBe(true);

  await bothScan();
  const written = await stalledEvents(pipeline.id);
  expect(written).toHaveLength(12);
  expect(new Set(written.map((e) => e.deal_id)).size).toBe(12);
  expect(written.every((e) => e.actor_id === null && JSON.stringify(e.payload) === '{}')).toBe(true);
  // It changes no field and no version.
  const after = await sql('SELECT id, version, updated_at FROM deals WHERE pipeline_id = $1 ORDER BY id', [pipeline.id], url);
  expect(after).toEqual(before);
  // And the health of each says why.
  const health = ok(await gql(a.url, admin, DealHealthDocument, { id: deals[0].id })).deal!.health;
  expect(health.reasons).toContain('ROTTING');
  await client.dispose();
});

test('once per stage visit: activity and a second idle spell in the same visit add nothing; a new visit stalls anew', async () => {
  const { admin, pipeline, s1, s2 } = await stalledBoard(a);
  const deal = await createDeal(a.url, admin, { pipelineId: pipeline.id, title: 'Visit', value: 10 });
  await idleFor(deal.id, 2);
  await bothScan();
  expect((await stalledEvents(pipeline.id)).map((e) => e.to_stage_id)).toEqual([s1.id]);

  // An activity wakes it; it goes idle again in the same visit: still one event.
  ok(await gql(b.url, admin, LogActivityDocument, { input: { type: 'CALL', subject: 'Check in', dealId: deal.id } }));
  await sql(`UPDATE deals SET last_activity_at = now() - interval '3 days' WHERE id = $1`, [deal.id], url);
  await bothScan();
  expect(await stalledEvents(pipeline.id)).toHaveLength(1);

  // Moved on, it stalls in its new stage: one more event, for that visit.
  ok(await gql(b.url, admin, MoveDealDocument, { id: deal.id, stageId: s2.id }));
  await idleFor(deal.id, 2);
  await bothScan();
  expect((await stalledEvents(pipeline.id)).map((e) => e.to_stage_id)).toEqual([s1.id, s2.id]);
});

test('many deals stalling at once, both detectors racing: exactly one event each', async () => {
  const { admin, pipeline } = await stalledBoard(a);
  const ids: string[] = [];
  for (let i = 0; i < 40; i++) ids.push((await createDeal(b.url, admin, { pipelineId: pipeline.id, title: `R${i}`, value: 1 })).id);
  await sql(`UPDATE deals SET stage_entered_at = now() - interval '2 days' WHERE pipeline_id = $1`, [pipeline.id], url);
  await Promise.all([bothScan(5), bothScan(5)]);
  const written = await stalledEvents(pipeline.id);
  expect(written.map((e) => e.deal_id).sort()).toEqual(ids.sort());
});

test('across restarts: a moment that passed while no instance ran is caught when one starts, and nothing twice', async () => {
  const { admin, pipeline, s2 } = await stalledBoard(a);
  const early = await createDeal(a.url, admin, { pipelineId: pipeline.id, title: 'Early', value: 10 });
  await idleFor(early.id, 2);
  await bothScan();
  const late = await createDeal(a.url, admin, { pipelineId: pipeline.id, title: 'Late', value: 10 });
  ok(await gql(a.url, admin, MoveDealDocument, { id: late.id, stageId: s2.id }));
  const [{ seq: head }] = await sql<{ seq: string }>('SELECT max(seq)::text AS seq FROM deal_events WHERE pipeline_id = $1', [pipeline.id], url);
  await a.stop();
  await b.stop();

  // While none runs, Late stalls.
  await idleFor(late.id, 2);
  // Only the scan an instance makes as it starts can notice it: the next would come in ten minutes.
  a = await startTestApp(detecting(600_000));
  b = await startTestApp(detecting(600_000));
  const client = wsClient(a.url, admin);
  const sub = client.subscribe(DealEventsDocument, { pipelineId: pipeline.id, after: head });
  const [event] = (await sub.waitFor(1, 20_000)).map((m) => m.dealEvents);
  expect([event.type, event.deal.id, event.toStage?.id]).toEqual(['STALLED', late.id, s2.id]);
  await bothScan();
  expect((await stalledEvents(pipeline.id)).map((e) => e.deal_id)).toEqual([early.id, late.id]);
  await client.dispose();
});
