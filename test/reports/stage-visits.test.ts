import {
  CreateDealDocument, DeleteDealDocument, LoseDealDocument, MoveDealDocument, PipelineMetricsDocument, ReopenDealDocument, WinDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { newBoard } from '../factories/workspace.factory';

/**
 * stage_visits is kept by triggers: in place when the API appends a change, by a rebuild from
 * the ledger otherwise. Both must give the same rows, and the metrics must read them live.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const visitsOf = (workspaceId: string) => sql(
  `SELECT id, deal_id, stage_id, from_stage_id, entered_at, exited_at, previous_entry_at, advanced, live
   FROM stage_visits WHERE workspace_id = $1 ORDER BY deal_id, entered_at, id`, [workspaceId]);

test('visits kept in place by API writes equal a rebuild from the ledger, and feed the live metrics', async () => {
  const { ws, admin, pipeline, open: [s1, s2, s3] } = await newBoard(t, 3);
  const create = async (value: number) =>
    ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, stageId: s1.id, title: 'V', value } })).createDeal.id;
  const move = async (id: string, stageId: string) => ok(await gql(t.url, admin, MoveDealDocument, { id, stageId }));

  const a = await create(100); // S1 → S2 → S1 → S3 → lost → reopened (S3) → won
  await move(a, s2.id);
  await move(a, s1.id);
  await move(a, s3.id);
  ok(await gql(t.url, admin, LoseDealDocument, { id: a, reason: 'Price' }));
  ok(await gql(t.url, admin, ReopenDealDocument, { id: a }));
  ok(await gql(t.url, admin, WinDealDocument, { id: a }));
  const b = await create(200); // S1 → S2 → lost
  await move(b, s2.id);
  ok(await gql(t.url, admin, LoseDealDocument, { id: b, reason: 'Timing' }));
  const c = await create(300); // S1, then deleted
  ok(await gql(t.url, admin, DeleteDealDocument, { id: c }));
  await create(400); // S1, open

  const kept = await visitsOf(ws.id);
  expect(kept).toHaveLength(7 + 3 + 1 + 1);
  expect(kept.filter((v) => v.deal_id === c).map((v) => v.live)).toEqual([false]);
  // a no-op UPDATE of the ledger makes the triggers rebuild every visit of these deals
  await sql('UPDATE stage_changes SET changed_at = changed_at WHERE workspace_id = $1', [ws.id]);
  expect(await visitsOf(ws.id)).toEqual(kept);

  const m = ok(await gql(t.url, ws.token('ANALYST'), PipelineMetricsDocument, { pipelineId: pipeline.id })).pipelineMetrics;
  const [m1, m2, m3, won, lost] = m.stages;
  expect(m).toMatchObject({ openDealCount: 1, openValue: 400, wonCount: 1, lostCount: 1, wonValue: 100, winRate: 0.5 });
  // S1 entered by a, b, d (c is deleted): a and b went on
  expect(m1).toMatchObject({ conversionRate: 2 / 3, lostCount: 0, dealCount: 1 });
  // S2 entered by a and b: a went on to S3 later, b was lost from S2
  expect(m2).toMatchObject({ conversionRate: 0.5, lostCount: 1 });
  // S3 entered twice by a (reopened there), counted once; it was won
  expect(m3).toMatchObject({ conversionRate: 1, lostCount: 0 });
  expect([won.conversionRate, lost.conversionRate]).toEqual([null, null]);
  // every visit here lasted a moment: a mean exists and is tiny
  for (const s of [m1, m2, m3, lost]) expect(s.averageDaysInStage).toBeGreaterThanOrEqual(0);
  for (const s of [m1, m2, m3, lost]) expect(s.averageDaysInStage).toBeLessThan(0.01);
  expect(won.averageDaysInStage).toBeNull();
});
