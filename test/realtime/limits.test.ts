import { print } from 'graphql';
import WebSocket from 'ws';
import { DealEventsWideDocument, DealEventSeqsDocument, UpdateDealDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { wsClient, WsClient } from '../helpers/ws-client';
import { tcpSocketOf } from '../../src/features/realtime/ws/ws-socket.adapter';
import { signToken } from '../../src/infra/auth/token';
import { TEST_JWT_SECRET } from '../helpers/test-app';
import { appendMany } from './log-writes';
import { lastSeq, livePipeline, liveTestApp, newDeal, subscribers } from './realtime-fixtures';

const live = liveTestApp({ REALTIME_MAX_QUEUE: '1000', WS_MAX_OPERATIONS: '3' });
const { open } = live;

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A graphql-transport-ws client by hand, whose TCP reading can be paused like a stalled browser tab. */
async function rawSubscriber(token: string, pipelineId: string) {
  const socket = new WebSocket(live.t.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await new Promise((resolve) => socket.once('message', resolve));
  socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(DealEventsWideDocument), variables: { pipelineId } } }));
  const tcp = tcpSocketOf(socket)!;
  return { closed, pause: () => tcp.pause(), resume: () => tcp.resume() };
}

test('a subscriber that stops reading is closed with 1013 while the others receive everything', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id, 'x'.repeat(200));
  const fast = open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: await lastSeq(pipeline.id) });
  const slow = await rawSubscriber(admin, pipeline.id);
  await subscribers(live.t, 2);
  slow.pause();

  // Far more than the socket buffers hold, so the stalled subscriber's queue fills up.
  const seqs = await appendMany(ws.id, pipeline.id, deal.id, stages.s1, 8_000);
  await until(() => live.t.app.realtime.dispatcher.subscriberCount === 1, 30_000).catch(() => { throw new Error('the stalled subscriber was not cut off'); });
  const received = await fast.waitFor(8_000, 60_000);
  expect(received.map((m) => m.dealEvents.seq)).toEqual(seqs);

  slow.resume();
  expect(await slow.closed).toBe(1013);
});

test('operations per socket are capped: the one over the cap gets RATE_LIMITED, the others go on', async () => {
  const { admin, pipeline } = await livePipeline(live.t);
  const client = open(admin);
  const subs = [1, 2, 3].map(() => client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id }));
  await subscribers(live.t, 3);
  const extra = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await extra.ended();
  expect(extra.errors[0].map((e) => e.extensions?.code)).toEqual(['RATE_LIMITED']);

  const deal = await newDeal(live.t, admin, pipeline.id);
  for (const sub of subs) expect((await sub.waitFor(1))[0].dealEvents.deal.id).toBe(deal.id);
  expect(client.closes).toEqual([]);
});

test('a subscription whose token expires is ended at exp (4403), and live until then', async () => {
  const { ws, admin, pipeline } = await livePipeline(live.t);
  const shortLived = signToken({ sub: 'analyst-1', wid: ws.id, role: 'ANALYST' as never }, TEST_JWT_SECRET, '3s');
  const client = open(shortLived);
  const sub = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);
  const deal = await newDeal(live.t, admin, pipeline.id);
  expect((await sub.waitFor(1))[0].dealEvents.deal.id).toBe(deal.id);

  const started = Date.now();
  expect(await client.closed(10_000)).toBe(4403);
  expect(Date.now() - started).toBeLessThan(4_000);
  await subscribers(live.t, 0);
  ok(await gql(live.t.url, admin, UpdateDealDocument, { id: deal.id, input: { title: 'after expiry' } }));
});
