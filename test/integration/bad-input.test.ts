import {
  BoardDocument, CreateDealDocument, CreateLeadDocument, DealDocument, DealsDocument, LeadsDocument, LoseDealDocument,
  MoveDealDocument, UpdateDealDocument,
} from '../generated/graphql';
import { errorCodes, gql, GraphQLResult, ok } from '../helpers/graphql';
import { postRaw } from '../helpers/raw-http';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { Board, newBoard, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
let b: Board;
let dealId: string;
beforeAll(async () => {
  t = await startTestApp();
  b = await newBoard(t);
  dealId = (await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Target', value: 100 })).id;
});
afterAll(() => t.stop());

/** Runs `attempt`, expects `code` (every error, at least one), and checks nothing of the workspace changed. */
async function refused(code: string, attempt: () => Promise<GraphQLResult<unknown>>) {
  const before = await snapshot(b.ws.id);
  const result = await attempt();
  const codes = errorCodes(result);
  expect(codes.length).toBeGreaterThan(0);
  expect(new Set(codes)).toEqual(new Set([code]));
  expect(await snapshot(b.ws.id)).toEqual(before);
  return result;
}

const create = (input: object) => gql(t.url, b.admin, CreateDealDocument, { input: { pipelineId: b.pipeline.id, title: 'New', value: 1, ...input } });
const update = (input: object, expectedVersion?: number) => gql(t.url, b.admin, UpdateDealDocument, { id: dealId, input, expectedVersion });

test.each<[string, object]>([
  ['a negative value', { value: -0.01 }],
  ['a value beyond numeric(14,2)', { value: 1e12 }],
  ['an empty title', { title: '' }],
  ['a blank title', { title: ' \t ' }],
  ['a title of 201 characters', { title: 'x'.repeat(201) }],
  ['a title with a NUL character', { title: 'nul\u0000here' }],
  ['a malformed pipeline id', { pipelineId: 'pipeline-1' }],
  ['a malformed stage id', { stageId: '1234' }],
  ['a malformed lead id', { leadId: "'; DROP TABLE deals; --" }],
  ['a date that is not a date', { expectedCloseDate: 'next tuesday' }],
])('createDeal with %s: BAD_USER_INPUT, nothing written', async (_, input) => {
  await refused('BAD_USER_INPUT', () => create(input));
});

test.each<[string, object]>([
  ['a pipeline', { pipelineId: UNKNOWN_ID }],
  ['a stage', { stageId: UNKNOWN_ID }],
  ['a lead', { leadId: UNKNOWN_ID }],
  ['an owner', { ownerId: 'ghost' }],
])('createDeal naming an unknown %s: NOT_FOUND, nothing written', async (_, input) => {
  await refused('NOT_FOUND', () => create(input));
});

test('updateDeal: bad values, malformed and unknown ids, stale versions', async () => {
  await refused('BAD_USER_INPUT', () => update({ value: -5 }));
  await refused('BAD_USER_INPUT', () => update({ value: 1_000_000_000_000 }));
  await refused('BAD_USER_INPUT', () => update({ title: 'y'.repeat(201) }));
  await refused('BAD_USER_INPUT', () => gql(t.url, b.admin, UpdateDealDocument, { id: 'abc', input: { value: 1 } }));
  await refused('NOT_FOUND', () => gql(t.url, b.admin, UpdateDealDocument, { id: UNKNOWN_ID, input: { value: 1 } }));
  const conflict = await refused('CONFLICT', () => update({ value: 1 }, 7));
  expect(conflict.errors![0].message).toMatch(/version 1/);
  // The largest amount the column holds goes through exactly.
  expect(ok(await update({ value: 999_999_999_999.99 }, 1)).updateDeal).toMatchObject({ value: 999_999_999_999.99, version: 2 });
  ok(await update({ value: 100 }));
});

test('non-finite numbers never reach a service', async () => {
  const body = (value: string) => `{"query":"mutation($v:Float!){updateDeal(id:\\"${dealId}\\",input:{value:$v}){id}}","variables":{"v":${value}}}`;
  await refused('BAD_USER_INPUT', () => postRaw(t.url, b.admin, body('1e999')));
  await refused('BAD_USER_INPUT', () => postRaw(t.url, b.admin, body('-1e999')));
  await refused('BAD_USER_INPUT', () => postRaw(t.url, b.admin, body('"NaN"')));
  const filter = `{"query":"query($v:Float){deals(filter:{valueMin:$v}){totalCount}}","variables":{"v":1e999}}`;
  expect(errorCodes(await postRaw(t.url, b.admin, filter))).toEqual(['BAD_USER_INPUT']);
});

test('a reason that is missing, blank or over 500 characters: BAD_USER_INPUT', async () => {
  await refused('BAD_USER_INPUT', () => gql(t.url, b.admin, LoseDealDocument, { id: dealId, reason: '' }));
  await refused('BAD_USER_INPUT', () => gql(t.url, b.admin, LoseDealDocument, { id: dealId, reason: 'r'.repeat(501) }));
  const missing = `{"query":"mutation{loseDeal(id:\\"${dealId}\\"){id}}"}`;
  await refused('BAD_USER_INPUT', () => postRaw(t.url, b.admin, missing));
});

test('lead input: score out of range or not an Int, NUL characters', async () => {
  const lead = (input: object) => gql(t.url, b.admin, CreateLeadDocument, { input: { name: 'L', source: 'INBOUND', ...input } });
  await refused('BAD_USER_INPUT', () => lead({ score: 1001 }));
  await refused('BAD_USER_INPUT', () => lead({ score: 2 ** 31 }));
  await refused('BAD_USER_INPUT', () => lead({ score: 1.5 }));
  await refused('BAD_USER_INPUT', () => lead({ company: 'a\u0000b' }));
  await refused('BAD_USER_INPUT', () => lead({ source: 'CARRIER_PIGEON' }));
});

test('first over 500 or negative, on every connection', async () => {
  for (const first of [501, -1, 10_000]) {
    expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { first }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { first }))).toEqual(['BAD_USER_INPUT']);
    const board = await gql(t.url, b.admin, BoardDocument, { id: b.pipeline.id, first });
    expect(new Set(errorCodes(board))).toEqual(new Set(['BAD_USER_INPUT']));
  }
  expect(ok(await gql(t.url, b.admin, DealsDocument, { first: 500 })).deals.totalCount).toBe(1);
});

test('filters: malformed ids and NUL characters are BAD_USER_INPUT', async () => {
  expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { filter: { pipelineId: 'p1' } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { filter: { stageIds: [b.open[0].id, 'x'] } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { filter: { search: 'a\u0000' } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { filter: { campaign: 'a\u0000' } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { filter: { search: 'x'.repeat(201) } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { filter: { ownerId: 'a\u0000' } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, DealsDocument, { filter: { ownerId: 'a\u0000' } }))).toEqual(['BAD_USER_INPUT']);
  await refused('BAD_USER_INPUT', () => update({ ownerId: 'a\u0000' }));
});

test('ids: malformed is BAD_USER_INPUT, well-formed but unknown is NOT_FOUND', async () => {
  expect(errorCodes(await gql(t.url, b.admin, DealDocument, { id: 'deal-42' }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, DealDocument, { id: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, b.admin, DealDocument, { id: UNKNOWN_ID.toUpperCase() }))).toEqual(['NOT_FOUND']);
  expect(ok(await gql(t.url, b.admin, DealDocument, { id: dealId.toUpperCase() })).deal!.id).toBe(dealId);
  await refused('BAD_USER_INPUT', () => gql(t.url, b.admin, MoveDealDocument, { id: dealId, stageId: '' }));
});
