import { DealEventsDocument, DealEventSeqsDocument } from '../generated/graphql';
import { Client } from 'pg';
import { sql, TEST_DATABASE_URL } from '../helpers/database';
import { wsClient, WsClient } from '../helpers/ws-client';
import { openWriter } from './log-writes';
import { lastSeq, livePipeline, liveTestApp, move, moveRetrying, newDeal, sleep, subscribers } from './realtime-fixtures';

const live = liveTestApp(undefined, { settle: true });
const { open } = live;

const ascending = (seqs: string[]) => seqs.every((s, i) => i === 0 || BigInt(seqs[i - 1]) < BigInt(s));

/** The seqs of a pipeline's MOVED events in the log, in order: what every subscriber must get. */
async function loggedMoves(pipelineId: string): Promise<string[]> {
  const rows = await sql<{ seq: string }>(
    "SELECT seq::text AS seq FROM deal_events WHERE pipeline_id = $1 AND type = 'MOVED' ORDER BY deal_events.seq", [pipelineId]);
  return rows.map((r) => r.seq);
}

/** Each deal moved `times` times round three stages, the deals at once, each move retried on CONFLICT. */
async function moveRound(token: string, deals: { id: string }[], stageCycle: string[], times: number): Promise<void> {
  await Promise.all(deals.map(async (deal) => {
    for (let i = 0; i < times; i++) await moveRetrying(live.t, token, deal.id, stageCycle[i % stageCycle.length]);
  }));
}

test('a change that rolls back is never delivered; the next committed one is', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: await lastSeq(pipeline.id) });
  await subscribers(live.t, 1);

  const doomed = await openWriter();
  const rolledBack = await doomed.append(ws.id, pipeline.id, deal.id, stages.s2).finally(() => doomed.rollback());
  await move(live.t, admin, deal.id, stages.s3);

  const [event] = (await sub.waitFor(1)).map((m) => m.dealEvents);
  await sleep(400);
  expect(sub.data).toHaveLength(1);
  expect(event.type).toBe('MOVED');
  expect(BigInt(event.seq)).toBeGreaterThan(BigInt(rolledBack));
});

const otherDatabase = Object.assign(new URL(TEST_DATABASE_URL), { pathname: '/postgres' }).toString();

test.each([
  ['in another database', otherDatabase],
  ['in this database that writes no event', TEST_DATABASE_URL],
])('a long write transaction %s does not hold delivery up', async (_where, url) => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: await lastSeq(pipeline.id) });
  await subscribers(live.t, 1);

  const elsewhere = new Client({ connectionString: url });
  await elsewhere.connect();
  try {
    await elsewhere.query('BEGIN');
    await elsewhere.query('SELECT pg_current_xact_id()');
    // A gap (a rolled-back seq) followed by a committed change, while that transaction stays open.
    const doomed = await openWriter();
    await doomed.append(ws.id, pipeline.id, deal.id, stages.s2).finally(() => doomed.rollback());
    await move(live.t, admin, deal.id, stages.s3);
    const [event] = (await sub.waitFor(1, 5_000)).map((m) => m.dealEvents);
    expect(event.type).toBe('MOVED');
  } finally {
    await elsewhere.query('ROLLBACK');
    await elsewhere.end();
  }
});

test('two transactions that commit out of order both arrive, in seq order', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: await lastSeq(pipeline.id) });
  await subscribers(live.t, 1);

  const t1 = await openWriter();
  let early: number;
  let first: string;
  let second: string;
  try {
    const t2 = await openWriter();
    first = await t1.append(ws.id, pipeline.id, deal.id, stages.s1);
    second = await t2.append(ws.id, pipeline.id, deal.id, stages.s2);
    await t2.commit();
    // Delivering `second` now would pass over `first` for ever: it must wait.
    await sleep(600);
    early = sub.data.length;
  } finally {
    await t1.commit();
  }
  expect(early).toBe(0);

  const events = (await sub.waitFor(2)).map((m) => m.dealEvents);
  expect(events.map((e) => e.seq)).toEqual([first, second]);
});

test('1,000 moves from 10 concurrent writers reach each of three subscribers exactly once, in seq order', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deals = await Promise.all(Array.from({ length: 10 }, (_, i) => newDeal(live.t, admin, pipeline.id, `Deal ${i}`)));
  const one = open(admin);
  const other = open(admin);
  const after = await lastSeq(pipeline.id);
  const subs = [
    one.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after }),
    one.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after }),
    other.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after }),
  ];
  await subscribers(live.t, 3);

  await moveRound(admin, deals, [stages.s2, stages.s3, stages.s1], 100);

  const logged = await loggedMoves(pipeline.id);
  expect(logged).toHaveLength(1000);
  for (const sub of subs) {
    const seqs = (await sub.waitFor(1000, 60_000)).map((m) => m.dealEvents.seq);
    expect(ascending(seqs)).toBe(true);
    expect(seqs).toEqual(logged);
  }
  await sleep(300);
  expect(subs.map((s) => s.data.length)).toEqual([1000, 1000, 1000]);
}, 180_000);

test('more subscribers than one turn writes to (600, in turns of 500) each get every event once, in order, while moves keep coming', async () => {
  // An event's frame is written to a pipeline's subscribers in turns of the event loop; ticks
  // that arrive meanwhile queue behind the turn in progress, never ahead of it.
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deals = await Promise.all(Array.from({ length: 3 }, (_, i) => newDeal(live.t, admin, pipeline.id, `Deal ${i}`)));
  const after = await lastSeq(pipeline.id);
  // 30 sockets of 20 operations each (WS_MAX_OPERATIONS).
  const subs = Array.from({ length: 30 }, () => open(admin)).flatMap((client) =>
    Array.from({ length: 20 }, () => client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after })));
  await subscribers(live.t, 600, 30_000);

  await moveRound(admin, deals, [stages.s2, stages.s3, stages.s1], 10);

  const logged = await loggedMoves(pipeline.id);
  expect(logged).toHaveLength(30);
  for (const sub of subs) expect((await sub.waitFor(30, 30_000)).map((m) => m.dealEvents.seq)).toEqual(logged);
  await sleep(300);
  expect(subs.filter((s) => s.data.length !== 30)).toEqual([]);
}, 120_000);

test('subscribers of different selections, two on one socket, and one resuming mid-burst each get every event once, in order, with their own fields', async () => {
  // A tick's events reach a pipeline's subscribers only once their frames exist: the first
  // subscriber's operation is executed, then all are woken together. Those of another
  // selection, a socket's second subscription and a subscriber still replaying must each go
  // on from where they are, across ticks.
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deals = await Promise.all(Array.from({ length: 5 }, (_, i) => newDeal(live.t, admin, pipeline.id, `Deal ${i}`)));
  const after = await lastSeq(pipeline.id);
  const both = open(admin);
  const seqsOnly = open(admin);
  const wide = both.subscribe(DealEventsDocument, { pipelineId: pipeline.id, after });
  const narrow = both.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after });
  const apart = seqsOnly.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 3);

  const cycle = [stages.s2, stages.s3, stages.s1];
  const burst = (from: number, to: number) => Promise.all(deals.map(async (deal) => {
    for (let i = from; i < to; i++) await moveRetrying(live.t, admin, deal.id, cycle[i % 3]);
  }));
  await burst(0, 20);
  // Subscribes while the second half is written: its replay and the live events meet at the seam.
  const resumed = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after });
  await burst(20, 40);

  const logged = await loggedMoves(pipeline.id);
  expect(logged).toHaveLength(200);
  const wideEvents = (await wide.waitFor(200, 30_000)).map((m) => m.dealEvents);
  expect(wideEvents.map((e) => e.seq)).toEqual(logged);
  expect(wideEvents.every((e) => e.toStage?.id && e.actor?.id && e.deal.title.startsWith('Deal'))).toBe(true);
  for (const sub of [narrow, resumed, apart]) {
    const seqs = (await sub.waitFor(200, 30_000)).map((m) => m.dealEvents.seq);
    expect(seqs).toEqual(logged);
    expect(Object.keys((await sub.waitFor(1))[0].dealEvents).sort()).toEqual(['deal', 'seq', 'type']);
  }
  await sleep(300);
  expect([wide, narrow, resumed, apart].map((s) => s.data.length)).toEqual([200, 200, 200, 200]);
}, 120_000);
