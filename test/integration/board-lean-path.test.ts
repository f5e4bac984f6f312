import { print } from 'graphql';
import {
  CreateLeadDocument, DealListFastPathDocument, DealListGeneralPathDocument, LeanBoardGeneralPathDocument, LeanBoardWithWebhooksDocument,
} from '../generated/graphql';
import { createDeal } from '../factories/pipeline.factory';
import { positionsOnly } from '../helpers/cursors';
import { gql, ok, untyped } from '../helpers/graphql';
import { buildsAnswer, resolversAnswer, startTestApp, TestApp } from '../helpers/test-app';
import { newBoard, signIn } from '../factories/workspace.factory';

/**
 * A board or a deal list asking only for plain deal columns, the people's leaf fields, edges
 * and page info is one statement (the SQL answer, with no cursor keys when no cursor is read);
 * with a root field that statement does not answer (`me`) the primed loaders load whole rows.
 * Either way the answer is exactly what the general path answers.
 */
type Data = Record<string, any>;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

async function board() {
  const { ws, admin, pipeline } = await newBoard(t, 3);
  await signIn(t, ws.token('REP', 'rep-1'));
  for (const [i, value] of [250.5, 1000, 75.25, 0].entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, company: `Co ${i}`, source: 'REFERRAL' } })).createLead
      : null;
    await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: pipeline.stages[i < 3 ? 0 : 1].id, title: `Deal ${i}`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T00:00:00.000Z' : undefined,
    });
  }
  return { admin, pipeline };
}

/** The statements sent by `run`, and its result. */
async function recorded<T>(run: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  t.statements.length = 0;
  const result = await run();
  return { result, statements: [...t.statements] };
}

test('a board with cursors and page info is one statement and answers what the general path answers', async () => {
  const { admin, pipeline } = await board();
  const selection = `id stages { id deals(first: $first, orderBy: $orderBy) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id title value status createdAt expectedCloseDate owner { id name email role } lead { id name company createdAt } } } } }`;
  const variables = '$first: Int, $orderBy: [DealOrder!]';
  for (const args of [{ first: 20 }, { first: 2, orderBy: [{ field: 'VALUE', direction: 'DESC' }] }]) {
    const fast = await recorded(async () => ok(await gql(t.url, admin, untyped(`query ($id: ID!, ${variables}) { pipeline(id: $id) { ${selection} } }`),
      { id: pipeline.id, ...args })));
    const general = ok(await gql(t.url, admin, untyped(`query (${variables}) { pipelines { ${selection} } }`), args));
    expect(fast.result.pipeline).toEqual(general.pipelines[0]);
    expect(fast.statements).toHaveLength(1);
    expect(buildsAnswer(fast.statements[0])).toBe(true);
  }
});

test('a lean board without cursors loads no cursor keys', async () => {
  const { admin, pipeline } = await board();
  const selection = 'stages { deals(first: 20) { edges { node { id title owner { name } } } } }';
  const fast = await recorded(async () => ok(await gql(t.url, admin, untyped(`query ($id: ID!) { pipeline(id: $id) { ${selection} } }`), { id: pipeline.id })));
  const general = ok(await gql(t.url, admin, untyped(`{ pipelines { ${selection} } }`)));
  expect(fast.result.pipeline).toEqual(general.pipelines[0]);
  expect(fast.statements[0]).not.toContain('__k0');
  const titles = fast.result.pipeline.stages[0].deals.edges.map((e: Data) => e.node.title);
  expect(titles).toEqual(['Deal 0', 'Deal 1', 'Deal 2']);
});

test('the resolvers, with another root field beside the board, load whole rows, and still answer the same', async () => {
  const { admin, pipeline } = await board();
  const fast = await recorded(async () => ok(await resolversAnswer(t, admin, LeanBoardWithWebhooksDocument, { id: pipeline.id, first: 20 })));
  const general = ok(await gql(t.url, admin, LeanBoardGeneralPathDocument, { first: 20 }));
  expect(fast.result.pipeline).toEqual(general.pipelines[0]);
  expect(fast.statements.some((s) => /\bt\.\*/.test(s) && /\bu\.\*/.test(s))).toBe(true);
});

test('a deal list with cursors and another root field is one statement and pages exactly as the general path', async () => {
  const { admin } = await board();
  const variables = { first: 2, orderBy: [{ field: 'VALUE' as const, direction: 'DESC' as const }] };
  const primed = untyped(print(DealListFastPathDocument).replace(/\) \{/, ') { __typename'));
  const fast = await recorded(async () => ok(await gql(t.url, admin, primed, variables)));
  const general = ok(await gql(t.url, admin, DealListGeneralPathDocument, variables));
  expect(positionsOnly(fast.result.deals)).toEqual(positionsOnly(general.pipelines[0].deals));
  expect(fast.statements).toHaveLength(1);
  expect(buildsAnswer(fast.statements[0])).toBe(true);
  // Positions included (compared above); each list's cursors are its own.
  expect(fast.result.deals.nodes.map((d: Data) => d.title)).toEqual(['Deal 1', 'Deal 0']);
});

test('a board primed without cursors beside another root field that reads the same pages gets their cursors', async () => {
  const { admin, pipeline } = await board();
  // `me` is not answered in SQL: the resolvers run, the board is primed, and `pipelines` loads the same stage pages.
  const text = `query ($id: ID!) { me { id } pipeline(id: $id) { stages { deals(first: 2) { nodes { id } } } }
    pipelines { stages { deals(first: 2) { edges { cursor node { id } } } } } }`;
  const both = ok(await gql(t.url, admin, untyped(text), { id: pipeline.id }));
  const alone = ok(await gql(t.url, admin, untyped('{ pipelines { stages { deals(first: 2) { edges { cursor node { id } } } } } }')));
  expect(both.pipelines).toEqual(alone.pipelines);
  expect(both.pipelines[0].stages[0].deals.edges[0].cursor).toEqual(expect.any(String));
});
