import { BoardHealthDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** A board of `open` OPEN stages with `perStage` deals each, half of them idle for a year. */
async function board(open: number, perStage: number) {
  const admin = newWorkspace().token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, open);
  const stages = pipeline.stages.filter((s) => s.kind === 'OPEN');
  await Promise.all(stages.map(async (stage) => {
    for (let i = 0; i < perStage; i++) {
      const deal = await createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: stage.id, title: `Deal ${i}`, value: 10 * (i + 1) });
      if (i % 2 === 0) await sql("UPDATE deals SET stage_entered_at = now() - interval '365 days' WHERE id = $1", [deal.id]);
    }
  }));
  return { admin, pipeline };
}

async function statements(admin: string, pipelineId: string) {
  await gql(t.url, admin, BoardHealthDocument, { id: pipelineId, first: 20 }); // warm the identity cache
  t.statements.length = 0;
  const data = ok(await gql(t.url, admin, BoardHealthDocument, { id: pipelineId, first: 20 }));
  return { data, sent: [...t.statements] };
}

test("a board of 160 deals asking for every deal's health costs the statements of a board of 2", async () => {
  const small = await board(2, 1);
  const large = await board(8, 20);
  const few = await statements(small.admin, small.pipeline.id);
  const many = await statements(large.admin, large.pipeline.id);

  const deals = many.data.pipeline!.stages.flatMap((s) => s.deals.nodes);
  expect(deals).toHaveLength(160);
  expect(deals.filter((d) => d.health.daysInStage > 364)).toHaveLength(80);
  expect(deals.every((d) => d.health.reasons.includes('NO_CLOSE_DATE'))).toBe(true);
  expect(many.sent.length).toBe(few.sent.length);
  // One statement reads the health of every deal on the board (the board's own, answered by PostgreSQL).
  expect(many.sent.filter((s) => /now\(\) - \w+\.stage_entered_at/.test(s))).toHaveLength(1);
});

