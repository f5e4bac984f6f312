import { CreateLeadDocument, DealListFastPathDocument, DealListGeneralPathDocument } from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { positionsOnly } from '../helpers/cursors';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { signIn } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  // Over HTTP a variable `first` is priced as the largest page; these lists are small.
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

/** One pipeline, so the workspace's list and the pipeline's list hold the same deals. */
async function workspaceWithDeals() {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  await signIn(t, ws.token('REP', 'rep-1'));
  const pipeline = await createPipeline(t.url, admin, 2);
  const values = [300, 125.75, 990, 50, 640];
  for (const [i, value] of values.entries()) {
    const lead = i % 2 === 0 ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, company: `Co ${i}`, source: 'EVENT' } })).createLead : null;
    await createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: pipeline.stages[i % 2].id, title: `Deal ${i}`, value, ownerId: i === 3 ? undefined : 'rep-1', leadId: lead?.id });
  }
  return { admin, pipeline };
}

test('the first page of the deals list reads the same on the fast path, in one statement', async () => {
  const { admin } = await workspaceWithDeals();
  const variables = { first: 3, orderBy: [{ field: 'VALUE' as const, direction: 'DESC' as const }], filter: { status: 'OPEN' as const } };
  await signIn(t, admin);
  t.statements.length = 0;
  const fast = ok(await gql(t.url, admin, DealListFastPathDocument, variables)).deals;
  expect(t.statements).toHaveLength(1);
  const general = ok(await gql(t.url, admin, DealListGeneralPathDocument, variables)).pipelines[0].deals;

  expect(positionsOnly(fast)).toEqual(positionsOnly(general));
  expect(fast.totalCount).toBe(5);
  expect(fast.pageInfo.hasNextPage).toBe(true);
  expect(fast.nodes.map((d) => [d.title, d.value, d.owner?.id ?? null, d.lead?.company ?? null])).toEqual([
    ['Deal 2', 990, 'rep-1', 'Co 2'], ['Deal 4', 640, 'rep-1', 'Co 4'], ['Deal 0', 300, 'rep-1', 'Co 0'],
  ]);
});

test('every deal, unowned and without a lead too, matches the general path', async () => {
  const { admin } = await workspaceWithDeals();
  const fast = ok(await gql(t.url, admin, DealListFastPathDocument, { first: 10 })).deals;
  const general = ok(await gql(t.url, admin, DealListGeneralPathDocument, { first: 10 })).pipelines[0].deals;
  expect(positionsOnly(fast)).toEqual(positionsOnly(general));
  expect(fast.nodes.map((d) => d.title)).toEqual(['Deal 0', 'Deal 1', 'Deal 2', 'Deal 3', 'Deal 4']);
  expect(fast.nodes[3].owner).toBeNull();
  expect(fast.pageInfo.hasNextPage).toBe(false);
});
