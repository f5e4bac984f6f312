import { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { KeepAlive } from '../../src/features/realtime/ws/keep-alive';
import { DealEventSeqsDocument, LiveMetricsDocument } from '../generated/graphql';
import { initialised } from '../hardening/raw-socket';
import { wsClient, WsClient } from '../helpers/ws-client';
import { lastSeq, livePipeline, liveTestApp, move, newDeal, sleep, subscribers } from './realtime-fixtures';

const live = liveTestApp(undefined, { settle: true });
const { open } = live;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const activeSubscriptions = async () => (await live.t.app.observability.metrics.activeSubscriptions.get()).values[0]?.value ?? 0;

test("a subscription completed by the client lets go of its stream at once, the socket's other one goes on; closing the socket lets go of the rest", async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const before = await activeSubscriptions();
  const client = open(admin);
  const events = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: await lastSeq(pipeline.id) });
  const metrics = client.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
  await subscribers(live.t, 1);
  await metrics.waitFor(1);
  expect(live.t.app.realtime.metrics.channelCount).toBe(1);
  expect(await activeSubscriptions()).toBe(before + 2);

  const targets = [stages.s2, stages.s3, stages.s1, stages.s2, stages.s3];
  for (const stage of targets) await move(live.t, admin, deal.id, stage);
  const seqs = (await events.waitFor(targets.length)).map((m) => Number(m.dealEvents.seq));
  // Each once, in order.
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(targets.length);

  events.unsubscribe();
  await subscribers(live.t, 0);
  await until(async () => (await activeSubscriptions()) === before + 1, 'one subscription fewer');
  const received = metrics.data.length;
  await move(live.t, admin, deal.id, stages.s1);
  await metrics.waitFor(received + 1);
  await sleep(300);
  expect(events.data).toHaveLength(targets.length);
  expect(events.errors).toEqual([]);

  await client.dispose();
  await until(() => live.t.app.realtime.metrics.channelCount === 0, 'the metrics channel to go');
  await until(async () => (await activeSubscriptions()) === before, 'no subscription left');
});

test('a completed id may be used again on the same socket; an id still running is refused with 4409', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deal = await newDeal(live.t, admin, pipeline.id);
  const socket = await initialised(live.t.url, admin);
  try {
    const query = 'subscription($p: ID!, $a: String) { dealEvents(pipelineId: $p, after: $a) { seq } }';
    const after = await lastSeq(pipeline.id);
    socket.send({ id: 'x', type: 'subscribe', payload: { query, variables: { p: pipeline.id, a: after } } });
    await subscribers(live.t, 1);
    socket.send({ id: 'x', type: 'complete' });
    await subscribers(live.t, 0);
    socket.send({ id: 'x', type: 'subscribe', payload: { query, variables: { p: pipeline.id, a: after } } });
    await subscribers(live.t, 1);
    await move(live.t, admin, deal.id, stages.s2);
    const next = await socket.next('next');
    expect(next).toMatchObject({ id: 'x', payload: { data: { dealEvents: { seq: expect.any(String) } } } });
    // The socket's first subscription sent nothing after its complete, and no `complete` of the server's own.
    expect(socket.messages.filter((m) => m.type === 'next')).toHaveLength(1);
    expect(socket.messages.filter((m) => m.type === 'complete')).toHaveLength(0);

    socket.send({ id: 'x', type: 'subscribe', payload: { query, variables: { p: pipeline.id } } });
    expect((await socket.closed).code).toBe(4409);
    await subscribers(live.t, 0);
  } finally {
    socket.ws.terminate();
  }
});

test('a query sent as a subscribe message gets its result and a complete, as from graphql-ws', async () => {
  const { admin } = await livePipeline(live.t);
  const socket = await initialised(live.t.url, admin);
  try {
    socket.send({ id: 'q', type: 'subscribe', payload: { query: '{ me { id } }' } });
    expect(await socket.next('next')).toMatchObject({ id: 'q', payload: { data: { me: { id: expect.any(String) } } } });
    expect(await socket.next('complete')).toEqual({ id: 'q', type: 'complete' });
    socket.send({ id: 'bad', type: 'subscribe', payload: { query: '{ nope }' } });
    expect(await socket.next('error')).toMatchObject({ id: 'bad', payload: [{ message: expect.stringContaining('nope') }] });
  } finally {
    socket.ws.terminate();
  }
});

describe('keep-alive: one timer for every socket', () => {
  let server: WebSocketServer;
  let keepAlive: KeepAlive;
  beforeEach(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    keepAlive = new KeepAlive(240);
    server.on('connection', (socket) => {
      keepAlive.add(socket);
      socket.once('close', () => keepAlive.remove(socket));
    });
  });
  afterEach(async () => {
    keepAlive.stop();
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  const connect = async (autoPong: boolean) => {
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, { autoPong });
    const closed = new Promise<number>((resolve) => client.once('close', resolve));
    let pings = 0;
    client.on('ping', () => { pings++; });
    await new Promise((resolve) => client.once('open', resolve));
    return { client, closed, pings: () => pings };
  };

  test('a socket that answers every ping stays open; one that does not is ended by the next ping', async () => {
    const alive = await connect(true);
    const silent = await connect(false);
    await until(() => keepAlive.size === 2, 'both sockets watched');
    // Ended after its first unanswered ping, within two intervals.
    expect(await silent.closed).toBe(1006);
    await sleep(600);
    expect(alive.client.readyState).toBe(WebSocket.OPEN);
    expect(alive.pings()).toBeGreaterThanOrEqual(3);
    expect(keepAlive.size).toBe(1);
    alive.client.close();
    await alive.closed;
    await until(() => keepAlive.size === 0, 'no socket watched');
  });
});
