import { CreateLeadDocument } from '../generated/graphql';
import { createDeal } from '../factories/pipeline.factory';
import { gql, ok, untyped } from '../helpers/graphql';
import { buildsAnswer, startTestApp, TestApp } from '../helpers/test-app';
import { sql } from '../helpers/database';
import { newBoard, signIn } from '../factories/workspace.factory';
import { PlanNode, planNodes } from '../helpers/plan-nodes';

/**
 * First pages of `deals(...)` that PostgreSQL answers whole (features/deals/deal-list.answer.ts),
 * cursors included, must answer exactly what graphql-js answers; the same fields through a
 * fragment spread, which that path leaves to graphql-js, give the general answer.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

type Data = Record<string, any>;
const run = (token: string, text: string, variables: Record<string, unknown> = {}) => gql(t.url, token, untyped(text), variables);

const FIELDS = `totalCount __typename pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor node { id title value createdAt owner { id name } } } nodes { id status expectedCloseDate lead { name company } }`;
const VARIABLES = '$first: Int, $orderBy: [DealOrder!], $filter: DealFilter, $after: String';
const FAST = `query (${VARIABLES}) { list: deals(first: $first, orderBy: $orderBy, filter: $filter, after: $after) { ${FIELDS} } }`;
const GENERAL = `query (${VARIABLES}) { list: deals(first: $first, orderBy: $orderBy, filter: $filter, after: $after) { ...F } }
  fragment F on DealConnection { ${FIELDS} }`;

async function deals() {
  const { ws, admin, pipeline } = await newBoard(t, 3);
  await signIn(t, ws.token('REP', 'rep-1'));
  for (const [i, value] of [250.5, 1000, 75.25, 1000, 0.1].entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, company: `Co ${i}`, source: 'REFERRAL' } })).createLead
      : null;
    await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: pipeline.stages[i % 3].id, title: `Deal ${i} \\ "q" ü`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T10:20:30.456Z' : undefined,
    });
  }
  return { admin, pipeline };
}

test.each([
  [{}],
  [{ first: 2, orderBy: [{ field: 'VALUE', direction: 'DESC' }] }],
  [{ first: 0 }],
  [{ first: 3, orderBy: [{ field: 'TITLE', direction: 'ASC' }], filter: { status: 'OPEN' } }],
  [{ first: 2, orderBy: [{ field: 'EXPECTED_CLOSE_DATE', direction: 'DESC' }, { field: 'CREATED_AT', direction: 'ASC' }] }],
])('PostgreSQL answers the first page, cursors included, exactly as graphql-js does (%j)', async (variables) => {
  const { admin } = await deals();
  t.statements.length = 0;
  const fast = ok(await run(admin, FAST, variables));
  expect(t.statements).toHaveLength(1);
  expect(buildsAnswer(t.statements[0])).toBe(true);
  const general = ok(await run(admin, GENERAL, variables));
  expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
  // Its cursors page on, through the general path.
  if (fast.list.pageInfo.hasNextPage) {
    const next = ok(await run(admin, FAST, { ...variables, after: fast.list.pageInfo.endCursor }));
    const seen = new Set([...fast.list.nodes, ...next.list.nodes].map((d: Data) => d.id));
    expect(seen.size).toBe(fast.list.nodes.length + next.list.nodes.length);
  }
});


test('a list counted in its answer that matches no deal reads its count and no page, walked or not', async () => {
  // No deal of the fixture has a lead source of EVENT. Counted first, the list reads no page:
  // not the capped walk of the workspace's deals by value (a pipeline has no index by value),
  // nor a stage's deals walked in their order to find none.
  const { admin, pipeline } = await deals();
  const lists: [string, Record<string, unknown>][] = [
    ['a pipeline by value, along the workspace', { filter: { pipelineId: pipeline.id, leadSource: 'EVENT' }, orderBy: [{ field: 'VALUE', direction: 'DESC' }] }],
    ["a stage in its own index's order", { filter: { stageIds: [pipeline.stages[0].id], leadSource: 'EVENT' }, orderBy: [{ field: 'UPDATED_AT', direction: 'ASC' }] }],
  ];
  // Both spellings, the fields inline and through a named fragment: each statement that reads deals is explained.
  for (const [spelling, document] of [['inline', FAST], ['fragment', GENERAL]] as const) {
    for (const [name, variables] of lists) {
      const label = `${spelling}: ${name}`;
      t.sent.length = 0;
      const data = ok(await run(admin, document, { first: 20, ...variables }));
      expect([label, data.list.totalCount, data.list.nodes]).toEqual([label, 0, []]);
      const ofDeals = t.sent.filter((s) => /\bFROM deals t\b/.test(s.sql));
      expect([label, ofDeals.length > 0]).toEqual([label, true]);
      let reads = 0;
      for (const statement of ofDeals) {
        const [{ 'QUERY PLAN': [{ Plan }] }] = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement.sql}`, statement.parameters);
        reads += planNodes(Plan).filter((n) => n['Relation Name'] === 'deals' && (n['Actual Loops'] ?? 0) > 0).length;
      }
      expect([label, reads]).toEqual([label, 1]);
    }
  }
});

test("a pipeline's deals by value read pipeline and status from the walked index, however the list is spelled", async () => {
  // A pipeline has no index by value: its list walks the workspace's (deals_by_value), which
  // carries pipeline, status and lead source, and reads a deal's row only for each match.
  const { admin, pipeline } = await deals();
  const variables = { first: 2, filter: { pipelineId: pipeline.id, status: 'OPEN' }, orderBy: [{ field: 'VALUE', direction: 'DESC' }] };
  const narrowWalk = /SELECT t\.id, t\.pipeline_id, t\.status, t\.lead_source FROM deals t WHERE/;
  const answers: string[] = [];
  for (const [spelling, document] of [['inline', FAST], ['fragment', GENERAL]] as const) {
    t.sent.length = 0;
    const data = ok(await run(admin, document, variables));
    expect([spelling, t.sent.some((s) => narrowWalk.test(s.sql))]).toEqual([spelling, true]);
    expect([spelling, data.list.nodes.map((d: Data) => d.status)]).toEqual([spelling, ['OPEN', 'OPEN']]);
    answers.push(JSON.stringify(data));
  }
  expect(answers[1]).toBe(answers[0]);
  expect(JSON.parse(answers[0]).list.edges.map((e: Data) => e.node.value)).toEqual([1000, 1000]);
});
