import { CreateDealDocument, DeleteGoalDocument, GoalProgressDocument, SetGoalDocument, SetGoalInput, WinDealDocument } from '../generated/graphql';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createPipeline } from '../factories/pipeline.factory';
import { newBoard, signIn } from '../factories/workspace.factory';
import { playDeal } from '../factories/history.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const d = (day: string) => `${day}T00:00:00.000Z`;
const Q1 = { from: d('2026-01-01'), to: d('2026-04-01') };

/**
 * Deals of the first quarter of 2026 (value, owner, created, end):
 *   W1 1000 rep-1 2026-01-01 won 2026-01-11 (10 days)
 *   W2 3000 rep-2 2025-12-22 won 2026-02-01 (41 days)
 *   L1  500 rep-1 2026-02-01 lost 2026-02-15
 *   O1  200 rep-1 2026-03-01 open
 *   X  7000 rep-1 2026-01-05 won 2026-01-20, deleted
 */
test('actual, attainment and onTrack of goals over a past period, for the workspace, a pipeline and an owner', async () => {
  const { ws, admin, pipeline, open: [s1] } = await newBoard(t, 2);
  await signIn(t, ws.token('REP', 'rep-1'));
  await signIn(t, ws.token('REP', 'rep-2'));
  const play = (steps: Parameters<typeof playDeal>[3], deleted = false) => playDeal(t.url, admin, pipeline.id, steps, deleted);
  await play([{ at: d('2026-01-01'), create: { stageId: s1.id, value: 1000, ownerId: 'rep-1' } }, { at: d('2026-01-11'), win: true }]);
  await play([{ at: d('2025-12-22'), create: { stageId: s1.id, value: 3000, ownerId: 'rep-2' } }, { at: d('2026-02-01'), win: true }]);
  await play([{ at: d('2026-02-01'), create: { stageId: s1.id, value: 500, ownerId: 'rep-1' } }, { at: d('2026-02-15'), lose: 'Price' }]);
  await play([{ at: d('2026-03-01'), create: { stageId: s1.id, value: 200, ownerId: 'rep-1' } }]);
  await play([{ at: d('2026-01-05'), create: { stageId: s1.id, value: 7000, ownerId: 'rep-1' } }, { at: d('2026-01-20'), win: true }], true);
  const empty = await createPipeline(t.url, admin, 2, 'Empty');

  const manager = ws.token('MANAGER');
  const set = async (input: Omit<SetGoalInput, 'from' | 'to'>) => ok(await gql(t.url, manager, SetGoalDocument, { input: { ...Q1, ...input } })).setGoal;
  await set({ metric: 'WON_VALUE', target: 8000 });
  await set({ metric: 'WON_COUNT', target: 2 });
  await set({ metric: 'NEW_DEALS', target: 6 });
  await set({ metric: 'WIN_RATE', target: 0.8 });
  await set({ metric: 'AVERAGE_DEAL_SIZE', target: 1000 });
  await set({ metric: 'SALES_CYCLE_DAYS', target: 20 });
  const ownerGoal = await set({ metric: 'WON_VALUE', target: 2000, ownerId: 'rep-1', pipelineId: pipeline.id });
  const emptyGoal = await set({ metric: 'WIN_RATE', target: 0.5, pipelineId: empty.id });
  expect(ownerGoal).toMatchObject({ metric: 'WON_VALUE', target: 2000, from: Q1.from, to: Q1.to, pipeline: { id: pipeline.id }, owner: { id: 'rep-1' } });

  const progress = ok(await gql(t.url, ws.token('ANALYST'), GoalProgressDocument, {})).goalProgress;
  const figures = progress.map((p) => [p.goal.metric, p.goal.owner?.id ?? null, p.actual, p.attainment, p.elapsed, p.onTrack]);
  expect(figures).toEqual([
    ['WON_VALUE', null, 4000, 0.5, 1, false],
    ['WON_COUNT', null, 2, 1, 1, true],
    ['NEW_DEALS', null, 3, 0.5, 1, false], // W1, L1, O1 (W2 created in December)
    ['WIN_RATE', null, 2 / 3, (2 / 3) / 0.8, 1, false],
    ['AVERAGE_DEAL_SIZE', null, 2000, 2, 1, true],
    ['SALES_CYCLE_DAYS', null, 25.5, 20 / 25.5, 1, false], // lower is better: target ÷ actual
    ['WON_VALUE', 'rep-1', 1000, 0.5, 1, false],
    ['WIN_RATE', null, 0, null, 1, false], // nothing closed in that pipeline
  ]);

  const byOwner = ok(await gql(t.url, ws.token('REP'), GoalProgressDocument, { ownerId: 'rep-1' })).goalProgress;
  expect(byOwner.map((p) => p.goal.id)).toEqual([ownerGoal.id]);
  const byPipeline = ok(await gql(t.url, ws.token('REP'), GoalProgressDocument, { pipelineId: empty.id })).goalProgress;
  expect(byPipeline.map((p) => p.goal.id)).toEqual([emptyGoal.id]);
  expect(ok(await gql(t.url, ws.token('REP'), GoalProgressDocument, { ownerId: 'nobody' })).goalProgress).toEqual([]);
  expect(ok(await gql(t.url, newWorkspace().token('ANALYST'), GoalProgressDocument, {})).goalProgress).toEqual([]);
});

test('onTrack compares attainment with the share of a running period already elapsed', async () => {
  const { admin, pipeline } = await newBoard(t, 2);
  const now = Date.now();
  const period = { from: new Date(now - 10 * 86_400_000).toISOString(), to: new Date(now + 10 * 86_400_000).toISOString() };
  const deal = ok(await gql(t.url, admin, CreateDealDocument, { input: { pipelineId: pipeline.id, title: 'Now', value: 10 } })).createDeal;
  ok(await gql(t.url, admin, WinDealDocument, { id: deal.id }));
  ok(await gql(t.url, admin, SetGoalDocument, { input: { metric: 'WON_COUNT', target: 1, ...period } }));
  ok(await gql(t.url, admin, SetGoalDocument, { input: { metric: 'WON_COUNT', target: 4, ...period } }));
  const [ahead, behind] = ok(await gql(t.url, admin, GoalProgressDocument, {})).goalProgress;
  expect(ahead.elapsed).toBeCloseTo(0.5, 3);
  expect(ahead).toMatchObject({ actual: 1, attainment: 1, onTrack: true });
  expect(behind).toMatchObject({ actual: 1, attainment: 0.25, onTrack: false });
});

test('only admins and managers set and delete goals; bad goals write nothing', async () => {
  const { ws, admin, pipeline } = await newBoard(t, 2);
  const goal = { metric: 'WON_VALUE' as const, target: 1000, ...Q1 };
  expect(errorCodes(await gql(t.url, ws.token('ANALYST'), SetGoalDocument, { input: goal }))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await gql(t.url, ws.token('REP'), SetGoalDocument, { input: goal }))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await gql(t.url, admin, SetGoalDocument, { input: { ...goal, target: 0 } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, admin, SetGoalDocument, { input: { ...goal, metric: 'WIN_RATE', target: 1.5 } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, admin, SetGoalDocument, { input: { ...goal, from: Q1.to, to: Q1.from } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, admin, SetGoalDocument, { input: { ...goal, ownerId: 'nobody' } }))).toEqual(['NOT_FOUND']);
  const other = await newBoard(t, 2);
  expect(errorCodes(await gql(t.url, admin, SetGoalDocument, { input: { ...goal, pipelineId: other.pipeline.id } }))).toEqual(['NOT_FOUND']);
  expect(ok(await gql(t.url, admin, GoalProgressDocument, {})).goalProgress).toEqual([]);

  const created = ok(await gql(t.url, admin, SetGoalDocument, { input: { ...goal, pipelineId: pipeline.id } })).setGoal;
  const changed = ok(await gql(t.url, ws.token('MANAGER'), SetGoalDocument, { input: { ...goal, id: created.id, target: 2500 } })).setGoal;
  expect(changed).toMatchObject({ id: created.id, target: 2500, pipeline: null });
  expect(errorCodes(await gql(t.url, other.admin, SetGoalDocument, { input: { ...goal, id: created.id } }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, other.admin, DeleteGoalDocument, { id: created.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, ws.token('ANALYST'), DeleteGoalDocument, { id: created.id }))).toEqual(['FORBIDDEN']);
  expect(ok(await gql(t.url, admin, DeleteGoalDocument, { id: created.id })).deleteGoal).toBe(true);
  expect(errorCodes(await gql(t.url, admin, DeleteGoalDocument, { id: created.id }))).toEqual(['NOT_FOUND']);
  expect(ok(await gql(t.url, admin, GoalProgressDocument, {})).goalProgress).toEqual([]);
});
