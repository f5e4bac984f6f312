import { dropScratchDatabase, sql } from '../helpers/database';
import { TestApp } from '../helpers/test-app';
import { livePipeline, newDeal } from '../realtime/realtime-fixtures';
import { asTestApp, spawnInstance } from '../scale/nats-fixtures';
import { eventually, Receiver } from './receiver';
import { attemptsOf, createWebhook, deliveringApp, seqsOf, webhookDatabase } from './webhook-fixtures';

/** What survives a crash and what is let go: an attempt held by a killed instance, and old settled attempts. */
let url: string;
const receivers: Receiver[] = [];
const apps: TestApp[] = [];
beforeAll(async () => {
  url = await webhookDatabase('durability');
}, 60_000);
afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  for (const receiver of receivers.splice(0)) await receiver.close();
});
afterAll(() => dropScratchDatabase(url));

async function receiver(): Promise<Receiver> {
  const r = await Receiver.start();
  receivers.push(r);
  return r;
}

async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await deliveringApp(url, env);
  apps.push(t);
  return t;
}

test('an attempt held by an instance killed with SIGKILL is made again by another once its claim lapses, same delivery id, in order', async () => {
  const endpoint = await receiver();
  endpoint.answer = (_, index) => (index === 0 ? 'hang' : 200);
  const crashing = await spawnInstance({ DATABASE_URL: url, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '20', WEBHOOK_RETRY_BASE_MS: '20' });
  try {
    const t = asTestApp(crashing.url);
    const { ws, admin, pipeline } = await livePipeline(t);
    const { webhook } = await createWebhook(t, admin, { url: endpoint.url });
    for (const title of ['One', 'Two', 'Three']) await newDeal(t, admin, pipeline.id, title);
    const seqs = await seqsOf(url, ws.id);
    await endpoint.until((got) => got.length >= 1); // the first attempt is in flight, its answer never comes
    crashing.child.kill('SIGKILL');
    await new Promise((resolve) => crashing.child.once('exit', resolve));

    await app();
    // The claim (30 s) outlives the 10 s timeout of an attempt; then the next instance takes it.
    await endpoint.until((got) => got.length >= 4, 60_000);
    expect(endpoint.seqs).toEqual([seqs[0], ...seqs]);
    const ids = endpoint.received.map((r) => r.body.id);
    expect(ids[1]).toBe(ids[0]);
    await eventually(async () => (await attemptsOf(url, webhook.id)).every((a) => a.status === 'DELIVERED'), 'all three settled');
    expect((await attemptsOf(url, webhook.id)).map((a) => [a.seq, a.attempt])).toEqual(seqs.map((seq) => [seq, 1]));
  } finally {
    if (crashing.child.exitCode === null) crashing.child.kill('SIGKILL');
  }
}, 120_000);

test('settled attempts older than the event retention are removed; a pending retry stays', async () => {
  const retention = { EVENT_RETENTION_DAYS: String(2 / 86_400), WEBHOOK_RETRY_BASE_MS: '600000' };
  const healthy = await receiver();
  const failing = await receiver();
  failing.answer = () => 500;
  const first = await app(retention);
  const { admin, pipeline } = await livePipeline(first);
  const delivered = (await createWebhook(first, admin, { url: healthy.url })).webhook;
  const retried = (await createWebhook(first, admin, { url: failing.url })).webhook;
  await newDeal(first, admin, pipeline.id, 'Kept briefly');
  await eventually(async () => (await attemptsOf(url, delivered.id)).some((a) => a.status === 'DELIVERED'), 'delivered');
  await eventually(async () => (await attemptsOf(url, retried.id)).length === 2, 'the retry queued');
  await apps.pop()!.stop();

  await new Promise((resolve) => setTimeout(resolve, 2_500));
  await app(retention); // an instance prunes as it starts, then every minute
  await eventually(async () => (await attemptsOf(url, delivered.id)).length === 0, 'the delivered attempt removed');
  await eventually(async () => (await attemptsOf(url, retried.id)).length === 1, 'the failed attempt removed');
  expect(await attemptsOf(url, retried.id)).toEqual([expect.objectContaining({ attempt: 2, status: 'PENDING' })]);
  const [{ last }] = await sql<{ last: string }>('SELECT last_delivered_seq::text AS last FROM webhooks WHERE id = $1', [delivered.id], url);
  expect(last).not.toBeNull();
}, 60_000);
