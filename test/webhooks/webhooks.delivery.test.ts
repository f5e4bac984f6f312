import { UpdateDealDocument, UpdateWebhookDocument, WinDealDocument } from '../generated/graphql';
import { createPipeline } from '../factories/pipeline.factory';
import { dropScratchDatabase } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { TestApp } from '../helpers/test-app';
import { livePipeline, move, newDeal } from '../realtime/realtime-fixtures';
import { eventually, Receiver } from './receiver';
import { attemptsOf, createWebhook, deliveringApp, seqsOf, signatureValid, webhookDatabase, webhookWithDeliveries } from './webhook-fixtures';

let url: string;
let t: TestApp;
let receiver: Receiver;
beforeAll(async () => {
  url = await webhookDatabase('delivery');
  t = await deliveringApp(url);
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await dropScratchDatabase(url);
});
beforeEach(async () => {
  receiver = await Receiver.start();
});
afterEach(() => receiver.close());

test('every event goes out once, in seq order, signed, with the body and headers of the contract', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(t);
  const { webhook, secret } = await createWebhook(t, admin, { url: receiver.url });
  const deal = await newDeal(t, admin, pipeline.id, 'Acme renewal', 1234.5);
  await move(t, admin, deal.id, stages.s2);
  ok(await gql(t.url, admin, UpdateDealDocument, { id: deal.id, input: { title: 'Acme renewal (3 years)' } }));
  ok(await gql(t.url, admin, WinDealDocument, { id: deal.id }));

  const seqs = await seqsOf(url, ws.id);
  expect(seqs).toHaveLength(4);
  await receiver.until((got) => got.length >= 4);
  expect(receiver.seqs).toEqual(seqs);
  expect(receiver.received.map((r) => r.body.type)).toEqual(['CREATED', 'MOVED', 'UPDATED', 'WON']);
  for (const { headers, raw, body } of receiver.received) {
    expect(signatureValid(headers['dealstream-signature'], raw, secret)).toBe(true);
    expect(signatureValid(headers['dealstream-signature'], raw, 'another secret')).toBe(false);
    expect(headers['dealstream-seq']).toBe(body.seq);
    expect(Object.keys(body)).toEqual(['id', 'seq', 'type', 'occurredAt', 'workspaceId', 'pipelineId', 'dealId', 'fromStageId',
      'toStageId', 'actorId', 'changes', 'deal']);
    expect(body).toMatchObject({ workspaceId: ws.id, pipelineId: pipeline.id, dealId: deal.id, actorId: 'admin-user' });
  }
  const moved = receiver.received[1].body;
  expect(moved).toMatchObject({ fromStageId: stages.s1, toStageId: stages.s2 });
  // The deal as it is when sent: every delivery here went out after the win.
  expect(receiver.received[3].body.deal).toMatchObject({
    id: deal.id, title: 'Acme renewal (3 years)', value: 1234.5, status: 'WON', pipelineId: pipeline.id, stageId: stages.won, ownerId: null,
  });

  // The receiver has the last request before its answer is recorded.
  const shown = await eventually(async () => {
    const current = await webhookWithDeliveries(t, admin, webhook.id);
    return current.lastDeliveredSeq === seqs[3] ? current : undefined;
  }, 'the last delivery recorded');
  expect(shown.deliveries.totalCount).toBe(4);
  expect(shown.deliveries.nodes.map((d) => [d.seq, d.attempt, d.status, d.httpStatus])).toEqual(
    [...seqs].reverse().map((seq) => [seq, 1, 'DELIVERED', 200]));
  expect(shown.deliveries.nodes.map((d) => d.deliveryId)).toEqual(receiver.received.map((r) => r.body.id).reverse());
});

test('/metrics counts attempts by result and the delivery lag', async () => {
  const { admin, pipeline } = await livePipeline(t);
  receiver.answer = (_, index) => (index === 0 ? 500 : 200);
  await createWebhook(t, admin, { url: receiver.url });
  const scrape = async () => (await fetch(t.url.replace(/\/graphql$/, '/metrics'))).text();
  const figure = (text: string, series: string) => Number(text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1] ?? 0);
  const before = await scrape();
  await newDeal(t, admin, pipeline.id);
  await receiver.until((got) => got.length >= 2);
  const after = await eventually(async () => {
    const text = await scrape();
    return figure(text, 'dealstream_webhook_attempts_total{result="delivered"}') > figure(before, 'dealstream_webhook_attempts_total{result="delivered"}')
      ? text : undefined;
  }, 'the delivery counted');
  expect(figure(after, 'dealstream_webhook_attempts_total{result="retrying"}'))
    .toBe(figure(before, 'dealstream_webhook_attempts_total{result="retrying"}') + 1);
  expect(figure(after, 'dealstream_webhook_delivery_lag_seconds_count')).toBe(figure(before, 'dealstream_webhook_delivery_lag_seconds_count') + 1);
});

test('filters by event type and pipeline; other workspaces\' events never reach a webhook', async () => {
  const { ws, admin, pipeline, stages } = await livePipeline(t);
  const second = await createPipeline(t.url, admin, 2, 'Renewals');
  const stranger = await livePipeline(t);
  const moves = await createWebhook(t, admin, { url: receiver.url, eventTypes: ['MOVED'] });
  const renewals = await Receiver.start();
  try {
    await createWebhook(t, admin, { url: renewals.url, pipelineIds: [second.id] });
    await createWebhook(t, stranger.admin, { url: renewals.url, pipelineIds: [stranger.pipeline.id], eventTypes: ['WON'] });
    const deal = await newDeal(t, admin, pipeline.id);
    await newDeal(t, stranger.admin, stranger.pipeline.id);
    await move(t, admin, deal.id, stages.s2);
    const renewal = await newDeal(t, admin, second.id);
    await move(t, admin, renewal.id, second.stages[1].id);

    // Per webhook, events go out in seq order: once the last matching one is in, none before it is missing.
    await receiver.until((got) => got.length >= 2);
    await renewals.until((got) => got.length >= 2);
    expect(receiver.received.map((r) => [r.body.type, r.body.dealId])).toEqual([['MOVED', deal.id], ['MOVED', renewal.id]]);
    expect(renewals.received.map((r) => [r.body.type, r.body.dealId])).toEqual([['CREATED', renewal.id], ['MOVED', renewal.id]]);
    expect([...receiver.received, ...renewals.received].every((r) => r.body.workspaceId === ws.id)).toBe(true);
    expect(moves.webhook.eventTypes).toEqual(['MOVED']);
  } finally {
    await renewals.close();
  }
});

test('a failing endpoint gets the same delivery again, later events wait, and it recovers', async () => {
  const { ws, admin, pipeline } = await livePipeline(t);
  receiver.answer = (_, index) => (index < 3 ? 500 : 200);
  const { webhook } = await createWebhook(t, admin, { url: receiver.url });
  await newDeal(t, admin, pipeline.id, 'First');
  await newDeal(t, admin, pipeline.id, 'Second');
  const [first, second] = await seqsOf(url, ws.id);
  await receiver.until((got) => got.length >= 5);
  expect(receiver.seqs).toEqual([first, first, first, first, second]);
  expect(new Set(receiver.received.slice(0, 4).map((r) => r.body.id)).size).toBe(1);

  const attempts = await eventually(async () => {
    const rows = await attemptsOf(url, webhook.id);
    return rows.length === 5 && rows.every((a) => a.status !== 'PENDING') ? rows : undefined;
  }, 'every attempt recorded');
  const bySeq = attempts.map((a) => [a.seq, a.attempt, a.status, a.http_status] as const)
    .sort((a, b) => Number(BigInt(a[0]) - BigInt(b[0])) || a[1] - b[1]);
  expect(bySeq).toEqual([[first, 1, 'FAILED', 500], [first, 2, 'FAILED', 500], [first, 3, 'FAILED', 500], [first, 4, 'DELIVERED', 200],
    [second, 1, 'DELIVERED', 200]]);
  expect(attempts.find((a) => a.attempt === 1)!.error).toMatch(/^HTTP 500: refused with 500 x+$/);
  expect(attempts.find((a) => a.attempt === 1)!.error!.length).toBeLessThanOrEqual(220);
  const shown = await eventually(async () => {
    const current = await webhookWithDeliveries(t, admin, webhook.id, 2);
    return current.deliveries.nodes[0]?.status === 'DELIVERED' ? current : undefined;
  }, 'the last delivery recorded');
  expect(shown.deliveries.nodes.map((d) => [d.seq, d.attempt])).toEqual([[second, 1], [first, 4]]);
  expect(shown.failingSince).toBeNull();
});

test('after the last of 8 attempts the delivery is FAILED, failingSince is set, and the webhook goes on', async () => {
  const { ws, admin, pipeline } = await livePipeline(t);
  const { webhook } = await createWebhook(t, admin, { url: receiver.url });
  receiver.answer = () => 503;
  await newDeal(t, admin, pipeline.id, 'Doomed');
  const [doomed] = await seqsOf(url, ws.id);
  await receiver.until((got) => got.length >= 8);
  const failing = await eventually(async () => (await webhookWithDeliveries(t, admin, webhook.id)).failingSince, 'failingSince set');
  const attempts = await attemptsOf(url, webhook.id);
  expect(attempts.map((a) => [a.seq, a.attempt, a.status])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [doomed, n, 'FAILED']));
  expect(receiver.received.length).toBe(8);

  receiver.answer = () => 204;
  await newDeal(t, admin, pipeline.id, 'Next');
  await receiver.until((got) => got.length >= 9);
  expect(receiver.seqs.at(-1)).not.toBe(doomed);
  const after = await eventually(async () => {
    const shown = await webhookWithDeliveries(t, admin, webhook.id);
    return shown.failingSince === null ? shown : undefined;
  }, 'failingSince cleared');
  expect(after.lastDeliveredSeq).toBe(receiver.seqs.at(-1));
  expect(Date.parse(failing)).toBeGreaterThan(0);
});

test('events that happen while a webhook is inactive are never sent to it', async () => {
  const { admin, pipeline } = await livePipeline(t);
  const { webhook } = await createWebhook(t, admin, { url: receiver.url });
  ok(await gql(t.url, admin, UpdateWebhookDocument, { id: webhook.id, input: { active: false } }));
  await newDeal(t, admin, pipeline.id, 'While inactive');
  ok(await gql(t.url, admin, UpdateWebhookDocument, { id: webhook.id, input: { active: true } }));
  const later = await newDeal(t, admin, pipeline.id, 'After');
  await receiver.until((got) => got.length >= 1);
  expect(receiver.received.map((r) => r.body.deal.title)).toEqual(['After']);
  expect(receiver.received[0].body.dealId).toBe(later.id);
});
