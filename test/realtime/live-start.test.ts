import { DealEventSeqsDocument, LastEventSeqDocument } from '../generated/graphql';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { openWriter } from './log-writes';
import { lastSeq, livePipeline, liveTestApp, move, newDeal, sleep, subscribers } from './realtime-fixtures';

// A poll far longer than any wait here: only commits and the dispatcher's own retries deliver.
const live = liveTestApp({ REALTIME_POLL_MS: '60000' }, { settle: true });
const { open } = live;

test('a subscriber without after starts past every event committed before it, also above an open gap', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  // A seq drawn below the next event by a transaction still open: the log's head lies past a gap.
  const pending = await openWriter();
  await pending.append(ws.id, pipeline.id, deal.id, stages.s2);
  const created = await newDeal(live.t, admin, pipeline.id, 'Committed before the subscription');

  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await sleep(100);
  await pending.rollback();
  await subscribers(live.t, 1);
  await move(live.t, admin, deal.id, stages.s3);

  const [event] = (await sub.waitFor(1)).map((m) => m.dealEvents);
  expect(event).toMatchObject({ type: 'MOVED', deal: { id: deal.id } });
  expect(sub.data.map((m) => m.dealEvents.deal.id)).not.toContain(created.id);
});

test('an event behind a rolled-back seq comes without waiting for the poll or another commit', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);

  const doomed = await openWriter();
  await doomed.append(ws.id, pipeline.id, deal.id, stages.s2);
  const moving = move(live.t, admin, deal.id, stages.s3);
  await sleep(50);
  await doomed.rollback();
  await moving;

  // The poll is a minute away and nothing else commits: only a retry of the held read delivers.
  const [event] = (await sub.waitFor(1, 10_000)).map((m) => m.dealEvents);
  expect(event).toMatchObject({ type: 'MOVED', deal: { id: deal.id } });
});

/** `lastEventSeq`, read over HTTP as a board reads it before it loads. */
const lastEventSeq = async (token: string) => BigInt(ok(await gql(live.t.url, token, LastEventSeqDocument)).lastEventSeq);

test('lastEventSeq lies at or past every event committed before it; a subscription after it gets what commits next, from the start', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const created = BigInt(await lastSeq(pipeline.id));

  // The poll is a minute away: the answer comes from a read of its own, not a stale position.
  const seq = await lastEventSeq(admin);
  expect(seq).toBeGreaterThanOrEqual(created);
  await move(live.t, admin, deal.id, stages.s2);

  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: seq.toString() });
  const [event] = (await sub.waitFor(1)).map((m) => m.dealEvents);
  expect(event).toMatchObject({ type: 'MOVED', deal: { id: deal.id } });
  expect(BigInt(event.seq)).toBeGreaterThan(seq);
});

test('a change whose transaction was still open when lastEventSeq was read comes after it, once it commits', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const pending = await openWriter();
  const held = await pending.append(ws.id, pipeline.id, deal.id, stages.s2);
  const later = await newDeal(live.t, admin, pipeline.id, 'Committed past the open seq');

  // Below the open seq: a board loaded now does not show its change, so the subscription must bring it.
  const seq = await lastEventSeq(admin);
  expect(seq).toBeLessThan(BigInt(held));
  await pending.commit();

  const sub = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: seq.toString() });
  const events = (await sub.waitFor(2)).map((m) => m.dealEvents);
  expect(events.map((e) => e.seq)).toEqual([held, expect.any(String)]);
  expect(events[1].deal.id).toBe(later.id);
});

test('lastEventSeq asks for a signed-in caller', async () => {
  expect(errorCodes(await gql(live.t.url, undefined, LastEventSeqDocument))).toEqual(['UNAUTHENTICATED']);
});
