import {
  CompleteActivityDocument, ConvertLeadDocument, DeleteDealDocument, LogActivityDocument, LoseDealDocument, MoveDealDocument,
  ReopenDealDocument, UpdateDealDocument, WinDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { createLead, eventsOf, newBoard, signIn } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

test('every committed change of a deal wrote exactly one event: type, stages and actor', async () => {
  const b = await newBoard(t);
  const manager = b.ws.token('MANAGER', 'mia');
  await signIn(t, manager);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Logged', value: 10 });
  const [s1, s2] = b.open;
  ok(await gql(t.url, manager, UpdateDealDocument, { id: deal.id, input: { value: 20 } }));
  ok(await gql(t.url, manager, MoveDealDocument, { id: deal.id, stageId: s2.id }));
  ok(await gql(t.url, b.admin, WinDealDocument, { id: deal.id }));
  ok(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id }));
  ok(await gql(t.url, manager, LoseDealDocument, { id: deal.id, reason: 'Went quiet' }));
  ok(await gql(t.url, manager, ReopenDealDocument, { id: deal.id, stageId: s1.id }));
  const call = ok(await gql(t.url, manager, LogActivityDocument, { input: { type: 'CALL', subject: 'Call', dealId: deal.id } })).logActivity;
  ok(await gql(t.url, manager, CompleteActivityDocument, { id: call.id }));
  ok(await gql(t.url, b.admin, DeleteDealDocument, { id: deal.id }));

  expect(await eventsOf(deal.id)).toEqual([
    { type: 'CREATED', from_stage_id: null, to_stage_id: s1.id, actor: 'admin-user' },
    { type: 'UPDATED', from_stage_id: null, to_stage_id: s1.id, actor: 'mia' },
    { type: 'MOVED', from_stage_id: s1.id, to_stage_id: s2.id, actor: 'mia' },
    { type: 'WON', from_stage_id: s2.id, to_stage_id: b.won.id, actor: 'admin-user' },
    { type: 'REOPENED', from_stage_id: b.won.id, to_stage_id: s2.id, actor: 'admin-user' },
    { type: 'LOST', from_stage_id: s2.id, to_stage_id: b.lost.id, actor: 'mia' },
    { type: 'REOPENED', from_stage_id: b.lost.id, to_stage_id: s1.id, actor: 'mia' },
    { type: 'UPDATED', from_stage_id: null, to_stage_id: s1.id, actor: 'mia' }, // activity logged
    { type: 'UPDATED', from_stage_id: null, to_stage_id: s1.id, actor: 'mia' }, // activity completed
    { type: 'DELETED', from_stage_id: null, to_stage_id: s1.id, actor: 'admin-user' },
  ]);
  const [{ version }] = await sql<{ version: number }>('SELECT version FROM deals WHERE id = $1', [deal.id]);
  expect(version).toBe(10); // one per event after CREATED, starting from 1
  const [{ seqs }] = await sql<{ seqs: string[] }>('SELECT array_agg(seq::text ORDER BY seq) AS seqs FROM deal_events WHERE deal_id = $1', [deal.id]);
  expect(new Set(seqs).size).toBe(10);
});

test('converting a lead writes the CREATED event of its deal, in the pipeline of the deal', async () => {
  const b = await newBoard(t);
  const lead = await createLead(t, b.admin);
  const deal = ok(await gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input: { pipelineId: b.pipeline.id, title: 'From lead', value: 5 } })).convertLead;
  expect(await eventsOf(deal.id)).toEqual([{ type: 'CREATED', from_stage_id: null, to_stage_id: b.open[0].id, actor: 'admin-user' }]);
  const [row] = await sql<{ pipeline_id: string; workspace_id: string }>('SELECT pipeline_id, workspace_id FROM deal_events WHERE deal_id = $1', [deal.id]);
  expect(row).toEqual({ pipeline_id: b.pipeline.id, workspace_id: b.ws.id });
});

test('a change that failed or was refused wrote no event', async () => {
  const b = await newBoard(t);
  const rep = b.ws.token('REP', 'rep-1');
  await signIn(t, rep);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Guarded', value: 10 });
  ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { ownerId: 'admin-user' } }));
  const before = await eventsOf(deal.id);
  expect(before.map((e) => e.type)).toEqual(['CREATED', 'UPDATED']);

  const failures = [
    gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[1].id, expectedVersion: 1 }), // stale version
    gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: ' ' }), // no reason
    gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.lost.id }), // LOST needs a reason
    gql(t.url, b.admin, ReopenDealDocument, { id: deal.id }), // not closed
    gql(t.url, rep, MoveDealDocument, { id: deal.id, stageId: b.open[1].id }), // not the rep's
    gql(t.url, b.ws.token('ANALYST'), WinDealDocument, { id: deal.id }), // analysts write nothing
    gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { value: 1e15 } }), // too large
    gql(t.url, rep, LogActivityDocument, { input: { type: 'NOTE', subject: 'x', dealId: deal.id } }), // not the rep's
  ];
  const codes = (await Promise.all(failures)).map(errorCodes);
  expect(codes).toEqual([['CONFLICT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['FORBIDDEN'], ['FORBIDDEN'], ['BAD_USER_INPUT'], ['FORBIDDEN']]);
  expect(await eventsOf(deal.id)).toEqual(before);
  const [{ version }] = await sql<{ version: number }>('SELECT version FROM deals WHERE id = $1', [deal.id]);
  expect(version).toBe(2);
});

test('a change that changes nothing writes no event and keeps the version', async () => {
  const b = await newBoard(t);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Still', value: 10 });
  const same = ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[0].id })).moveDeal;
  const empty = ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: {} })).updateDeal;
  expect([same.version, empty.version]).toEqual([1, 1]);
  expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(['CREATED']);
});
