import { CreateLeadDocument } from '../generated/graphql';
import { createDeal } from '../factories/pipeline.factory';
import { sql } from '../helpers/database';
import { errorCodes, gql, GraphQLResult, ok, untyped } from '../helpers/graphql';
import { buildsAnswer, newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { newBoard, signIn } from '../factories/workspace.factory';

/**
 * Board queries that PostgreSQL answers whole (features/pipelines/board.answer.ts) must answer
 * exactly what graphql-js answers for the same fields. The general path is the same selection
 * under `pipelines`, which this path never takes.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

type Data = Record<string, any>;
const run = (token: string, text: string, variables: Record<string, unknown> = {}) => gql(t.url, token, untyped(text), variables);

async function board() {
  const { ws, admin, pipeline } = await newBoard(t, 3);
  await signIn(t, ws.token('REP', 'rep-1'));
  for (const [i, value] of [250.5, 1000, 75.25, 0.1, 12345678.99].entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead "${i}" ü`, company: i ? `Co ${i}` : null, source: 'REFERRAL' } })).createLead
      : null;
    await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: pipeline.stages[i < 3 ? 0 : 1].id, title: `Deal ${i} \\ "quoted"`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T10:20:30.456Z' : undefined,
    });
  }
  // Microseconds: GraphQL shows milliseconds, cut as node-postgres cuts them.
  await sql(`UPDATE deals SET created_at = created_at + interval '999 microseconds' WHERE workspace_id = $1 AND value = 0.1`, [ws.id]);
  await sql(`UPDATE deals SET deleted_at = now() WHERE workspace_id = $1 AND value = 1000`, [ws.id]);
  return { admin, pipeline };
}

const SELECTION = `id name createdAt __typename
  columns: stages { id name position kind probability rottingAfterDays
    deals(first: $first, orderBy: $orderBy, filter: $filter) { totalCount __typename
      nodes { id title value status version createdAt updatedAt stageEnteredAt closedAt lastActivityAt expectedCloseDate lostReason
        owner { id name email role __typename } lead { id name company email source status score createdAt } } } }`;
const VARIABLES = '$first: Int, $orderBy: [DealOrder!], $filter: DealFilter';

/** The answer of `pipeline(id)` and the statements it took, beside the general path's. */
async function bothPaths(token: string, id: string, variables: Record<string, unknown>) {
  t.statements.length = 0;
  const fast = ok(await run(token, `query ($id: ID!, ${VARIABLES}) { board: pipeline(id: $id) { ${SELECTION} } }`, { id, ...variables }));
  const statements = [...t.statements];
  const general = ok(await run(token, `query (${VARIABLES}) { pipelines { ${SELECTION} } }`, variables));
  return { fast: fast.board, general: general.pipelines[0], statements };
}

test.each([
  [{ first: 20 }],
  [{ first: 1, orderBy: [{ field: 'VALUE', direction: 'DESC' }] }],
  [{ first: 0 }],
  [{ first: 5, filter: { ownerId: 'rep-1', valueMin: 1 }, orderBy: [{ field: 'EXPECTED_CLOSE_DATE', direction: 'ASC' }] }],
])('PostgreSQL answers the board exactly as graphql-js does, in one statement (%j)', async (variables) => {
  const { admin, pipeline } = await board();
  const { fast, general, statements } = await bothPaths(admin, pipeline.id, variables);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
  expect(statements).toHaveLength(1);
  expect(buildsAnswer(statements[0])).toBe(true);
});

test('the answer carries what the general path shows: money, dates, people, deleted deals left out', async () => {
  const { admin, pipeline } = await board();
  const { fast } = await bothPaths(admin, pipeline.id, { first: 20 });
  const [first, second] = fast.columns;
  expect(first.deals.totalCount).toBe(2);
  expect(first.deals.nodes.map((d: Data) => [d.value, d.owner?.id ?? null, d.lead?.company ?? null])).toEqual([
    [250.5, 'rep-1', null], [75.25, 'rep-1', 'Co 2'],
  ]);
  expect(first.deals.nodes[1].expectedCloseDate).toBe('2027-03-01T10:20:30.456Z');
  expect(second.deals.nodes.map((d: Data) => d.value)).toEqual([0.1, 12345678.99]);
  expect(fast.columns.at(-1).deals).toEqual({ totalCount: 0, __typename: 'DealConnection', nodes: [] });
});

test('a fragment spelling is answered by the statement too, with the plain spelling\'s result', async () => {
  const { admin, pipeline } = await board();
  const fragment = `query ($id: ID!) { pipeline(id: $id) { ...B } } fragment B on Pipeline { id stages { deals(first: 3) { nodes { id title } } } }`;
  const plain = `query ($id: ID!) { pipeline(id: $id) { id stages { deals(first: 3) { nodes { id title } } } } }`;
  const typenameOnly = `query ($id: ID!) { pipeline(id: $id) { stages { deals(first: 3) { __typename } } } }`;
  expect(ok(await run(admin, typenameOnly, { id: pipeline.id })).pipeline.stages[0].deals).toEqual({ __typename: 'DealConnection' });
  t.statements.length = 0;
  const viaFragment = ok(await run(admin, fragment, { id: pipeline.id }));
  expect(t.statements.some(buildsAnswer)).toBe(true);
  expect(ok(await run(admin, plain, { id: pipeline.id }))).toEqual(viaFragment);
});

test('missing pipelines, bad arguments and missing tokens are reported by the general path', async () => {
  const { admin, pipeline } = await board();
  const query = `query ($id: ID!, $first: Int) { pipeline(id: $id) { id stages { deals(first: $first) { totalCount } } } }`;
  expect(errorCodes(await run(admin, query, { id: '00000000-0000-4000-8000-000000000000', first: 2 }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await run(newWorkspace().token('ADMIN'), query, { id: pipeline.id, first: 2 }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await run(admin, query, { id: 'not-a-uuid', first: 2 }))).toEqual(['BAD_USER_INPUT']);
  const tooMany = await run(admin, query, { id: pipeline.id, first: 501 });
  expect(errorCodes(tooMany)).toContain('BAD_USER_INPUT');
  expect(tooMany.errors![0].path).toEqual(['pipeline', 'stages', 0, 'deals']);
  const anonymous = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables: { id: pipeline.id, first: 2 } }) });
  expect(errorCodes(await anonymous.json() as GraphQLResult<unknown>)).toEqual(['UNAUTHENTICATED']);
});
