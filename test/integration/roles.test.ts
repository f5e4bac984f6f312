import {
  CompleteActivityDocument, ConvertLeadDocument, CreateDealDocument, CreateLeadDocument, CreatePipelineDocument, DealsDocument,
  DealDocument, DeleteDealDocument, LeadDocument, LogActivityDocument, LoseDealDocument, MoveDealDocument, QualifyLeadDocument, ReopenDealDocument,
  ReorderStagesDocument, UpdateDealDocument, UpdateLeadDocument, UpdateStageDocument, WinDealDocument,
} from '../generated/graphql';
import { errorCodes, gql, GraphQLResult, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, stagesOf } from '../factories/pipeline.factory';
import { createLead, newBoard, readDeal, signIn, snapshot } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** A workspace with two reps, and a deal, a lead and an activity of rep-2's plus an unowned deal and lead. */
async function team() {
  const b = await newBoard(t);
  const rep1 = b.ws.token('REP', 'rep-1');
  const rep2 = b.ws.token('REP', 'rep-2');
  await signIn(t, rep1);
  await signIn(t, rep2);
  const theirs = await createDeal(t.url, rep2, { pipelineId: b.pipeline.id, title: 'Theirs', value: 10 });
  const unowned = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Unowned', value: 10 });
  const theirLead = await createLead(t, rep2);
  const unownedLead = await createLead(t, b.admin);
  const theirActivity = ok(await gql(t.url, rep2, LogActivityDocument, { input: { type: 'TASK', subject: 'Mine', dealId: theirs.id } })).logActivity;
  return { ...b, rep1, rep2, theirs, unowned, theirLead, unownedLead, theirActivity };
}

/** Every mutation of the core API, aimed at records of `tm` that the caller does not own. */
function everyMutation(tm: Awaited<ReturnType<typeof team>>, token: string): [string, () => Promise<GraphQLResult<unknown>>][] {
  const { pipeline, open, theirs, theirLead, theirActivity } = tm;
  return [
    ['createPipeline', () => gql(t.url, token, CreatePipelineDocument, { input: { name: 'Mine', stages: stagesOf(1) } })],
    ['updateStage', () => gql(t.url, token, UpdateStageDocument, { id: open[0].id, input: { name: 'Renamed' } })],
    ['reorderStages', () => gql(t.url, token, ReorderStagesDocument, { pipelineId: pipeline.id, stageIds: pipeline.stages.map((s) => s.id) })],
    ['updateDeal', () => gql(t.url, token, UpdateDealDocument, { id: theirs.id, input: { title: 'Taken' } })],
    ['moveDeal', () => gql(t.url, token, MoveDealDocument, { id: theirs.id, stageId: open[1].id })],
    ['winDeal', () => gql(t.url, token, WinDealDocument, { id: theirs.id })],
    ['loseDeal', () => gql(t.url, token, LoseDealDocument, { id: theirs.id, reason: 'Mine now' })],
    ['reopenDeal', () => gql(t.url, token, ReopenDealDocument, { id: theirs.id, stageId: open[0].id })],
    ['updateLead', () => gql(t.url, token, UpdateLeadDocument, { id: theirLead.id, input: { score: 1 } })],
    ['qualifyLead', () => gql(t.url, token, QualifyLeadDocument, { id: theirLead.id, status: 'MQL' })],
    ['convertLead', () => gql(t.url, token, ConvertLeadDocument, { id: theirLead.id, input: { pipelineId: pipeline.id, title: 'T', value: 1 } })],
    ['logActivity', () => gql(t.url, token, LogActivityDocument, { input: { type: 'NOTE', subject: 'Hi', dealId: theirs.id } })],
    ['completeActivity', () => gql(t.url, token, CompleteActivityDocument, { id: theirActivity.id })],
    ['deleteDeal', () => gql(t.url, token, DeleteDealDocument, { id: theirs.id })],
  ];
}

test('ANALYST reads everything and every mutation answers FORBIDDEN, writing nothing', async () => {
  const tm = await team();
  const analyst = tm.ws.token('ANALYST');
  expect(ok(await gql(t.url, analyst, DealsDocument, {})).deals.totalCount).toBe(2);
  const before = await snapshot(tm.ws.id);
  const attempts: [string, () => Promise<GraphQLResult<unknown>>][] = [
    ...everyMutation(tm, analyst),
    ['createLead', () => gql(t.url, analyst, CreateLeadDocument, { input: { name: 'X', source: 'INBOUND' } })],
    ['createDeal', () => gql(t.url, analyst, CreateDealDocument, { input: { pipelineId: tm.pipeline.id, title: 'X', value: 1 } })],
    ['createDeal (unknown pipeline)', () => gql(t.url, analyst, CreateDealDocument, { input: { pipelineId: '00000000-0000-4000-8000-000000000000', title: 'X', value: 1 } })],
    ['createLead (unknown owner)', () => gql(t.url, analyst, CreateLeadDocument, { input: { name: 'X', source: 'INBOUND', ownerId: 'nobody' } })],
    ['moveDeal (unowned)', () => gql(t.url, analyst, MoveDealDocument, { id: tm.unowned.id, stageId: tm.open[1].id })],
    ['logActivity (unowned lead)', () => gql(t.url, analyst, LogActivityDocument, { input: { type: 'NOTE', subject: 'Hi', leadId: tm.unownedLead.id } })],
  ];
  for (const [name, attempt] of attempts) {
    expect([name, errorCodes(await attempt())]).toEqual([name, ['FORBIDDEN']]);
  }
  expect(await snapshot(tm.ws.id)).toEqual(before);
});

test("REP: FORBIDDEN on another rep's deal, lead and activity and on pipeline set-up, writing nothing", async () => {
  const tm = await team();
  expect(ok(await gql(t.url, tm.rep1, DealsDocument, {})).deals.totalCount).toBe(2); // reads everything
  const before = await snapshot(tm.ws.id);
  const attempts: [string, () => Promise<GraphQLResult<unknown>>][] = [
    ...everyMutation(tm, tm.rep1),
    ['createDeal for another', () => gql(t.url, tm.rep1, CreateDealDocument, { input: { pipelineId: tm.pipeline.id, title: 'X', value: 1, ownerId: 'rep-2' } })],
    ['createLead for another', () => gql(t.url, tm.rep1, CreateLeadDocument, { input: { name: 'X', source: 'INBOUND', ownerId: 'rep-2' } })],
    ['createDeal from another\'s lead', () => gql(t.url, tm.rep1, CreateDealDocument, { input: { pipelineId: tm.pipeline.id, title: 'X', value: 1, leadId: tm.theirLead.id } })],
    ['give an unowned deal away', () => gql(t.url, tm.rep1, UpdateDealDocument, { id: tm.unowned.id, input: { ownerId: 'rep-2' } })],
  ];
  for (const [name, attempt] of attempts) {
    expect([name, errorCodes(await attempt())]).toEqual([name, ['FORBIDDEN']]);
  }
  expect(await snapshot(tm.ws.id)).toEqual(before);
});

test('REP writes its own and unowned records; what it creates is its own', async () => {
  const tm = await team();
  const mine = await createDeal(t.url, tm.rep1, { pipelineId: tm.pipeline.id, title: 'Mine', value: 10 });
  expect(mine.owner?.id).toBe('rep-1');
  ok(await gql(t.url, tm.rep1, MoveDealDocument, { id: mine.id, stageId: tm.open[1].id }));
  ok(await gql(t.url, tm.rep1, WinDealDocument, { id: mine.id }));
  ok(await gql(t.url, tm.rep1, MoveDealDocument, { id: tm.unowned.id, stageId: tm.open[2].id }));
  const taken = ok(await gql(t.url, tm.rep1, UpdateDealDocument, { id: tm.unowned.id, input: { ownerId: 'rep-1' } })).updateDeal;
  expect(taken.owner?.id).toBe('rep-1');
  ok(await gql(t.url, tm.rep1, LogActivityDocument, { input: { type: 'CALL', subject: 'Call', dealId: mine.id } }));
  ok(await gql(t.url, tm.rep1, QualifyLeadDocument, { id: tm.unownedLead.id, status: 'MQL' }));
  const converted = ok(await gql(t.url, tm.rep1, ConvertLeadDocument, { id: tm.unownedLead.id, input: { pipelineId: tm.pipeline.id, title: 'Conv', value: 5 } })).convertLead;
  expect(converted.owner?.id).toBe('rep-1');
  const lead = await createLead(t, tm.rep1);
  expect(lead.owner?.id).toBe('rep-1');
  expect(ok(await gql(t.url, tm.rep1, DeleteDealDocument, { id: mine.id })).deleteDeal).toBe(true);
});

test.each(['ADMIN', 'MANAGER'] as const)('%s sets up pipelines and writes anyone\'s deals, leads and activities', async (role) => {
  const tm = await team();
  const token = tm.ws.token(role);
  for (const [name, attempt] of everyMutation(tm, token)) {
    const result = await attempt();
    expect([name, errorCodes(result)]).toEqual([name, []]);
  }
  // rep-2's deal went through update, move, win, lose, reopen and delete; their lead was converted.
  expect(errorCodes(await gql(t.url, token, DealDocument, { id: tm.theirs.id }))).toEqual(['NOT_FOUND']);
  expect(ok(await gql(t.url, token, LeadDocument, { id: tm.theirLead.id })).lead).toMatchObject({ status: 'CONVERTED', score: 1 });
});

test('MANAGER edits a stage and the change shows on the deals in it', async () => {
  const tm = await team();
  const manager = tm.ws.token('MANAGER');
  ok(await gql(t.url, manager, UpdateStageDocument, { id: tm.open[0].id, input: { name: 'Discovery' } }));
  expect((await readDeal(t, manager, tm.theirs.id)).stage.name).toBe('Discovery');
});
