import { ReplayWebhookDocument } from '../generated/graphql';
import { dropScratchDatabase, sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { TestApp } from '../helpers/test-app';
import { livePipeline, newDeal } from '../realtime/realtime-fixtures';
import { eventually, Receiver } from './receiver';
import { attemptsOf, createWebhook, deliveringApp, seqsOf, webhookDatabase } from './webhook-fixtures';

/** Delivery across restarts and instances, replays, and endpoints that hang. Each test starts its own instances. */
let url: string;
let receiver: Receiver;
beforeAll(async () => {
  url = await webhookDatabase('instances');
}, 60_000);
afterAll(() => dropScratchDatabase(url));
beforeEach(async () => {
  receiver = await Receiver.start();
});
afterEach(() => receiver.close());

async function withApps(count: number, env: Record<string, string>, work: (apps: TestApp[]) => Promise<void>): Promise<void> {
  const apps: TestApp[] = [];
  try {
    for (let i = 0; i < count; i++) apps.push(await deliveringApp(url, env));
    await work(apps);
  } finally {
    for (const app of apps) await app.stop();
  }
}

test('a replay queues behind the pending deliveries, with new delivery ids', () => withApps(1, { WEBHOOK_RETRY_BASE_MS: '1000' }, async ([t]) => {
  const { ws, admin, pipeline } = await livePipeline(t);
  const { webhook } = await createWebhook(t, admin, { url: receiver.url });
  receiver.answer = (_, index) => (index === 0 ? 500 : 200);
  for (const title of ['One', 'Two', 'Three']) await newDeal(t, admin, pipeline.id, title);
  const seqs = await seqsOf(url, ws.id);
  // The first failed and waits a second for its retry; the other two are queued behind it.
  await receiver.until((got) => got.length >= 1);
  await eventually(async () => new Set((await attemptsOf(url, webhook.id)).map((a) => a.seq)).size === 3, 'all three queued');
  ok(await gql(t.url, admin, ReplayWebhookDocument, { id: webhook.id, after: '0' }));
  await receiver.until((got) => got.length >= 7);
  expect(receiver.seqs).toEqual([seqs[0], ...seqs, ...seqs]);
  const ids = receiver.received.map((r) => r.body.id);
  expect(ids.slice(1, 4)).toEqual([ids[0], expect.any(String), expect.any(String)]);
  expect(new Set(ids).size).toBe(6);
}));

test('an instance stopped mid-backlog leaves the rest to the next one, in order', async () => {
  let seqs: string[] = [];
  let admin = '';
  receiver.answer = (_, index) => (index === 2 ? 'hang' : 200);
  await withApps(1, {}, async ([first]) => {
    const board = await livePipeline(first);
    admin = board.admin;
    await createWebhook(first, admin, { url: receiver.url });
    for (let i = 0; i < 5; i++) await newDeal(first, admin, board.pipeline.id, `Deal ${i}`);
    seqs = await seqsOf(url, board.ws.id);
    await receiver.until((got) => got.length >= 3); // the third is hanging as the instance stops
  });
  await withApps(1, {}, async () => {
    await receiver.until((got) => got.length >= 6);
    expect(receiver.seqs).toEqual([seqs[0], seqs[1], seqs[2], seqs[2], seqs[3], seqs[4]]);
  });
});

test('two instances deliver each event once, in seq order', () => withApps(2, {}, async ([a, b]) => {
  const { ws, admin, pipeline } = await livePipeline(a);
  await createWebhook(a, admin, { url: receiver.url });
  for (let i = 0; i < 30; i++) await newDeal(i % 2 ? a : b, admin, pipeline.id, `Deal ${i}`);
  const seqs = await seqsOf(url, ws.id);
  await receiver.until((got) => got.length >= 30);
  // Nothing more is in flight: every attempt is settled, so a duplicate would have arrived.
  await eventually(async () => {
    const rows = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE w.workspace_id = $1 AND d.status = 'DELIVERED'`, [ws.id], url);
    return rows[0].n === 30;
  }, 'all 30 recorded');
  expect(receiver.seqs).toEqual(seqs);
}));

test('an endpoint that hangs holds up neither the other webhooks nor the API', () => withApps(1, {}, async ([t]) => {
  const { admin, pipeline } = await livePipeline(t);
  const hanging = await Receiver.start();
  try {
    hanging.answer = () => 'hang';
    await createWebhook(t, admin, { url: hanging.url });
    await createWebhook(t, admin, { url: receiver.url });
    for (let i = 0; i < 5; i++) await newDeal(t, admin, pipeline.id, `Deal ${i}`);
    await receiver.until((got) => got.length >= 5);
    await hanging.until((got) => got.length >= 1);
    expect(hanging.received).toHaveLength(1);
  } finally {
    await hanging.close();
  }
}));

test('a replay from before the oldest kept event answers EVENTS_EXPIRED with oldestSeq', () => withApps(1, {}, async ([t]) => {
  const { ws, admin, pipeline } = await livePipeline(t);
  const { webhook } = await createWebhook(t, admin, { url: receiver.url });
  for (let i = 0; i < 3; i++) await newDeal(t, admin, pipeline.id, `Deal ${i}`);
  const seqs = await seqsOf(url, ws.id);
  await receiver.until((got) => got.length >= 3);
  // What retention does: the oldest events leave the log.
  await sql('DELETE FROM deal_events WHERE seq < $1', [seqs[1]], url);
  const expired = await gql(t.url, admin, ReplayWebhookDocument, { id: webhook.id, after: (BigInt(seqs[1]) - 2n).toString() });
  expect(errorCodes(expired)).toEqual(['EVENTS_EXPIRED']);
  expect(expired.errors![0].extensions!.oldestSeq).toBe(seqs[1]);
  ok(await gql(t.url, admin, ReplayWebhookDocument, { id: webhook.id, after: (BigInt(seqs[1]) - 1n).toString() }));
  await receiver.until((got) => got.length >= 5);
  expect(receiver.seqs.slice(3)).toEqual([seqs[1], seqs[2]]);
}));
