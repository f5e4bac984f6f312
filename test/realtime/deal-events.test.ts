import { DealEventsDocument, DealEventSeqsDocument, DeleteDealDocument, MeDocument, WinDealDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { wsClient, WsClient } from '../helpers/ws-client';
import { livePipeline, liveTestApp, move, newDeal, sleep, subscribers } from './realtime-fixtures';

const live = liveTestApp();
const { open } = live;

test('a subscriber receives every committed change of the pipeline, in seq order, with its deal, stages and actor', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const me = ok(await gql(live.t.url, admin, MeDocument)).me;
  const sub = open(admin).subscribe(DealEventsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);

  const deal = await newDeal(live.t, admin, pipeline.id, 'Acme renewal', 1200);
  expect((await sub.waitFor(1))[0].dealEvents.deal.status).toBe('OPEN');
  await move(live.t, admin, deal.id, stages.s2);
  ok(await gql(live.t.url, admin, WinDealDocument, { id: deal.id }));
  ok(await gql(live.t.url, admin, DeleteDealDocument, { id: deal.id }));

  const events = (await sub.waitFor(4)).map((m) => m.dealEvents);
  expect(events.map((e) => e.type)).toEqual(['CREATED', 'MOVED', 'WON', 'DELETED']);
  expect(events.map((e) => [e.fromStage?.id ?? null, e.toStage?.id])).toEqual([
    [null, stages.s1], [stages.s1, stages.s2], [stages.s2, stages.won], [null, stages.won],
  ]);
  const seqs = events.map((e) => BigInt(e.seq));
  expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
  expect(new Set(seqs).size).toBe(4);
  expect(events.every((e) => e.deal.id === deal.id && e.actor?.id === me.id)).toBe(true);
  // Related objects are read when each event is delivered, never kept per socket.
  expect(events[3].deal.status).toBe('WON');
});

test('the log read brings each event\'s deal, stages and actor: delivering it sends the app\'s pool no statement', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const me = ok(await gql(live.t.url, admin, MeDocument)).me;
  const deal = await newDeal(live.t, admin, pipeline.id, 'Globex expansion', 4200);
  // A move nobody follows: the statements of the move alone.
  await sleep(300);
  live.t.statements.length = 0;
  await move(live.t, admin, deal.id, stages.s2);
  await sleep(300);
  const moveAlone = [...live.t.statements];

  const sub = open(admin).subscribe(DealEventsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);
  await sleep(300);
  live.t.statements.length = 0;
  await move(live.t, admin, deal.id, stages.s3);
  const [event] = (await sub.waitFor(1)).map((m) => m.dealEvents);
  await sleep(300);
  // Before, the execution read the deal, then its stages and actor, on the pool.
  expect(live.t.statements).toEqual(moveAlone);
  expect(event.type).toBe('MOVED');
  expect(event.deal).toEqual({ id: deal.id, title: 'Globex expansion', status: 'OPEN' });
  expect([event.fromStage?.id, event.toStage?.id, event.actor?.id]).toEqual([stages.s2, stages.s3, me.id]);
});

test('with after, the missed events are replayed exactly, then live ones follow without a gap or a duplicate', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const first = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: '0' });
  const [created] = (await first.waitFor(1)).map((m) => m.dealEvents);
  expect(created.type).toBe('CREATED');
  await live.clients[0].dispose();

  // Missed while disconnected.
  await move(live.t, admin, deal.id, stages.s2);
  await move(live.t, admin, deal.id, stages.s3);
  const again = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: created.seq });
  await sleep(100);
  await move(live.t, admin, deal.id, stages.s1);

  const events = (await again.waitFor(3)).map((m) => m.dealEvents);
  await sleep(300);
  expect(again.data).toHaveLength(3);
  expect(events.map((e) => e.type)).toEqual(['MOVED', 'MOVED', 'MOVED']);
  expect(events.every((e) => BigInt(e.seq) > BigInt(created.seq))).toBe(true);
  expect(new Set(events.map((e) => e.seq)).size).toBe(3);
});

test("a subscriber in workspace A never receives workspace B's events, even with B's pipeline id", async () => {
  const a = await livePipeline(live.t);
  const b = await livePipeline(live.t);
  const own = open(a.admin).subscribe(DealEventSeqsDocument, { pipelineId: a.pipeline.id });
  const foreign = open(a.admin).subscribe(DealEventSeqsDocument, { pipelineId: b.pipeline.id, after: '0' });
  await foreign.ended();
  expect(foreign.errors[0].map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  await subscribers(live.t, 1);

  await newDeal(live.t, b.admin, b.pipeline.id, 'B only');
  const mine = await newDeal(live.t, a.admin, a.pipeline.id, 'A only');
  const [event] = (await own.waitFor(1)).map((m) => m.dealEvents);
  await sleep(300);
  expect(own.data).toHaveLength(1);
  expect(event.deal.id).toBe(mine.id);
  expect(foreign.data).toHaveLength(0);
});

test('a bad subscribe gets its own error and the socket\'s other subscriptions go on', async () => {
  const { admin, pipeline } = await livePipeline(live.t);
  const client = open(admin);
  const good = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);
  const unknownField = client.subscribe({ kind: 'Document', definitions: [] } as never, {});
  const badSeq = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: 'yesterday' });
  const badId = client.subscribe(DealEventSeqsDocument, { pipelineId: 'not-an-id' });
  await Promise.all([unknownField.ended(), badSeq.ended(), badId.ended()]);
  expect(badSeq.errors[0].map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect(badId.errors[0].map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect(unknownField.errors.length).toBe(1);

  const deal = await newDeal(live.t, admin, pipeline.id);
  const [event] = (await good.waitFor(1)).map((m) => m.dealEvents);
  expect(event.deal.id).toBe(deal.id);
  expect(client.closes).toEqual([]);
});

test('a socket without a valid token is closed with 4403', async () => {
  const { pipeline } = await livePipeline(live.t);
  for (const token of [undefined, 'not.a.token']) {
    const client = open(token);
    client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
    expect(await client.closed()).toBe(4403);
  }
});
