import { CreatePipelineDocument, DealGroupField, ManagerAggregatesDocument, ManagerAggregatesQuery, UsersDocument } from '../generated/graphql';
import { gql, ok, untyped } from '../helpers/graphql';
import { newWorkspace, startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { signIn } from '../factories/workspace.factory';
import { playDeal, Step } from '../factories/history.factory';
import { stagesOf } from '../factories/pipeline.factory';
import { signToken } from '../../src/infra/auth/token';
import { Role } from '../../src/features/workspaces/role';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

test('users: by name in code-point order, then id; nameless users last', async () => {
  const ws = newWorkspace();
  const token = (sub: string, name?: string) => signToken({ sub, wid: ws.id, role: Role.REP, ...(name ? { name } : {}) }, TEST_JWT_SECRET);
  // Signed in out of order: the answer's order is the API's, not the arrival's.
  for (const [sub, name] of [['n2', undefined], ['e', 'Émile'], ['b2', 'Bob'], ['a', 'anna'], ['z', 'Zoë'], ['n1', undefined], ['b1', 'Bob']]) {
    await signIn(t, token(sub!, name));
  }
  const users = ok(await gql(t.url, ws.token('ANALYST', 'n3'), UsersDocument)).users;
  // Upper case before lower case before accented letters (U+00C9): code points, not a locale's order.
  expect(users.map((u) => [u.id, u.name])).toEqual([
    ['n3', 'ANALYST user'], ['b1', 'Bob'], ['b2', 'Bob'], ['z', 'Zoë'], ['a', 'anna'], ['e', 'Émile'], ['n1', null], ['n2', null],
  ]);
  // Another workspace's users are not listed.
  expect(ok(await gql(t.url, newWorkspace().token('ADMIN', 'solo'), UsersDocument)).users.map((u) => u.id)).toEqual(['solo']);
});

describe('dealAggregates over a hand-built workspace', () => {
  /**
   * P1 (created first): Stage 1, Stage 2, Won, Lost; P2: Stage 1, Won, Lost.
   *   a P1 100 rep-b created 2026-01-10 won  2026-02-09 (30 days)  expected 2026-02-15
   *   b P1 200 rep-a created 2026-02-01 lost 2026-04-01            expected 2026-03-20
   *   c P1 300 rep-a created 2026-04-15 open in Stage 2            expected 2026-06-30
   *   d P1 400 —     created 2026-03-31 won  2026-04-10 (10 days)  no expected date
   *   e P2 500 rep-b created 2026-05-01 won  2026-05-21 (20 days)  expected 2026-05-31
   *   f P2  50 rep-a created 2026-01-05 open in Stage 1            no expected date
   */
  let analyst: string;
  let names: Record<string, string>;
  type Row = ManagerAggregatesQuery['dealAggregates'][number];

  beforeAll(async () => {
    const ws = newWorkspace();
    const admin = ws.token('ADMIN');
    analyst = ws.token('ANALYST');
    await signIn(t, ws.token('REP', 'rep-b'));
    await signIn(t, ws.token('REP', 'rep-a'));
    const pipeline = async (name: string, open: number) =>
      ok(await gql(t.url, admin, CreatePipelineDocument, { input: { name, stages: stagesOf(open) } })).createPipeline;
    const p1 = await pipeline('P1', 2);
    const p2 = await pipeline('P2', 1);
    names = Object.fromEntries([...p1.stages.map((s) => [s.id, `P1 ${s.name}`]), ...p2.stages.map((s) => [s.id, `P2 ${s.name}`])]);
    const day = (d: string) => `${d}T00:00:00.000Z`;
    const play = (pipelineId: string, steps: Step[]) => playDeal(t.url, admin, pipelineId, steps);
    const create = (stageId: string, value: number, at: string, ownerId?: string, expected?: string): Step =>
      ({ at: day(at), create: { stageId, value, ownerId, expectedCloseDate: expected && `${expected}T12:00:00.000Z` } });
    await play(p1.id, [create(p1.stages[0].id, 100, '2026-01-10', 'rep-b', '2026-02-15'), { at: day('2026-02-09'), win: true }]);
    await play(p1.id, [create(p1.stages[0].id, 200, '2026-02-01', 'rep-a', '2026-03-20'), { at: day('2026-04-01'), lose: 'Price' }]);
    await play(p1.id, [create(p1.stages[1].id, 300, '2026-04-15', 'rep-a', '2026-06-30')]);
    await play(p1.id, [create(p1.stages[0].id, 400, '2026-03-31'), { at: day('2026-04-10'), win: true }]);
    await play(p2.id, [create(p2.stages[0].id, 500, '2026-05-01', 'rep-b', '2026-05-31'), { at: day('2026-05-21'), win: true }]);
    await play(p2.id, [create(p2.stages[0].id, 50, '2026-01-05', 'rep-a')]);
  });

  const figures = (r: Row) => [r.count, r.sum, r.wonCount, r.lostCount, r.winRate, r.averageSalesCycleDays];
  async function report(groupBy: DealGroupField[]) {
    const fast = ok(await gql(t.url, analyst, ManagerAggregatesDocument, { groupBy })).dealAggregates;
    // The same question spelled with a fragment takes graphql-js's path; both answer alike.
    const general = ok(await gql(t.url, analyst, untyped(`query($groupBy: [DealGroupField!]!) { ...All }
      fragment All on Query { dealAggregates(groupBy: $groupBy) { group { pipeline { id name } stage { id name } owner { id }
        status leadSource createdMonth closedMonth createdQuarter closedQuarter expectedCloseMonth }
        count sum wonCount lostCount winRate averageSalesCycleDays } }`), { groupBy })).dealAggregates;
    expect(general).toEqual(fast);
    return fast;
  }

  test('by pipeline, in creation order, with won, lost, win rate and sales cycle', async () => {
    const rows = await report(['PIPELINE']);
    expect(rows.map((r) => [r.group.pipeline?.name, ...figures(r)])).toEqual([
      ['P1', 4, 1000, 2, 1, 2 / 3, 20],
      ['P2', 2, 550, 1, 0, 1, 20],
    ]);
    expect(rows.every((r) => r.group.stage === null && r.group.createdQuarter === null)).toBe(true);
  });

  test('by stage: by pipeline, then position', async () => {
    const rows = await report(['STAGE']);
    expect(rows.map((r) => [names[r.group.stage!.id], r.count])).toEqual([
      ['P1 Stage 2', 1], ['P1 Won', 2], ['P1 Lost', 1], ['P2 Stage 1', 1], ['P2 Won', 1],
    ]);
  });

  test('by owner (user id, unowned last) and status (enum order)', async () => {
    const rows = await report(['OWNER', 'STATUS']);
    expect(rows.map((r) => [r.group.owner?.id ?? null, r.group.status, ...figures(r)])).toEqual([
      ['rep-a', 'OPEN', 2, 350, 0, 0, null, null],
      ['rep-a', 'LOST', 1, 200, 0, 1, 0, null],
      ['rep-b', 'WON', 2, 600, 2, 0, 1, 25],
      [null, 'WON', 1, 400, 1, 0, 1, 10],
    ]);
  });

  test('by quarters and expected close month, ascending, null last', async () => {
    const created = await report(['CREATED_QUARTER']);
    expect(created.map((r) => [r.group.createdQuarter, ...figures(r)])).toEqual([
      ['2026-Q1', 4, 750, 2, 1, 2 / 3, 20],
      ['2026-Q2', 2, 800, 1, 0, 1, 20],
    ]);
    const closed = await report(['CLOSED_QUARTER']);
    expect(closed.map((r) => [r.group.closedQuarter, ...figures(r)])).toEqual([
      ['2026-Q1', 1, 100, 1, 0, 1, 30],
      ['2026-Q2', 3, 1100, 2, 1, 2 / 3, 15],
      [null, 2, 350, 0, 0, null, null],
    ]);
    const expected = await report(['EXPECTED_CLOSE_MONTH']);
    expect(expected.map((r) => [r.group.expectedCloseMonth, r.count, r.sum])).toEqual([
      ['2026-02', 1, 100], ['2026-03', 1, 200], ['2026-05', 1, 500], ['2026-06', 1, 300], [null, 2, 450],
    ]);
  });

  test('several keys: by the first, then the next', async () => {
    const rows = await report(['PIPELINE', 'CLOSED_QUARTER']);
    expect(rows.map((r) => [r.group.pipeline!.name, r.group.closedQuarter, r.count])).toEqual([
      ['P1', '2026-Q1', 1], ['P1', '2026-Q2', 2], ['P1', null, 1], ['P2', '2026-Q2', 1], ['P2', null, 1],
    ]);
  });
});
