import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { WAKE_CHANNEL } from '../../src/features/realtime/log/log-session';
import { DealEventsDocument, DealEventSeqsDocument, LiveMetricsDocument } from '../generated/graphql';
import { dropScratchDatabase, sql } from '../helpers/database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient, WsClient } from '../helpers/ws-client';
import { appendMany } from '../realtime/log-writes';
import { livePipeline, move, newDeal, sleep } from '../realtime/realtime-fixtures';
import { asTestApp, deleteStream, metric, NATS_URL, natsDatabase, spawnInstance, until } from './nats-fixtures';

/**
 * Events through NATS JetStream: one relay reads the log and publishes, every instance
 * delivers from the stream. Subscribers see what they see without NATS: every event once,
 * in seq order, also across a relay killed with SIGKILL or frozen with SIGSTOP and an instance
 * restarted.
 */
jest.setTimeout(180_000);

let url: string;
const env = () => ({ DATABASE_URL: url, NATS_URL });
const clients: WsClient[] = [];
const client = (t: { url: string }, token: string) => {
  const c = wsClient(t.url, token);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  url = await natsDatabase('nats');
}, 180_000);
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
});
afterAll(async () => {
  await deleteStream(url);
  await dropScratchDatabase(url);
});

async function pipelineSeqs(pipelineId: string): Promise<string[]> {
  const rows = await sql<{ seq: string }>('SELECT seq::text AS seq FROM deal_events WHERE pipeline_id = $1 ORDER BY deal_events.seq', [pipelineId], url);
  return rows.map((r) => r.seq);
}

test('with NATS, a subscription without after starts past every event committed before it', async () => {
  const t = await startTestApp(env());
  try {
    const { ws, admin, pipeline, stages } = await livePipeline(t);
    const deal = await newDeal(t, admin, pipeline.id);
    // Committed with no hint to the relay: the stream brings it only after the relay's next poll.
    await appendMany(ws.id, pipeline.id, deal.id, stages.s1, 1, url);
    const starts = await metric(t.url, 'dealstream_event_log_reads_total{purpose="start"}');
    const sub = client(t, admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
    await until(() => t.app.realtime.dispatcher.subscriberCount === 1, 10_000, 'the subscriber');
    await move(t, admin, deal.id, stages.s2);

    const [first] = (await sub.waitFor(1)).map((m) => m.dealEvents);
    expect(first.type).toBe('MOVED');
    expect(await metric(t.url, 'dealstream_event_log_reads_total{purpose="start"}')).toBe(starts + 1);
  } finally {
    await t.stop();
  }
});

test('two instances, subscribers on each: every event once, in order; only the relay reads the log', async () => {
  const [a, b] = await Promise.all([startTestApp(env()), startTestApp(env())]);
  try {
    const { admin, pipeline, stages } = await livePipeline(a);
    const subs = [a, a, b, b].map((t) => client(t, admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id }));
    await until(() => a.app.realtime.dispatcher.subscriberCount === 2 && b.app.realtime.dispatcher.subscriberCount === 2, 10_000, 'subscribers');
    const readsBefore = await Promise.all([metric(a.url, 'dealstream_event_log_reads_total'), metric(b.url, 'dealstream_event_log_reads_total')]);

    const deal = await newDeal(a, admin, pipeline.id);
    for (const [i, stage] of [stages.s2, stages.s3, stages.s1, stages.s2, stages.s3].entries()) {
      await move(i % 2 ? a : b, admin, deal.id, stage);
    }
    const expected = await pipelineSeqs(pipeline.id);
    expect(expected).toHaveLength(6);
    for (const sub of subs) {
      const received = await sub.waitFor(6, 20_000);
      expect(received.map((m) => m.dealEvents.seq)).toEqual(expected);
    }

    const relays = [a, b].filter((t) => t.app.realtime.relay!.leader);
    expect(relays).toHaveLength(1);
    const readsAfter = await Promise.all([metric(a.url, 'dealstream_event_log_reads_total'), metric(b.url, 'dealstream_event_log_reads_total')]);
    const grew = [0, 1].map((i) => readsAfter[i] > readsBefore[i]);
    expect(grew).toEqual([a, b].map((t) => t === relays[0]));
    expect([a, b].find((t) => t !== relays[0])!.app.realtime.relay!.reads).toBe(0);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('the relay works out each event and the metrics once: another instance delivers them without reading PostgreSQL', async () => {
  const [a, b] = await Promise.all([startTestApp(env()), startTestApp(env())]);
  try {
    await until(() => a.app.realtime.relay!.leader || b.app.realtime.relay!.leader, 10_000, 'a relay');
    const [relay, follower] = a.app.realtime.relay!.leader ? [a, b] : [b, a];
    const { admin, pipeline, stages } = await livePipeline(relay);
    const deal = await newDeal(relay, admin, pipeline.id, 'Relayed', 300);
    const socket = client(follower, admin);
    const events = socket.subscribe(DealEventsDocument, { pipelineId: pipeline.id });
    const metrics = socket.subscribe(LiveMetricsDocument, { pipelineId: pipeline.id });
    await metrics.waitFor(1, 10_000);
    await until(() => follower.app.realtime.dispatcher.subscriberCount === 1, 10_000, 'the subscriber');
    // The follower announces what it watches within moments, and every 2 s.
    await sleep(2_500);

    const computations = follower.app.realtime.metrics.computations;
    follower.statements.length = 0;
    await move(relay, admin, deal.id, stages.s2);
    await move(relay, admin, deal.id, stages.s3);
    const received = await events.waitFor(2, 20_000);
    await until(() => metrics.data.some((m) => m.pipelineMetricsUpdated.stages[2].dealCount === 1), 10_000, 'the metrics after both moves');

    expect(received.map((m) => [m.dealEvents.deal.title, m.dealEvents.fromStage?.id, m.dealEvents.toStage?.id, Boolean(m.dealEvents.actor)]))
      .toEqual([['Relayed', stages.s1, stages.s2, true], ['Relayed', stages.s2, stages.s3, true]]);
    const last = metrics.data[metrics.data.length - 1].pipelineMetricsUpdated;
    expect(last.stages.slice(0, 3).map((s) => [s.stage.id, s.dealCount, s.value])).toEqual([[stages.s1, 0, 0], [stages.s2, 0, 0], [stages.s3, 1, 300]]);
    expect(follower.statements).toEqual([]);
    expect(follower.app.realtime.metrics.computations).toBe(computations);
    // The deployment's upkeep (retention, report folding, stall checks) runs on the relay alone.
    expect([relay, follower].map((t) => t.app.realtime.upkeepHere)).toEqual([true, false]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

test('a write on another instance wakes the relay through NATS: delivered at once, and PostgreSQL hears no NOTIFY', async () => {
  // Polls a minute apart: only the hint can bring the events in time.
  const slow = { ...env(), REALTIME_POLL_MS: '60000' };
  const [a, b] = await Promise.all([startTestApp(slow), startTestApp(slow)]);
  const listener = new Client({ connectionString: url });
  const notifications: string[] = [];
  try {
    await until(() => a.app.realtime.relay!.leader || b.app.realtime.relay!.leader, 10_000, 'a relay');
    const [relay, writer] = a.app.realtime.relay!.leader ? [a, b] : [b, a];
    const { admin, pipeline, stages } = await livePipeline(relay);
    const deal = await newDeal(relay, admin, pipeline.id);
    const sub = client(relay, admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
    await until(() => relay.app.realtime.dispatcher.subscriberCount === 1, 10_000, 'the subscriber');
    await listener.connect();
    listener.on('notification', (message) => notifications.push(message.channel));
    await listener.query(`LISTEN ${WAKE_CHANNEL}`);

    const movedAt = Date.now();
    await move(writer, admin, deal.id, stages.s2);
    await move(writer, admin, deal.id, stages.s3);
    const received = await sub.waitFor(2, 10_000);
    expect(received.map((m) => m.dealEvents.seq)).toEqual((await pipelineSeqs(pipeline.id)).slice(1));
    expect(Date.now() - movedAt).toBeLessThan(10_000);
    await sleep(500);
    expect(notifications).toEqual([]);
  } finally {
    await listener.end().catch(() => undefined);
    await Promise.all([a.stop(), b.stop()]);
  }
});

/**
 * The relay instance (a process of its own) dies or hangs: another instance takes the relay
 * over, and events committed after that reach its subscriber, every one once, in order, within
 * the contract's 10 s of the death.
 */
async function takesOver(stopRelay: (child: ChildProcess) => void): Promise<void> {
  // Alone on the database, the spawned instance becomes the relay.
  const doomed = await spawnInstance(env());
  let survivor: TestApp | undefined;
  try {
    await until(async () => (await metric(doomed.url, 'dealstream_event_log_reads_total')) > 0, 30_000, 'the spawned relay');
    survivor = await startTestApp(env());
    expect(survivor.app.realtime.relay!.leader).toBe(false);
    const { admin, pipeline, stages } = await livePipeline(survivor);
    const sub = client(survivor, admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
    await until(() => survivor!.app.realtime.dispatcher.subscriberCount === 1, 10_000, 'the subscriber');
    const deal = await newDeal(asTestApp(doomed.url), admin, pipeline.id);
    await sub.waitFor(1, 20_000);

    stopRelay(doomed.child);
    const diedAt = Date.now();
    await move(survivor, admin, deal.id, stages.s2);
    await move(survivor, admin, deal.id, stages.s3);
    const received = await sub.waitFor(3, 30_000);
    const takeoverMs = Date.now() - diedAt;
    expect(received.map((m) => m.dealEvents.seq)).toEqual(await pipelineSeqs(pipeline.id));
    expect(survivor.app.realtime.relay!.leader).toBe(true);
    // CONTRACT §10: events committed after the relay dies reach the others' subscribers within 10 s.
    expect(takeoverMs).toBeLessThan(10_000);
  } finally {
    doomed.child.kill('SIGKILL');
    await survivor?.stop();
  }
}

test('the relay killed with SIGKILL: another instance takes over within 10 s, and its subscribers miss nothing', async () => {
  await takesOver((child) => child.kill('SIGKILL'));
});

test('the relay frozen with SIGSTOP, its connections left open as by a vanished machine: taken over within 10 s', async () => {
  await takesOver((child) => child.kill('SIGSTOP'));
});

test('an instance restarted: its subscriber resumes with after on another instance, every event once', async () => {
  const relay = await startTestApp(env());
  let restarted = await startTestApp(env());
  try {
    const { admin, pipeline, stages } = await livePipeline(relay);
    const deal = await newDeal(relay, admin, pipeline.id);
    const first = client(restarted, admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
    await until(() => restarted.app.realtime.dispatcher.subscriberCount === 1, 10_000, 'the subscriber');
    await move(relay, admin, deal.id, stages.s2);
    const [{ dealEvents: lastSeen }] = await first.waitFor(1, 20_000);

    await restarted.stop();
    await move(relay, admin, deal.id, stages.s3);
    restarted = await startTestApp(env());
    await move(relay, admin, deal.id, stages.s1);
    const resumed = client(restarted, admin).subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: lastSeen.seq });
    const all = await pipelineSeqs(pipeline.id);
    const expected = all.filter((seq) => BigInt(seq) > BigInt(lastSeen.seq));
    expect(expected).toHaveLength(2);
    await move(relay, admin, deal.id, stages.s2);
    const received = await resumed.waitFor(3, 20_000);
    expect(received.map((m) => m.dealEvents.seq)).toEqual(await pipelineSeqs(pipeline.id).then((s) => s.filter((q) => BigInt(q) > BigInt(lastSeen.seq))));
  } finally {
    await Promise.all([relay.stop(), restarted.stop()]);
  }
});
