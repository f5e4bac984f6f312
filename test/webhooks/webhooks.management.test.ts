import {
  CreateWebhookDocument, CreateWebhookInput, DeleteWebhookDocument, ReplayWebhookDocument, UpdateWebhookDocument, WebhookDeliveriesDocument, WebhooksDocument,
} from '../generated/graphql';
import { createPipeline } from '../factories/pipeline.factory';
import { dropScratchDatabase, sql } from '../helpers/database';
import { errorCodes, gql, ok, untyped } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { livePipeline, newDeal } from '../realtime/realtime-fixtures';
import { attemptsOf, createWebhook, webhookDatabase } from './webhook-fixtures';
import { eventually } from './receiver';

/** Management of webhooks on an instance with the production default: private addresses refused. */
let url: string;
let t: TestApp;
beforeAll(async () => {
  url = await webhookDatabase('management');
  t = await startTestApp({ DATABASE_URL: url });
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await dropScratchDatabase(url);
});

const PUBLIC = 'https://93.184.216.34/hooks/dealstream';

test('every webhook query and mutation answers FORBIDDEN to every role but ADMIN, and changes nothing', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const { webhook } = await createWebhook(t, admin, { url: PUBLIC });
  for (const role of ['MANAGER', 'REP', 'ANALYST'] as const) {
    const token = ws.token(role);
    const results = [
      await gql(t.url, token, WebhooksDocument),
      await gql(t.url, token, WebhookDeliveriesDocument, { id: webhook.id }),
      await gql(t.url, token, CreateWebhookDocument, { input: { url: PUBLIC } }),
      await gql(t.url, token, UpdateWebhookDocument, { id: webhook.id, input: { active: false } }),
      await gql(t.url, token, ReplayWebhookDocument, { id: webhook.id, after: '0' }),
      await gql(t.url, token, DeleteWebhookDocument, { id: webhook.id }),
    ];
    expect(results.map(errorCodes)).toEqual(results.map(() => ['FORBIDDEN']));
  }
  expect(ok(await gql(t.url, admin, WebhooksDocument)).webhooks).toEqual([webhook]);
});

test('the secret is answered once, at creation, and by nothing afterwards', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const { webhook, secret } = await createWebhook(t, admin, { url: PUBLIC, eventTypes: ['MOVED', 'WON', 'MOVED'] });
  expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
  expect(webhook).toMatchObject({ url: PUBLIC, active: true, eventTypes: ['MOVED', 'WON'], pipelineIds: null, lastDeliveredSeq: null });
  const fields = ok(await gql(t.url, admin, untyped('{ __type(name: "Webhook") { fields { name } } }'))).__type.fields;
  expect(fields.map((f: { name: string }) => f.name)).not.toContain('secret');
  const later = [ok(await gql(t.url, admin, WebhooksDocument)), ok(await gql(t.url, admin, WebhookDeliveriesDocument, { id: webhook.id })),
    ok(await gql(t.url, admin, UpdateWebhookDocument, { id: webhook.id, input: { active: true } }))];
  for (const data of later) expect(JSON.stringify(data)).not.toContain(secret);
});

test('URLs that are not https or that name loopback, private or link-local addresses are refused', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const refused = ['http://93.184.216.34/hook', 'https://127.0.0.1/hook', 'https://localhost:8443/hook', 'https://10.1.2.3/hook',
    'https://192.168.0.7/hook', 'https://169.254.169.254/latest', 'https://[::1]/hook', 'https://[fe80::1]/hook', 'ftp://example.com/x',
    'not a url', 'https://user:pw@93.184.216.34/hook'];
  for (const bad of refused) {
    const result = await gql(t.url, admin, CreateWebhookDocument, { input: { url: bad } });
    expect([bad, errorCodes(result), result.errors?.[0].extensions?.field]).toEqual([bad, ['BAD_USER_INPUT'], 'input.url']);
  }
  const { webhook } = await createWebhook(t, admin, { url: PUBLIC });
  const update = await gql(t.url, admin, UpdateWebhookDocument, { id: webhook.id, input: { url: 'https://127.0.0.2/x' } });
  expect([errorCodes(update), update.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'input.url']);
  expect(ok(await gql(t.url, admin, WebhooksDocument)).webhooks.map((w) => w.url)).toEqual([PUBLIC]);
});

test('filters are checked: event types and pipelines of the workspace', async () => {
  const { admin, pipeline } = await livePipeline(t);
  const other = await livePipeline(t);
  const cases: [CreateWebhookInput, string, string | undefined][] = [
    [{ url: PUBLIC, eventTypes: [] }, 'BAD_USER_INPUT', 'input.eventTypes'],
    [{ url: PUBLIC, pipelineIds: [] }, 'BAD_USER_INPUT', 'input.pipelineIds'],
    [{ url: PUBLIC, pipelineIds: ['not-an-id'] }, 'BAD_USER_INPUT', 'input.pipelineIds'],
    [{ url: PUBLIC, pipelineIds: [pipeline.id, other.pipeline.id] }, 'NOT_FOUND', undefined],
  ];
  for (const [input, code, field] of cases) {
    const result = await gql(t.url, admin, CreateWebhookDocument, { input });
    expect([errorCodes(result), result.errors?.[0].extensions?.field]).toEqual([[code], field]);
  }
  expect(ok(await gql(t.url, admin, WebhooksDocument)).webhooks).toEqual([]);
  const second = await createPipeline(t.url, admin, 2, 'Renewals');
  const { webhook } = await createWebhook(t, admin, { url: PUBLIC, pipelineIds: [pipeline.id, second.id.toUpperCase()] });
  expect(webhook.pipelineIds).toEqual([pipeline.id, second.id]);
  const updated = ok(await gql(t.url, admin, UpdateWebhookDocument, { id: webhook.id, input: { pipelineIds: null, eventTypes: ['CREATED'] } }));
  expect(updated.updateWebhook).toMatchObject({ pipelineIds: null, eventTypes: ['CREATED'], url: PUBLIC });
});

test('no workspace sees, changes, replays or deletes another one\'s webhook', async () => {
  const owner = newWorkspace();
  const { webhook } = await createWebhook(t, owner.token('ADMIN'), { url: PUBLIC });
  const stranger = newWorkspace().token('ADMIN');
  const results = [
    await gql(t.url, stranger, WebhookDeliveriesDocument, { id: webhook.id }),
    await gql(t.url, stranger, UpdateWebhookDocument, { id: webhook.id, input: { active: false } }),
    await gql(t.url, stranger, ReplayWebhookDocument, { id: webhook.id, after: '0' }),
    await gql(t.url, stranger, DeleteWebhookDocument, { id: webhook.id }),
  ];
  expect(results.map(errorCodes)).toEqual(results.map(() => ['NOT_FOUND']));
  expect(ok(await gql(t.url, stranger, WebhooksDocument)).webhooks).toEqual([]);
  expect(ok(await gql(t.url, owner.token('ADMIN'), WebhooksDocument)).webhooks).toEqual([webhook]);
});

test('delete removes the webhook; replay wants a seq', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const { webhook } = await createWebhook(t, admin, { url: PUBLIC });
  const bad = await gql(t.url, admin, ReplayWebhookDocument, { id: webhook.id, after: 'yesterday' });
  expect([errorCodes(bad), bad.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'after']);
  expect(ok(await gql(t.url, admin, DeleteWebhookDocument, { id: webhook.id })).deleteWebhook).toBe(true);
  expect(errorCodes(await gql(t.url, admin, WebhookDeliveriesDocument, { id: webhook.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, admin, DeleteWebhookDocument, { id: webhook.id }))).toEqual(['NOT_FOUND']);
});

test('an address that turns private after it was saved (DNS rebinding) is refused when delivery connects', async () => {
  const { admin, pipeline } = await livePipeline(t);
  const { webhook } = await createWebhook(t, admin, { url: PUBLIC });
  // What a rebinding DNS answer amounts to: the saved host now resolves to a loopback address.
  await sql('UPDATE webhooks SET url = $2 WHERE id = $1', [webhook.id, 'https://localhost:9/hook'], url);
  await newDeal(t, admin, pipeline.id);
  const first = await eventually(async () => (await attemptsOf(url, webhook.id)).find((a) => a.status === 'FAILED'), 'a failed attempt');
  expect(first).toMatchObject({ attempt: 1, http_status: null });
  expect(first.error).toMatch(/^address refused: localhost is (127\.0\.0\.1|::1), a loopback/);
});

test('with WEBHOOK_ALLOW_PRIVATE=true, http to a private address is accepted, http to a public one still is not', async () => {
  const lenient = await startTestApp({ DATABASE_URL: url, WEBHOOK_ALLOW_PRIVATE: 'true' });
  try {
    const admin = newWorkspace().token('ADMIN');
    expect((await createWebhook(lenient, admin, { url: 'http://127.0.0.1:8080/hook' })).webhook.url).toBe('http://127.0.0.1:8080/hook');
    const result = await gql(lenient.url, admin, CreateWebhookDocument, { input: { url: 'http://93.184.216.34/hook' } });
    expect([errorCodes(result), result.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], 'input.url']);
  } finally {
    await lenient.stop();
  }
});
