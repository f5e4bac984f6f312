import { PipelineSnapshotDealsByFragmentDocument, PipelineSnapshotDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard } from '../factories/workspace.factory';
import { dealWrites, mark } from './history-helpers';

// How a snapshot's deal pages are read: ranked across deal rows and history rows, each deal as it is now when asked.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

test('a snapshot reads each deal as it is now however the query asks for it: fragments, directives', async () => {
  const b = await newBoard(t);
  const { id } = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: b.open[0].id, title: 'Then', value: 10 });
  const asOf = await mark();
  await dealWrites(t, b.admin).update(id, { title: 'Now' });
  const read = async (now: boolean) => ok(await gql(t.url, b.admin, PipelineSnapshotDealsByFragmentDocument, {
    pipelineId: b.pipeline.id, asOf, now })).pipelineSnapshot.stages[0].deals.nodes;
  expect(await read(true)).toEqual([{ title: 'Then', deal: { id, title: 'Now' } }]);
  expect(await read(false)).toEqual([{ title: 'Then', deal: { id } }]);
});

test('a snapshot ranks deals of equal value by id, whether kept in the deal row or in its history', async () => {
  const b = await newBoard(t);
  const ids = [];
  for (const title of ['P', 'Q', 'R', 'S']) {
    ids.push((await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: b.open[0].id, title, value: 1000 })).id);
  }
  ids.sort();
  const asOf = await mark();
  // The first by id changes after asOf: its state then is its history row; the three others are their deal rows.
  await dealWrites(t, b.admin).update(ids[0], { value: 2 });
  const page = async (after?: string | null) => ok(await gql(t.url, b.admin, PipelineSnapshotDocument, {
    pipelineId: b.pipeline.id, asOf, first: 2, after })).pipelineSnapshot.stages[0].deals;
  const first = await page();
  const next = await page(first.pageInfo.endCursor);
  expect([first.nodes.map((n) => [n.deal.id, n.value]), first.pageInfo.hasNextPage, next.nodes.map((n) => n.deal.id), next.pageInfo.hasNextPage])
    .toEqual([[[ids[0], 1000], [ids[1], 1000]], true, [ids[2], ids[3]], false]);
});
