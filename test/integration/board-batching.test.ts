import { BoardDocument, CreateLeadDocument, MeDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** A pipeline with `open` OPEN stages and three owned deals with a lead in every stage. */
async function seededBoard(open: number) {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const rep = ws.token('REP', 'rep-1');
  await gql(t.url, rep, MeDocument); // provisions rep-1
  const pipeline = await createPipeline(t.url, admin, open);
  for (const stage of pipeline.stages.filter((s) => s.kind === 'OPEN')) {
    for (let i = 0; i < 3; i++) {
      const lead = ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, source: 'INBOUND' } })).createLead;
      await createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: stage.id, title: `Deal ${i}`, value: 100 * (i + 1), ownerId: 'rep-1', leadId: lead.id });
    }
  }
  return { admin, pipeline };
}

async function statementsForBoard(open: number) {
  const { admin, pipeline } = await seededBoard(open);
  await gql(t.url, admin, BoardDocument, { id: pipeline.id, first: 20 }); // warm the identity cache
  t.statements.length = 0;
  const data = ok(await gql(t.url, admin, BoardDocument, { id: pipeline.id, first: 20 }));
  const count = t.statements.length;
  return { data, count };
}

test('the board query costs the same few statements for 2 stages as for 8', async () => {
  const small = await statementsForBoard(2);
  const large = await statementsForBoard(8);

  expect(small.data.pipeline!.stages).toHaveLength(4);
  expect(large.data.pipeline!.stages).toHaveLength(10);
  const firstColumn = large.data.pipeline!.stages[0].deals;
  expect(firstColumn.totalCount).toBe(3);
  expect(firstColumn.nodes.map((d) => d.owner?.id)).toEqual(['rep-1', 'rep-1', 'rep-1']);
  expect(firstColumn.nodes.every((d) => d.lead !== null)).toBe(true);

  // One statement: the board fast path (board-fast-path.test.ts checks it answers like the general path).
  expect(small.count).toBe(1);
  expect(large.count).toBe(small.count);
});
