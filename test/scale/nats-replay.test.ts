import { DealEventSeqsDocument } from '../generated/graphql';
import { dropScratchDatabase, sql } from '../helpers/database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient, WsClient } from '../helpers/ws-client';
import { livePipeline, move, newDeal } from '../realtime/realtime-fixtures';
import { deleteStream, keepStreamFor, metric, NATS_URL, natsDatabase, trimStream, until } from './nats-fixtures';

/**
 * `after` replays with events through NATS JetStream: from the stream while it holds the
 * missed events (no statement on the log), from the log once it does not (its front trimmed).
 * Either way the subscriber gets exactly the missed events, once, in order, then live ones.
 */
jest.setTimeout(180_000);

const DELIVERY_READS = 'dealstream_event_log_reads_total';
const REPLAY_READS = 'dealstream_event_log_reads_total{purpose="replay"}';

let url: string;
const clients: WsClient[] = [];
let instances: TestApp[] = [];

beforeAll(async () => {
  url = await natsDatabase('nats_replay');
}, 180_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await Promise.all(instances.map((t) => t.stop()));
  await deleteStream(url);
  await dropScratchDatabase(url);
});

async function pipelineSeqs(pipelineId: string, after: string, database = url): Promise<string[]> {
  const rows = await sql<{ seq: string }>('SELECT seq::text AS seq FROM deal_events WHERE pipeline_id = $1 AND seq > $2 ORDER BY deal_events.seq',
    [pipelineId, after], database);
  return rows.map((r) => r.seq);
}

test('resuming with after: from JetStream while the stream holds the events, from the log once it does not', async () => {
  instances = await Promise.all([startTestApp({ DATABASE_URL: url, NATS_URL }), startTestApp({ DATABASE_URL: url, NATS_URL })]);
  await until(() => instances.some((t) => t.app.realtime.relay!.leader), 10_000, 'a relay');
  const [relay, replayer] = instances[0].app.realtime.relay!.leader ? instances : [instances[1], instances[0]];
  const { admin, pipeline, stages } = await livePipeline(relay);
  // Another tenant's events between this pipeline's: the replay must pass over them.
  const other = await livePipeline(relay);
  const deal = await newDeal(relay, admin, pipeline.id);
  const otherDeal = await newDeal(relay, other.admin, other.pipeline.id);
  for (const stage of [stages.s2, stages.s3, stages.s1, stages.s2]) {
    await move(relay, admin, deal.id, stage);
    await move(relay, other.admin, otherDeal.id, other.stages.s2 === stage ? other.stages.s3 : other.stages.s2);
  }
  const [, seen] = await pipelineSeqs(pipeline.id, '0');
  const missed = await pipelineSeqs(pipeline.id, seen);
  expect(missed).toHaveLength(3);
  const head = BigInt((await pipelineSeqs(other.pipeline.id, '0')).at(-1)!);
  await until(() => replayer.app.realtime.dispatcher.position >= head, 10_000, 'the events through the stream');

  const deliveryReads = await metric(replayer.url, DELIVERY_READS);
  const replayReads = await metric(replayer.url, REPLAY_READS);
  expect(replayReads).toBe(0);

  // The stream holds every event: the replay reads it there, and not the log.
  const resume = () => {
    const c = wsClient(replayer.url, admin);
    clients.push(c);
    return c.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: seen });
  };
  const resumed = resume();
  expect((await resumed.waitFor(3)).map((m) => m.dealEvents.seq)).toEqual(missed);
  expect(await metric(replayer.url, REPLAY_READS)).toBe(replayReads);
  // Live events follow the replay with no gap and no repeat.
  await move(relay, admin, deal.id, stages.s3);
  const all = await pipelineSeqs(pipeline.id, seen);
  expect((await resumed.waitFor(4)).map((m) => m.dealEvents.seq)).toEqual(all);

  // The stream keeps only its last message: the events after `seen` are no longer all there,
  // so the same replay reads the log.
  await trimStream(url, 1);
  const again = resume();
  expect((await again.waitFor(4)).map((m) => m.dealEvents.seq)).toEqual(all);
  expect(await metric(replayer.url, REPLAY_READS)).toBeGreaterThan(replayReads);
  await move(relay, admin, deal.id, stages.s1);
  const after = await pipelineSeqs(pipeline.id, seen);
  expect(after).toHaveLength(5);
  for (const sub of [resumed, again]) expect((await sub.waitFor(5)).map((m) => m.dealEvents.seq)).toEqual(after);

  // Replays aside, this instance never read the log for delivery: the relay did.
  expect(await metric(replayer.url, DELIVERY_READS)).toBe(deliveryReads);
  expect(replayer.app.realtime.relay!.reads).toBe(0);

  // JetStream cannot answer at all (the stream gone, as while NATS restarts): the replay reads
  // the log, rather than failing the subscription.
  await deleteStream(url);
  const replayReadsBefore = await metric(replayer.url, REPLAY_READS);
  const withoutStream = resume();
  expect((await withoutStream.waitFor(5)).map((m) => m.dealEvents.seq)).toEqual(after);
  expect(await metric(replayer.url, REPLAY_READS)).toBeGreaterThan(replayReadsBefore);
});

test('an after before the oldest event the log keeps answers EVENTS_EXPIRED, though the stream still holds the events', async () => {
  // The log keeps events 26 s; the stream, a day: only the log says what is expired.
  const expiring = await natsDatabase('nats_expiry');
  let t: TestApp | undefined;
  try {
    const app = (t = await startTestApp({ DATABASE_URL: expiring, NATS_URL, EVENT_RETENTION_DAYS: '0.0003' }));
    await keepStreamFor(expiring, 1);
    const { admin, pipeline, stages } = await livePipeline(app);
    const deal = await newDeal(app, admin, pipeline.id);
    await move(app, admin, deal.id, stages.s2);
    const [created, moved] = await pipelineSeqs(pipeline.id, '0', expiring);
    await until(async () => (await pipelineSeqs(pipeline.id, '0', expiring)).length === 0, 50_000, 'the expired events to be removed');
    await move(app, admin, deal.id, stages.s3);
    const [kept] = await pipelineSeqs(pipeline.id, moved, expiring);
    await until(() => app.app.realtime.dispatcher.position >= BigInt(kept), 10_000, 'the kept event through the stream');

    const expired = wsClient(app.url, admin);
    clients.push(expired);
    const sub = expired.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: created });
    await sub.ended();
    expect(sub.data).toEqual([]);
    expect(sub.errors[0][0].extensions).toMatchObject({ code: 'EVENTS_EXPIRED', oldestSeq: kept });
  } finally {
    await t?.stop();
    await deleteStream(expiring);
    await dropScratchDatabase(expiring);
  }
});
