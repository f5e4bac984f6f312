import { readFileSync } from 'node:fs';
import path from 'node:path';
import { OperationDefinitionNode, parse } from 'graphql';
import { KnownOperations } from '../../src/infra/http/known-operations';
import { createDeal } from '../factories/pipeline.factory';
import { Board, newBoard } from '../factories/workspace.factory';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';

/**
 * An operation Apollo has resolved once is served again without Apollo's request pipeline
 * (infra/http/known-operations.ts). Express's route always goes through Apollo's pipeline: for
 * each request, the known operation's answer through the door must be byte for byte Apollo's,
 * with the same status and headers, and `/metrics` tells which way it went.
 */
let t: TestApp;
let board: Board;
let dealId: string;
beforeAll(async () => {
  t = await startTestApp({ CORS_ORIGINS: 'https://app.dealstream.example' });
  board = await newBoard(t);
  dealId = (await createDeal(t.url, board.admin, { title: 'Acme', value: 1200, pipelineId: board.pipeline.id })).id;
});
afterAll(() => t.stop());

const DOOR = 'application/json';
const EXPRESS = 'application/json; profile=express';

interface Answer { status: number; text: string; headers: Headers }

async function post(contentType: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const response = await fetch(t.url, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function visible({ status, text, headers }: Answer) {
  return {
    status, text,
    contentType: headers.get('content-type'),
    retryAfter: headers.get('retry-after'),
    allowOrigin: headers.get('access-control-allow-origin'),
    vary: headers.get('vary'),
  };
}

async function knownCount(): Promise<number> {
  return (await t.app.observability.metrics.knownOperations.get()).values[0]?.value ?? 0;
}

/**
 * Sends `body` through the door twice (the first teaches Apollo's answer, if it is valid), then
 * through express; the door's second answer must equal express's and be served as known or not.
 */
async function expectAlike(body: unknown, headers: Record<string, string>, servedAsKnown: boolean): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  await post(DOOR, text, headers);
  const before = await knownCount();
  const door = await post(DOOR, text, headers);
  const served = (await knownCount()) - before;
  const apollo = await post(EXPRESS, text, headers);
  expect(visible(door)).toEqual(visible(apollo));
  expect(served).toBe(servedAsKnown ? 1 : 0);
  return door;
}

const admin = () => ({ authorization: `Bearer ${board.admin}` });
const CLIENT_BOARD = readFileSync(path.join(__dirname, '../../client/operations/board.graphql'), 'utf8');

test('queries in every spelling are served as known, byte for byte as Apollo answers them', async () => {
  expect((await expectAlike({ query: '{ __typename }' }, admin(), true)).text).toBe('{"data":{"__typename":"Query"}}\n');
  const pipelines = await expectAlike({ query: CLIENT_BOARD, operationName: 'Pipelines' }, admin(), true);
  expect(JSON.parse(pipelines.text).data.pipelines).toEqual([{ id: board.pipeline.id, name: 'Sales' }]);
  const columns = `
    fragment Card on Deal { id title value owner { name } stage { ... on Stage { name } } }
    query Columns($id: ID!, $first: Int = 5, $withCount: Boolean!, $skipCards: Boolean = false) {
      p: pipeline(id: $id) {
        __typename name
        stages { name deals(first: $first) { total: totalCount @include(if: $withCount) nodes @skip(if: $skipCards) { ...Card } } }
      }
      me { role }
    }`;
  const answer = await expectAlike({ query: columns, variables: { id: board.pipeline.id, withCount: true } }, admin(), true);
  expect(JSON.parse(answer.text).data.p.stages[0].deals).toEqual({ total: 1, nodes: [expect.objectContaining({ id: dealId, title: 'Acme' })] });
  await expectAlike({ query: columns, variables: { id: board.pipeline.id, withCount: false, skipCards: true } }, admin(), true);
  await expectAlike({ query: 'query Deal($id: ID!) { deal(id: $id) { id title history { toStage { name } } } }', variables: { id: dealId } }, admin(), true);
  await expectAlike({ query: '{ __schema { queryType { name } } }' }, admin(), true);
  await expectAlike({ query: '{ __typename }' }, { ...admin(), accept: 'application/graphql-response+json' }, true);
  await expectAlike({ query: '{ __typename }' }, { ...admin(), origin: 'https://app.dealstream.example' }, true);
});

test('errors are formatted, coded and given the status Apollo gives them', async () => {
  const deal = 'query Deal($id: ID!) { deal(id: $id) { id title } }';
  const missing = await expectAlike({ query: deal, variables: { id: '00000000-0000-4000-8000-000000000000' } }, admin(), true);
  expect(JSON.parse(missing.text).errors[0].extensions.code).toBe('NOT_FOUND');
  // Another workspace asks for this deal by its id: not found, as any id it does not own.
  const stranger = { authorization: `Bearer ${newWorkspace().token('ADMIN')}` };
  expect(JSON.parse((await expectAlike({ query: deal, variables: { id: dealId } }, stranger, true)).text).errors[0].extensions.code).toBe('NOT_FOUND');
  const anonymous = await expectAlike({ query: '{ me { id } }' }, {}, true);
  expect(JSON.parse(anonymous.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const move = 'mutation Move($id: ID!, $stageId: ID!) { moveDeal(id: $id, stageId: $stageId, expectedVersion: 99) { id version } }';
  const conflict = await expectAlike({ query: move, variables: { id: dealId, stageId: board.open[1].id } }, admin(), true);
  expect(JSON.parse(conflict.text).errors[0].extensions.code).toBe('CONFLICT');
});

test('what Apollo must answer itself is left to Apollo', async () => {
  // Variables that do not coerce: graphql-js refuses before any resolver runs.
  const badVariables = await expectAlike({ query: 'query Deal($id: ID!) { deal(id: $id) { id } }', variables: { id: { no: 1 } } }, admin(), false);
  expect(JSON.parse(badVariables.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  expect((await expectAlike({ query: '{ __typename }' }, { ...admin(), accept: 'text/html' }, false)).status).toBe(406);
  await expectAlike({ query: '{ __typename }', extensions: {} }, admin(), false);
  await expectAlike({ query: '{ __typename }' }, { ...admin(), 'idempotency-key': 'key-0001' }, false);
  await expectAlike({ query: CLIENT_BOARD, operationName: 'NoSuchOperation' }, admin(), false);
  await expectAlike({ query: '{ __typename }', operationName: '' }, admin(), false);
  await expectAlike({ query: '{ nope }' }, admin(), false);
  await expectAlike({ query: '{ __typename }', variables: [1] }, admin(), false);
});

test('known documents are bounded by their text: the earliest learned are forgotten first', async () => {
  const lane = new KnownOperations({
    schema: t.app.schema, capacity: 130, answer: async () => null, execute: async () => ({ data: {} }), formatError: (e) => e, finished: () => undefined,
  });
  const hooks = (await lane.plugin.requestDidStart!({} as never))!;
  const learn = async (query: string) => {
    const document = parse(query);
    const operation = document.definitions[0] as OperationDefinitionNode;
    await hooks.didResolveOperation!({ source: query, document, operation, request: {} } as never);
  };
  const first = `{ a: __typename ${' '.repeat(40)}}`;
  const second = `{ b: __typename ${' '.repeat(40)}}`;
  await learn(first);
  await learn(second);
  expect([lane.match({ query: first }, {}), lane.match({ query: second }, {})].map(Boolean)).toEqual([true, true]);
  await learn(`{ c: __typename ${' '.repeat(40)}}`);
  expect([lane.match({ query: first }, {}), lane.match({ query: second }, {})].map(Boolean)).toEqual([false, true]);
  // A document larger than the whole capacity is never kept.
  await learn(`{ d: __typename ${' '.repeat(200)}}`);
  expect(lane.match({ query: `{ d: __typename ${' '.repeat(200)}}` }, {})).toBeUndefined();
});

test('a known operation counts in the request metrics as any other', async () => {
  const count = async () => {
    const metric = await t.app.observability.metrics.requestDuration.get();
    return metric.values.find((v) => v.metricName?.endsWith('_count') && v.labels.operation === 'CountedOnce' && v.labels.outcome === 'ok')?.value ?? 0;
  };
  const body = JSON.stringify({ query: 'query CountedOnce { me { role } }' });
  await post(DOOR, body, admin());
  const before = { requests: await count(), known: await knownCount() };
  await post(DOOR, body, admin());
  expect({ requests: await count(), known: await knownCount() }).toEqual({ requests: before.requests + 1, known: before.known + 1 });
});
