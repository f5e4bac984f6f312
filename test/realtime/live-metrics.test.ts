import { DealEventSeqsDocument, LiveMetricsDocument, LiveMetricsSubscription, MeDocument, WinDealDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { startTestApp } from '../helpers/test-app';
import { Subscription, wsClient, WsClient } from '../helpers/ws-client';
import { livePipeline, liveTestApp, move, moveRetrying, newDeal, sleep, subscribers } from './realtime-fixtures';

const live = liveTestApp();
const { open } = live;

type Metrics = LiveMetricsSubscription['pipelineMetricsUpdated'];
const summary = (m: Metrics) => ({ open: m.openDealCount, value: m.openValue, stages: m.stages.slice(0, 3).map((s) => [s.dealCount, s.value]) });

/** Waits until the latest message says `expected`, then checks no later message changes it. */
async function settlesOn(sub: Subscription<LiveMetricsSubscription>, expected: ReturnType<typeof summary>) {
  const deadline = Date.now() + 10_000;
  const latest = () => sub.data.length ? summary(sub.data[sub.data.length - 1].pipelineMetricsUpdated) : undefined;
  while (JSON.stringify(latest()) !== JSON.stringify(expected) && Date.now() < deadline) await sleep(20);
  await sleep(400);
  expect(latest()).toEqual(expected);
}

test('the current metrics at once, then after changes; the last message reflects every committed change', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const a = await newDeal(live.t, admin, pipeline.id, 'A', 100);
  const b = await newDeal(live.t, admin, pipeline.id, 'B', 250);
  const sub = open(admin).subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
  const [first] = await sub.waitFor(1);
  expect(summary(first.pipelineMetricsUpdated)).toEqual({ open: 2, value: 350, stages: [[2, 350], [0, 0], [0, 0]] });
  expect(first.pipelineMetricsUpdated.stages.map((s) => s.stage.id)).toEqual(Object.values(stages));

  await move(live.t, admin, b.id, stages.s2);
  await newDeal(live.t, admin, pipeline.id, 'C', 1000).then((c) => move(live.t, admin, c.id, stages.s3));
  ok(await gql(live.t.url, admin, WinDealDocument, { id: a.id }));
  await settlesOn(sub, { open: 2, value: 1250, stages: [[0, 0], [1, 250], [1, 1000]] });
});

test('a burst is coalesced: one computation per pipeline per tick, whatever the number of subscribers', async () => {
  const { admin, pipeline, stages } = await livePipeline(live.t);
  const deals = await Promise.all([1, 2, 3, 4].map((i) => newDeal(live.t, admin, pipeline.id, `D${i}`, 10 * i)));
  const subs = Array.from({ length: 6 }, (_, i) => open(admin).subscribe(LiveMetricsDocument, { pipelineId: pipeline.id }));
  await Promise.all(subs.map((s) => s.waitFor(1)));

  const { metrics, dispatcher } = live.t.app.realtime;
  const computations = metrics.computations;
  const ticks = dispatcher.deliveringTicks;
  await Promise.all(deals.map(async (deal) => {
    for (const stage of [stages.s2, stages.s3, stages.s2]) await moveRetrying(live.t, admin, deal.id, stage);
  }));
  for (const sub of subs) await settlesOn(sub, { open: 4, value: 100, stages: [[0, 0], [4, 100], [0, 0]] });

  const computed = metrics.computations - computations;
  const ticked = dispatcher.deliveringTicks - ticks;
  // Per subscriber it would be six times the ticks; coalesced it is at most one per tick.
  expect(computed).toBeGreaterThan(0);
  expect(computed).toBeLessThanOrEqual(ticked);
  // 12 moves, far fewer messages per subscriber than 12 × 6.
  for (const sub of subs) expect(sub.data.length).toBeLessThanOrEqual(1 + 12);
});

test('statements per delivered event do not grow with the number of subscribers', async () => {
  const { admin, pipeline } = await livePipeline(live.t);
  ok(await gql(live.t.url, admin, MeDocument));
  const statementsFor = async (count: number) => {
    const subs = Array.from({ length: count }, () => open(admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id }));
    await subscribers(live.t, count);
    await sleep(300);
    live.t.statements.length = 0;
    await newDeal(live.t, admin, pipeline.id);
    await Promise.all(subs.map((s) => s.waitFor(1)));
    await sleep(300);
    const n = live.t.statements.length;
    await Promise.all(live.clients.splice(0).map((c) => c.dispose()));
    await subscribers(live.t, 0);
    return n;
  };
  const one = await statementsFor(1);
  const many = await statementsFor(12);
  expect(many).toBe(one);
});

test('metrics that cannot be computed end that subscription with an error; the socket and its other subscriptions go on', async () => {
  // Every report statement is cancelled after 1 ms here.
  const strict = await startTestApp({ REPORT_TIMEOUT_MS: '1' });
  try {
    const { admin, pipeline } = await livePipeline(strict);
    const socket = wsClient(strict.url, admin);
    live.clients.push(socket);
    const events = socket.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: '0' });
    const metrics = socket.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
    await metrics.ended();
    expect(metrics.errors[0].map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
    const deal = await newDeal(strict, admin, pipeline.id);
    expect((await events.waitFor(1))[0].dealEvents.deal.id).toBe(deal.id);
    expect(socket.closes).toEqual([]);
  } finally {
    await Promise.all(live.clients.splice(0).map((c) => c.dispose()));
    await strict.stop();
  }
});
