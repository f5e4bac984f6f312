import {
  CreateDealDocument, CreateLeadDocument, CreatePipelineDocument, DealEventsDocument, DealsDocument, LeadsDocument, LogActivityDocument,
  MoveDealDocument, PipelineMetricsDocument, ReorderStagesDocument, SetGoalDocument,
} from '../generated/graphql';
import { gql, GraphQLResult } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { createDeal, createPipeline, stagesOf } from '../factories/pipeline.factory';
import { Board, newBoard } from '../factories/workspace.factory';

/**
 * `extensions.field` of BAD_USER_INPUT is the argument's path exactly as the client wrote it:
 * a top-level argument by its name (`stageId`, `pipelineId`), a field of an input object by
 * its path (`input.value`, `filter.ownerId`, `input.stages[0].name`), the same spelling for
 * the same argument whatever the fault.
 */
let t: TestApp;
let b: Board;
let dealId: string;
beforeAll(async () => {
  t = await startTestApp();
  b = await newBoard(t);
  dealId = (await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Target', value: 100 })).id;
});
afterAll(() => t.stop());

function fieldOf(result: GraphQLResult<unknown>): unknown {
  expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  return result.errors![0].extensions!.field;
}

const TOO_LONG = 'x'.repeat(201);

test.each<[string, string, () => Promise<GraphQLResult<unknown>>]>([
  ['moveDeal, a malformed stage id', 'stageId', () => gql(t.url, b.admin, MoveDealDocument, { id: dealId, stageId: 'not-an-id' })],
  ['moveDeal, a malformed deal id', 'id', () => gql(t.url, b.admin, MoveDealDocument, { id: 'nope', stageId: b.open[1].id })],
  ['createDeal, a negative value', 'input.value', () => gql(t.url, b.admin, CreateDealDocument, { input: { pipelineId: b.pipeline.id, title: 'N', value: -1 } })],
  ['createDeal, an empty title', 'input.title', () => gql(t.url, b.admin, CreateDealDocument, { input: { pipelineId: b.pipeline.id, title: '', value: 1 } })],
  ['createDeal, a malformed pipeline id', 'input.pipelineId', () => gql(t.url, b.admin, CreateDealDocument, { input: { pipelineId: 'p', title: 'N', value: 1 } })],
  ['createDeal, a malformed stage id', 'input.stageId', () => gql(t.url, b.admin, CreateDealDocument, {
    input: { pipelineId: b.pipeline.id, stageId: 's', title: 'N', value: 1 } })],
  ['deals, an owner id over 200 characters', 'filter.ownerId', () => gql(t.url, b.admin, DealsDocument, { filter: { ownerId: TOO_LONG } })],
  ['deals, a malformed pipeline id in the filter', 'filter.pipelineId', () => gql(t.url, b.admin, DealsDocument, { filter: { pipelineId: 'p' } })],
  ['leads, an owner id over 200 characters', 'filter.ownerId', () => gql(t.url, b.admin, LeadsDocument, { filter: { ownerId: TOO_LONG } })],
  ['createLead, an empty name', 'input.name', () => gql(t.url, b.admin, CreateLeadDocument, { input: { name: '', source: 'EVENT' } })],
  ['pipelineMetrics, a malformed pipeline id', 'pipelineId', () => gql(t.url, b.admin, PipelineMetricsDocument, { pipelineId: 'p' })],
  ['reorderStages, a malformed pipeline id', 'pipelineId', () => gql(t.url, b.admin, ReorderStagesDocument, { pipelineId: 'p', stageIds: [] })],
  ['reorderStages, WON before an OPEN stage', 'stageIds', () => gql(t.url, b.admin, ReorderStagesDocument, {
    pipelineId: b.pipeline.id, stageIds: [b.won.id, ...b.open.map((s) => s.id), b.lost.id] })],
  ['createPipeline, a stage with an empty name', 'input.stages[0].name', () => gql(t.url, b.admin, CreatePipelineDocument, {
    input: { name: 'P', stages: stagesOf(1).map((s, i) => (i === 0 ? { ...s, name: '' } : s)) } })],
  ['setGoal, a target of 0', 'input.target', () => gql(t.url, b.admin, SetGoalDocument, {
    input: { metric: 'WON_VALUE', target: 0, from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' } })],
  ['logActivity, a malformed deal id', 'input.dealId', () => gql(t.url, b.admin, LogActivityDocument, { input: { type: 'CALL', subject: 'S', dealId: 'd' } })],
])('%s: extensions.field is %s', async (_case, field, attempt) => {
  expect(fieldOf(await attempt())).toBe(field);
});

test('moveDeal to a stage of another pipeline names stageId, as a malformed stage id does', async () => {
  const other = await createPipeline(t.url, b.admin, 2, 'Other');
  const result = await gql(t.url, b.admin, MoveDealDocument, { id: dealId, stageId: other.stages[0].id });
  expect(fieldOf(result)).toBe('stageId');
});

test('a subscription with a malformed pipeline id names pipelineId over the WebSocket too', async () => {
  const socket = wsClient(t.url, b.admin);
  try {
    const events = socket.subscribe(DealEventsDocument, { pipelineId: 'p' });
    await events.ended();
    expect(events.errors.flat().map((e) => [e.extensions?.code, (e.extensions as { field?: string } | undefined)?.field]))
      .toEqual([['BAD_USER_INPUT', 'pipelineId']]);
  } finally {
    await socket.dispose();
  }
});
