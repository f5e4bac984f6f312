import {
  BoardDocument, CompleteActivityDocument, ConvertLeadDocument, CreateDealDocument, DealDocument, DealsDocument, LeadDocument,
  LeadsDocument, LogActivityDocument, MoveDealDocument, PipelineDocument, PipelinesDocument, ReorderStagesDocument,
  UpdateDealDocument, UpdateLeadDocument, UpdateStageDocument, WinDealDocument,
} from '../generated/graphql';
import { errorCodes, gql, GraphQLResult, ok } from '../helpers/graphql';
import { resolversAnswer, startTestApp, TestApp } from '../helpers/test-app';
import { sql } from '../helpers/database';
import { createDeal } from '../factories/pipeline.factory';
import { createLead, newBoard, signIn, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** Two workspaces, each with a pipeline, a lead, a deal and an activity of its own. */
async function twoWorkspaces() {
  const make = async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const lead = await createLead(t, b.admin, { name: `Lead of ${b.ws.id}` });
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: `Deal of ${b.ws.id}`, value: 10, ownerId: 'rep-1' });
    const activity = ok(await gql(t.url, b.admin, LogActivityDocument, { input: { type: 'NOTE', subject: 'Note', dealId: deal.id } })).logActivity;
    return { ...b, lead, deal, activity };
  };
  return [await make(), await make()] as const;
}

/** The error of a result without its id: another workspace's id must read exactly like an unknown one. */
const shape = (result: GraphQLResult<unknown>, id: string) =>
  (result.errors ?? []).map((e) => ({ code: e.extensions?.code, message: e.message.replace(id, '<id>'), data: result.data }));

test('lists show only the own workspace', async () => {
  const [a, b] = await twoWorkspaces();
  expect(ok(await gql(t.url, a.admin, PipelinesDocument)).pipelines.map((p) => p.id)).toEqual([a.pipeline.id]);
  expect(ok(await gql(t.url, a.admin, DealsDocument, {})).deals.nodes.map((d) => d.id)).toEqual([a.deal.id]);
  expect(ok(await gql(t.url, a.admin, DealsDocument, {})).deals.totalCount).toBe(1);
  expect(ok(await gql(t.url, a.admin, LeadsDocument, {})).leads.nodes.map((l) => l.id)).toEqual([a.lead.id]);
  expect(ok(await gql(t.url, b.admin, DealsDocument, {})).deals.nodes.map((d) => d.id)).toEqual([b.deal.id]);
  // Filters naming the other workspace's pipeline, stages or user find nothing, answered in
  // PostgreSQL or by the resolvers. (A list of one pipeline or stage checks that it is the
  // viewer's, not each deal's workspace: deal.query.ts.)
  const [theirStage] = b.pipeline.stages;
  const filters = [{ pipelineId: b.pipeline.id }, { stageIds: b.pipeline.stages.map((s) => s.id) }, { ownerId: 'rep-1', pipelineId: b.pipeline.id },
    { stageIds: [theirStage.id] }, { stageIds: [theirStage.id], status: 'OPEN' as const }, { pipelineId: b.pipeline.id, status: 'OPEN' as const }];
  for (const filter of filters) {
    expect(ok(await gql(t.url, a.admin, DealsDocument, { filter })).deals).toMatchObject({ nodes: [], totalCount: 0 });
    expect(ok(await resolversAnswer(t, a.admin, DealsDocument, { filter })).deals).toMatchObject({ nodes: [], totalCount: 0 });
  }
  // The owner's view of the same filters finds the deal.
  expect(ok(await gql(t.url, b.admin, DealsDocument, { filter: { stageIds: [theirStage.id] } })).deals.nodes.map((d) => d.id)).toEqual([b.deal.id]);
  expect(ok(await gql(t.url, b.admin, DealsDocument, { filter: { pipelineId: b.pipeline.id } })).deals.totalCount).toBe(1);
  // Same user id in both: each workspace sees only its own rep's deals.
  expect(ok(await gql(t.url, a.admin, DealsDocument, { filter: { ownerId: 'rep-1' } })).deals.nodes.map((d) => d.id)).toEqual([a.deal.id]);
});

test("reads of another workspace's ids answer exactly like unknown ids", async () => {
  const [a, b] = await twoWorkspaces();
  const reads: [string, string, (id: string) => Promise<GraphQLResult<unknown>>][] = [
    ['deal', b.deal.id, (id) => gql(t.url, a.admin, DealDocument, { id })],
    ['lead', b.lead.id, (id) => gql(t.url, a.admin, LeadDocument, { id })],
    ['pipeline', b.pipeline.id, (id) => gql(t.url, a.admin, PipelineDocument, { id })],
    ['board', b.pipeline.id, (id) => gql(t.url, a.admin, BoardDocument, { id, first: 5 })],
  ];
  for (const [name, foreignId, read] of reads) {
    const foreign = await read(foreignId);
    expect([name, errorCodes(foreign)]).toEqual([name, ['NOT_FOUND']]);
    expect(shape(foreign, foreignId)).toEqual(shape(await read(UNKNOWN_ID), UNKNOWN_ID));
  }
});

test("writes to another workspace's ids answer like unknown ids and change nothing there", async () => {
  const [a, b] = await twoWorkspaces();
  const before = await snapshot(b.ws.id);
  const writes: [string, string, (id: string) => Promise<GraphQLResult<unknown>>][] = [
    ['updateDeal', b.deal.id, (id) => gql(t.url, a.admin, UpdateDealDocument, { id, input: { title: 'Mine' } })],
    ['moveDeal', b.deal.id, (id) => gql(t.url, a.admin, MoveDealDocument, { id, stageId: a.open[1].id })],
    ['moveDeal to their stage', b.open[1].id, (id) => gql(t.url, a.admin, MoveDealDocument, { id: a.deal.id, stageId: id })],
    ['winDeal', b.deal.id, (id) => gql(t.url, a.admin, WinDealDocument, { id })],
    ['updateLead', b.lead.id, (id) => gql(t.url, a.admin, UpdateLeadDocument, { id, input: { name: 'Mine' } })],
    ['convertLead', b.lead.id, (id) => gql(t.url, a.admin, ConvertLeadDocument, { id, input: { pipelineId: a.pipeline.id, title: 'T', value: 1 } })],
    ['convertLead into their pipeline', b.pipeline.id, (id) => gql(t.url, a.admin, ConvertLeadDocument, { id: a.lead.id, input: { pipelineId: id, title: 'T', value: 1 } })],
    ['createDeal in their pipeline', b.pipeline.id, (id) => gql(t.url, a.admin, CreateDealDocument, { input: { pipelineId: id, title: 'T', value: 1 } })],
    ['createDeal on their lead', b.lead.id, (id) => gql(t.url, a.admin, CreateDealDocument, { input: { pipelineId: a.pipeline.id, title: 'T', value: 1, leadId: id } })],
    ['updateStage', b.open[0].id, (id) => gql(t.url, a.admin, UpdateStageDocument, { id, input: { name: 'Mine' } })],
    ['reorderStages', b.pipeline.id, (id) => gql(t.url, a.admin, ReorderStagesDocument, { pipelineId: id, stageIds: b.pipeline.stages.map((s) => s.id) })],
    ['logActivity', b.deal.id, (id) => gql(t.url, a.admin, LogActivityDocument, { input: { type: 'NOTE', subject: 'x', dealId: id } })],
    ['completeActivity', b.activity.id, (id) => gql(t.url, a.admin, CompleteActivityDocument, { id })],
  ];
  for (const [name, foreignId, write] of writes) {
    const foreign = await write(foreignId);
    expect([name, errorCodes(foreign)]).toEqual([name, ['NOT_FOUND']]);
    expect([name, shape(foreign, foreignId)]).toEqual([name, shape(await write(UNKNOWN_ID), UNKNOWN_ID)]);
  }
  expect(await snapshot(b.ws.id)).toEqual(before);
});

test("a user of another workspace cannot be named as an owner", async () => {
  const [a, b] = await twoWorkspaces();
  await signIn(t, b.ws.token('REP', 'only-in-b'));
  const result = await gql(t.url, a.admin, UpdateDealDocument, { id: a.deal.id, input: { ownerId: 'only-in-b' } });
  expect(errorCodes(result)).toEqual(['NOT_FOUND']);
  expect(ok(await gql(t.url, a.admin, DealsDocument, { filter: { ownerId: 'only-in-b' } })).deals.nodes).toEqual([]);
});

test("another workspace's cursor answers NOT_FOUND and reveals nothing", async () => {
  const [a, b] = await twoWorkspaces();
  await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Second of b', value: 1 });
  const page = ok(await gql(t.url, b.admin, DealsDocument, { first: 1 })).deals;
  expect(page.pageInfo.hasNextPage).toBe(true);
  const foreign = await gql(t.url, a.admin, DealsDocument, { first: 1, after: page.pageInfo.endCursor });
  expect(errorCodes(foreign)).toEqual(['NOT_FOUND']);
  expect(JSON.stringify(foreign)).not.toContain('Second of b');
  const leadPage = ok(await gql(t.url, b.admin, LeadsDocument, { first: 1 })).leads;
  expect(errorCodes(await gql(t.url, a.admin, LeadsDocument, { after: leadPage.pageInfo.endCursor }))).toEqual(['NOT_FOUND']);
});

test("the database keeps a deal's stage and pipeline in the deal's workspace", async () => {
  // What lets a list of one of the viewer's stages or pipelines skip each deal's workspace check.
  const [a, b] = await twoWorkspaces();
  const moveInto = (column: 'stage_id' | 'pipeline_id', id: string) =>
    sql(`UPDATE deals SET ${column} = $1 WHERE id = $2`, [id, a.deal.id]);
  await expect(moveInto('stage_id', b.pipeline.stages[0].id)).rejects.toThrow(/deals_stage_in_workspace/);
  await expect(moveInto('pipeline_id', b.pipeline.id)).rejects.toThrow(/deals_pipeline_in_workspace/);
  await expect(sql('UPDATE deals SET workspace_id = $1 WHERE id = $2', [b.ws.id, a.deal.id])).rejects.toThrow(/_in_workspace/);
  expect(ok(await gql(t.url, a.admin, DealDocument, { id: a.deal.id })).deal).toMatchObject({ id: a.deal.id });
});
