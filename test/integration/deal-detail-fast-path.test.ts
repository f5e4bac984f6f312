import {
  DealDetailFastPathDocument, DealDetailGeneralPathDocument, DeleteDealDocument, LoseDealDocument, MeDocument, MoveDealDocument,
  WinDealDocument,
} from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** Deals with a history: one moved forward and back by a rep, one won, one lost, one untouched and unowned. */
async function dealsWithHistory() {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const rep = ws.token('REP', 'rep-1');
  await gql(t.url, rep, MeDocument);
  const pipeline = await createPipeline(t.url, admin, 3);
  const [first, second, third] = pipeline.stages;
  const deal = async (title: string, ownerId?: string) =>
    createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: first.id, title, value: 1200.5, ownerId });
  const moved = await deal('Moved', 'rep-1');
  ok(await gql(t.url, rep, MoveDealDocument, { id: moved.id, stageId: third.id }));
  ok(await gql(t.url, rep, MoveDealDocument, { id: moved.id, stageId: second.id }));
  const won = await deal('Won', 'rep-1');
  ok(await gql(t.url, admin, WinDealDocument, { id: won.id }));
  const lost = await deal('Lost');
  ok(await gql(t.url, admin, LoseDealDocument, { id: lost.id, reason: 'Budget' }));
  const untouched = await deal('Untouched');
  return { ws, admin, pipeline, deals: { moved, won, lost, untouched }, stages: { first, second, third } };
}

test('each deal reads the same on the fast path as in the general list, in one statement', async () => {
  const { admin, pipeline, deals, stages } = await dealsWithHistory();
  const general = ok(await gql(t.url, admin, DealDetailGeneralPathDocument, { pipelineId: pipeline.id })).deals.nodes;
  expect(general).toHaveLength(4);

  for (const expected of general) {
    t.statements.length = 0;
    const fast = ok(await gql(t.url, admin, DealDetailFastPathDocument, { id: expected.id })).deal;
    expect(t.statements).toHaveLength(1);
    expect(fast).toEqual(expected);
  }

  const moved = ok(await gql(t.url, admin, DealDetailFastPathDocument, { id: deals.moved.id })).deal!;
  expect(moved.history.map((h) => [h.fromStage?.name ?? null, h.toStage.name])).toEqual([
    [null, stages.first.name], [stages.first.name, stages.third.name], [stages.third.name, stages.second.name],
  ]);
  expect(moved.history.map((h) => h.changedBy?.id)).toEqual(['admin-user', 'rep-1', 'rep-1']);
  expect(moved.stage.id).toBe(stages.second.id);
  expect(moved.owner?.id).toBe('rep-1');
  const lost = ok(await gql(t.url, admin, DealDetailFastPathDocument, { id: deals.lost.id })).deal!;
  expect([lost.status, lost.lostReason, lost.stage.kind, lost.owner]).toEqual(['LOST', 'Budget', 'LOST', null]);
});

test("a deleted deal and another workspace's deal answer NOT_FOUND, like a missing one", async () => {
  const { admin, deals } = await dealsWithHistory();
  ok(await gql(t.url, admin, DeleteDealDocument, { id: deals.untouched.id }));
  expect(errorCodes(await gql(t.url, admin, DealDetailFastPathDocument, { id: deals.untouched.id }))).toEqual(['NOT_FOUND']);
  const stranger = newWorkspace().token('ADMIN');
  expect(errorCodes(await gql(t.url, stranger, DealDetailFastPathDocument, { id: deals.moved.id }))).toEqual(['NOT_FOUND']);
});
