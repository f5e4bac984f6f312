import { CreateLeadDocument } from '../generated/graphql';
import { createDeal } from '../factories/pipeline.factory';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok, untyped } from '../helpers/graphql';
import { buildsAnswer, newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { newBoard, signIn } from '../factories/workspace.factory';

/**
 * `deal(id)` queries that PostgreSQL answers whole (features/deals/deal.answer.ts) must
 * answer exactly what graphql-js answers. The same fields through a fragment spread, which
 * that path leaves to graphql-js, give the general path's answer.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const run = (token: string, text: string, variables: Record<string, unknown> = {}) => gql(t.url, token, untyped(text), variables);

const FIELDS = `id title value status version createdAt updatedAt stageEnteredAt closedAt lastActivityAt expectedCloseDate lostReason
  __typename owner { id name email role } lead { id name company source status } stage { id name position kind probability }
  pipeline { id name } history { id changedAt fromStage { id name } toStage { id name kind } changedBy { id name } }`;

async function dealWithHistory() {
  const { ws, admin, pipeline } = await newBoard(t, 3);
  await signIn(t, ws.token('REP', 'rep-1'));
  const lead = ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: 'Lead', company: 'Co', source: 'REFERRAL' } })).createLead;
  const deal = await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'Big "one"', value: 1234.5, ownerId: 'rep-1', leadId: lead.id });
  for (const stage of [pipeline.stages[1], pipeline.stages[2], pipeline.stages[0]]) {
    ok(await run(admin, 'mutation ($id: ID!, $stageId: ID!) { moveDeal(id: $id, stageId: $stageId) { id } }', { id: deal.id, stageId: stage.id }));
  }
  const bare = await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'Bare', value: 0 });
  return { admin, ws, deal, bare };
}

async function bothPaths(token: string, id: string) {
  t.statements.length = 0;
  const fast = await run(token, `query ($id: ID!) { deal(id: $id) { ${FIELDS} } }`, { id });
  const statements = [...t.statements];
  const general = await run(token, `query ($id: ID!) { deal(id: $id) { ...F } } fragment F on Deal { ${FIELDS} }`, { id });
  return { fast, general, statements };
}

test('PostgreSQL answers a deal with its people, stage and history exactly as graphql-js does, in one statement', async () => {
  const { admin, deal, bare } = await dealWithHistory();
  for (const id of [deal.id, bare.id]) {
    const { fast, general, statements } = await bothPaths(admin, id);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
    expect(statements).toHaveLength(1);
    expect(buildsAnswer(statements[0])).toBe(true);
  }
  const { fast } = await bothPaths(admin, deal.id);
  expect(fast.data!.deal.history).toHaveLength(4);
  expect(fast.data!.deal.history[0].fromStage).toBeNull();
  expect(fast.data!.deal.owner.id).toBe('rep-1');
});

test('deleted, foreign and malformed ids are answered by the general path', async () => {
  const { admin, deal, bare, ws } = await dealWithHistory();
  await sql('UPDATE deals SET deleted_at = now() WHERE id = $1 AND workspace_id = $2', [bare.id, ws.id]);
  const query = `query ($id: ID!) { deal(id: $id) { id title } }`;
  expect(errorCodes(await run(admin, query, { id: bare.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await run(newWorkspace().token('ADMIN'), query, { id: deal.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await run(admin, query, { id: 'nope' }))).toEqual(['BAD_USER_INPUT']);
});
