import { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomUUID } from 'node:crypto';
import { print } from 'graphql';
import {
  ConvertLeadDocument, CreateDealDocument, CreateLeadDocument, LogActivityDocument, MeDocument, UpdateLeadDocument,
} from '../generated/graphql';
import { createPipeline } from '../factories/pipeline.factory';
import { sql } from '../helpers/database';
import { errorCodes, gql, GraphQLResult, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** Sends a typed operation with an Idempotency-Key; `replayed` is Stripe's response header. */
async function withKey<T, V>(key: string, token: string, document: TypedDocumentNode<T, V>, variables: V) {
  const response = await fetch(t.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
  return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true', ...body };
}

async function count(table: string, workspaceId: string): Promise<number> {
  const rows = await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE workspace_id = $1`, [workspaceId]);
  return Number(rows[0].n);
}

const lead = { name: 'Ada Lovelace', source: 'REFERRAL' as const };

test('createLead: a retry with the same key and input returns the first lead and writes nothing', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const key = randomUUID();
  const first = await withKey(key, admin, CreateLeadDocument, { input: lead });
  const second = await withKey(key, admin, CreateLeadDocument, { input: lead });
  expect(first.replayed).toBe(false);
  expect(second.replayed).toBe(true);
  expect(second.data).toEqual(first.data);
  expect(await count('leads', ws.id)).toBe(1);
});

test('createDeal, convertLead and logActivity replay their first result too', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 2);
  const deal = { pipelineId: pipeline.id, title: 'Renewal', value: 1200 };
  const [d1, d2] = [await withKey('deal-1', admin, CreateDealDocument, { input: deal }), await withKey('deal-1', admin, CreateDealDocument, { input: deal })];
  expect(d2.data!.createDeal.id).toBe(d1.data!.createDeal.id);
  expect(await count('deals', ws.id)).toBe(1);

  const leadId = ok(await gql(t.url, admin, CreateLeadDocument, { input: lead })).createLead.id;
  const convert = { id: leadId, input: { pipelineId: pipeline.id, title: 'From Ada', value: 500 } };
  const c1 = await withKey('convert-1', admin, ConvertLeadDocument, convert);
  const c2 = await withKey('convert-1', admin, ConvertLeadDocument, convert);
  expect(c1.errors).toBeUndefined();
  // Without the key, converting a converted lead is refused; with it, the retry gets the deal.
  expect(c2.data!.convertLead.id).toBe(c1.data!.convertLead.id);
  expect(await count('deals', ws.id)).toBe(2);

  const activity = { input: { type: 'CALL' as const, subject: 'Intro call', dealId: d1.data!.createDeal.id } };
  const a1 = await withKey('call-1', admin, LogActivityDocument, activity);
  const a2 = await withKey('call-1', admin, LogActivityDocument, activity);
  expect(a2.data!.logActivity.id).toBe(a1.data!.logActivity.id);
  expect(await count('activities', ws.id)).toBe(1);
  // CREATED by createDeal, CREATED by convertLead, UPDATED (lastActivityAt) by logActivity: none by a retry.
  expect(await count('deal_events', ws.id)).toBe(3);
});

test('the same key with another input is BAD_USER_INPUT and writes nothing', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  ok(await withKey('k', admin, CreateLeadDocument, { input: lead }));
  const other = await withKey('k', admin, CreateLeadDocument, { input: { ...lead, name: 'Grace Hopper' } });
  expect(errorCodes({ ...other, status: other.status })).toEqual(['BAD_USER_INPUT']);
  expect(other.data ?? null).toBeNull();
  expect(await count('leads', ws.id)).toBe(1);
});

test('keys belong to their user: another user with the same key creates their own', async () => {
  const ws = newWorkspace();
  ok(await withKey('shared', ws.token('ADMIN'), CreateLeadDocument, { input: lead }));
  const rep = await withKey('shared', ws.token('REP', 'rep-1'), CreateLeadDocument, { input: lead });
  expect(rep.replayed).toBe(false);
  expect(await count('leads', ws.id)).toBe(2);
});

test('ten requests racing with one key: one lead; every answer is that lead or CONFLICT', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  ok(await gql(t.url, admin, MeDocument));
  const answers = await Promise.all(Array.from({ length: 10 }, () => withKey('race', admin, CreateLeadDocument, { input: lead })));
  expect(await count('leads', ws.id)).toBe(1);
  const [row] = await sql<{ id: string }>('SELECT id FROM leads WHERE workspace_id = $1', [ws.id]);
  for (const answer of answers) {
    if (answer.errors) expect(answer.errors.map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    else expect(answer.data!.createLead.id).toBe(row.id);
  }
  expect(answers.filter((a) => !a.errors).length).toBeGreaterThanOrEqual(1);
});

test('a create that failed does not use up its key: the corrected retry goes through', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 2);
  const failed = await withKey('fix-me', admin, CreateDealDocument, { input: { pipelineId: pipeline.id, title: '', value: 10 } });
  expect(errorCodes({ ...failed, status: failed.status })).toEqual(['BAD_USER_INPUT']);
  const fixed = await withKey('fix-me', admin, CreateDealDocument, { input: { pipelineId: pipeline.id, title: 'Fixed', value: 10 } });
  expect(fixed.errors).toBeUndefined();
  expect(await count('deals', ws.id)).toBe(1);
});

test('after 24 hours a key is forgotten: the same request creates again', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  ok(await withKey('old', admin, CreateLeadDocument, { input: lead }));
  await sql("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE workspace_id = $1", [ws.id]);
  const again = await withKey('old', admin, CreateLeadDocument, { input: lead });
  expect(again.replayed).toBe(false);
  expect(await count('leads', ws.id)).toBe(2);
});

test('a key on a mutation that is not an idempotent create is BAD_USER_INPUT and writes nothing', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const created = ok(await gql(t.url, admin, CreateLeadDocument, { input: lead })).createLead;
  const update = await withKey('u', admin, UpdateLeadDocument, { id: created.id, input: { name: 'Renamed' } });
  expect(errorCodes({ ...update, status: update.status })).toEqual(['BAD_USER_INPUT']);
  const [row] = await sql<{ name: string }>('SELECT name FROM leads WHERE id = $1', [created.id]);
  expect(row.name).toBe('Ada Lovelace');
});

test('a query with a key is served as usual', async () => {
  const ws = newWorkspace();
  const me = await withKey('q', ws.token('ADMIN'), MeDocument, {});
  expect(me.data!.me.id).toBe('admin-user');
  expect(me.replayed).toBe(false);
});
