import { ForecastDocument, GoalOutlookDocument, SetGoalDocument, WorkspaceForecastDocument } from '../generated/graphql';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { playDeal, Step } from '../factories/history.factory';
import { UNKNOWN_ID } from '../factories/workspace.factory';

const DAY = 86_400_000;
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** The first instant of the UTC month `offset` months from now. */
function monthStart(offset: number): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
}
const ym = (d: Date) => d.toISOString().slice(0, 7);
const quarterOf = (d: Date) => `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;

describe('forecast for the workspace and by quarter', () => {
  let admin: string;
  let pipelines: Awaited<ReturnType<typeof createPipeline>>[];
  // [pipeline, open stage, value, month offset of the expected close date (null: none)]
  const plan: [number, number, number, number | null][] = [
    [0, 0, 100, 0], [0, 1, 200, 1], [1, 0, 400, 1], [1, 0, 800, 3], [0, 0, 1600, 5], [1, 1, 3200, -1], [0, 0, 6400, null],
  ];

  beforeAll(async () => {
    const ws = newWorkspace();
    admin = ws.token('ADMIN');
    pipelines = [await createPipeline(t.url, admin, 2, 'P0'), await createPipeline(t.url, admin, 2, 'P1')];
    for (const [p, s, value, offset] of plan) {
      const expected = offset === null ? undefined : new Date(monthStart(offset).getTime() + 10 * DAY).toISOString();
      await createDeal(t.url, admin, { pipelineId: pipelines[p].id, stageId: pipelines[p].stages[s].id, title: 'F', value, expectedCloseDate: expected });
    }
    // A won deal expected this month counts nowhere: only open deals are forecast.
    await playDeal(t.url, admin, pipelines[0].id, [
      { at: new Date().toISOString(), create: { stageId: pipelines[0].stages[0].id, value: 12800, expectedCloseDate: monthStart(0).toISOString() } },
      { at: new Date().toISOString(), win: true },
    ]);
  });

  /** The forecast computed here: per month of the window, or per quarter it touches. */
  function oracle(months: number, byQuarter: boolean, pipeline?: number) {
    const rows = new Map<string, { month: string; quarter: string | null; dealCount: number; value: number; weightedValue: number }>();
    for (let m = 0; m < months; m++) {
      const start = monthStart(m);
      const first = byQuarter ? new Date(Date.UTC(start.getUTCFullYear(), Math.floor(start.getUTCMonth() / 3) * 3, 1)) : start;
      const key = ym(first);
      const row = rows.get(key) ?? { month: key, quarter: byQuarter ? quarterOf(start) : null, dealCount: 0, value: 0, weightedValue: 0 };
      for (const [p, s, value, offset] of plan) {
        if (offset !== m || (pipeline !== undefined && p !== pipeline)) continue;
        row.dealCount += 1;
        row.value += value;
        row.weightedValue += value * pipelines[p].stages[s].probability;
      }
      rows.set(key, row);
    }
    return [...rows.values()];
  }

  test('without pipelineId: every pipeline, month by month', async () => {
    const rows = ok(await gql(t.url, admin, WorkspaceForecastDocument, { months: 6 })).forecast;
    expect(rows).toEqual(oracle(6, false));
    // By hand: this month 100; next month 200 + 400; in three months 800; in five 1600.
    expect(rows.map((r) => r.value)).toEqual([100, 600, 0, 800, 0, 1600]);
  });

  test('by quarter: every quarter the window touches, its first month, only the window months counted', async () => {
    for (const months of [1, 4, 6]) {
      const rows = ok(await gql(t.url, admin, WorkspaceForecastDocument, { months, byQuarter: true })).forecast;
      expect(rows).toEqual(oracle(months, true));
      expect(rows.reduce((s, r) => s + r.dealCount, 0)).toBe(plan.filter(([, , , o]) => o !== null && o >= 0 && o < months).length);
    }
  });

  test('one pipeline, as before: old clients that send pipelineId as ID! keep working', async () => {
    const rows = ok(await gql(t.url, admin, ForecastDocument, { pipelineId: pipelines[1].id, months: 4 })).forecast;
    expect(rows).toEqual(oracle(4, false, 1).map(({ quarter: _q, ...row }) => row));
    const byQuarter = ok(await gql(t.url, admin, WorkspaceForecastDocument, { pipelineId: pipelines[1].id, months: 4, byQuarter: true })).forecast;
    expect(byQuarter).toEqual(oracle(4, true, 1));
  });

  test('a pipeline of another workspace is NOT_FOUND; months out of range is BAD_USER_INPUT', async () => {
    const stranger = newWorkspace().token('ANALYST');
    expect(errorCodes(await gql(t.url, stranger, WorkspaceForecastDocument, { pipelineId: pipelines[0].id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, admin, WorkspaceForecastDocument, { pipelineId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    const bad = await gql(t.url, admin, WorkspaceForecastDocument, { months: 0, byQuarter: true });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.field).toBe('months');
    // The other workspace's forecast has nothing of ours.
    expect(ok(await gql(t.url, stranger, WorkspaceForecastDocument, { months: 6 })).forecast.every((r) => r.value === 0)).toBe(true);
  });
});

describe('goal outlook: projection, coverage and onTrack', () => {
  /**
   * Period [now − 10 days, now + 20 days): elapsed 1/3. In the goal's pipeline:
   *   won  300, created 60 days ago, won 5 days ago (in the period; a 55-day cycle)
   *   lost 3 days ago (in the period)          won 100, 60 days ago          lost 100 days ago (outside 90 days)
   *   open 500 expected in 5 days (counts)     open 800 expected in 25 days (after the period)
   *   open 200 expected yesterday (passed)
   * And in another pipeline, a won deal 2 days ago that no goal of this pipeline sees.
   */
  let admin: string;
  let pipelineId: string;
  const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

  beforeAll(async () => {
    const ws = newWorkspace();
    admin = ws.token('ADMIN');
    const pipeline = await createPipeline(t.url, admin, 2);
    const other = await createPipeline(t.url, admin, 1, 'Other');
    pipelineId = pipeline.id;
    const s1 = pipeline.stages[0].id;
    const play = (id: string, steps: Step[]) => playDeal(t.url, admin, id, steps);
    await play(pipelineId, [{ at: at(-60), create: { stageId: s1, value: 300 } }, { at: at(-5), win: true }]);
    await play(pipelineId, [{ at: at(-20), create: { stageId: s1, value: 50 } }, { at: at(-3), lose: 'Price' }]);
    await play(pipelineId, [{ at: at(-70), create: { stageId: s1, value: 100 } }, { at: at(-60), win: true }]);
    await play(pipelineId, [{ at: at(-120), create: { stageId: s1, value: 70 } }, { at: at(-100), lose: 'Price' }]);
    await play(pipelineId, [{ at: at(-1), create: { stageId: s1, value: 500, expectedCloseDate: at(5) } }]);
    await play(pipelineId, [{ at: at(-1), create: { stageId: s1, value: 800, expectedCloseDate: at(25) } }]);
    await play(pipelineId, [{ at: at(-1), create: { stageId: s1, value: 200, expectedCloseDate: at(-1) } }]);
    await play(other.id, [{ at: at(-4), create: { stageId: other.stages[0].id, value: 9000 } }, { at: at(-2), win: true }]);
    const goal = (metric: string, target: number) => gql(t.url, admin, SetGoalDocument, {
      input: { metric: metric as never, target, from: at(-10), to: at(20), pipelineId },
    });
    for (const [metric, target] of [['WON_VALUE', 1000], ['WON_VALUE', 200], ['WON_COUNT', 2], ['WIN_RATE', 0.4], ['WIN_RATE', 0.6],
      ['SALES_CYCLE_DAYS', 45], ['NEW_DEALS', 10]] as const) ok(await goal(metric, target));
  });

  test('each goal says where it is heading', async () => {
    const rows = ok(await gql(t.url, admin, GoalOutlookDocument, { pipelineId })).goalProgress;
    expect(rows).toHaveLength(7);
    const byGoal = Object.fromEntries(rows.map((r) => [`${r.goal.metric} ${r.goal.target}`, r]));
    for (const r of rows) expect(r.elapsed).toBeCloseTo(1 / 3, 3);

    const value = byGoal['WON_VALUE 1000'];
    expect([value.actual, value.attainment, value.onTrack]).toEqual([300, 0.3, false]);
    expect(value.projected).toBeCloseTo(300 / value.elapsed, 9);
    expect(value.pipelineValue).toBe(500);
    expect(value.coverage).toBeCloseTo(500 / 700, 12);
    // 90 days before now: won 300 and 100, lost 50: a win rate of 2/3, so 1.5× coverage is needed.
    expect(value.requiredCoverage).toBeCloseTo(1.5, 12);

    const reached = byGoal['WON_VALUE 200'];
    expect([reached.actual, reached.onTrack, reached.pipelineValue, reached.coverage]).toEqual([300, true, 500, null]);
    expect(reached.requiredCoverage).toBeCloseTo(1.5, 12);

    const count = byGoal['WON_COUNT 2'];
    expect([count.actual, count.attainment, count.onTrack, count.pipelineValue, count.coverage, count.requiredCoverage])
      .toEqual([1, 0.5, true, null, null, null]);
    expect(count.projected).toBeCloseTo(1 / count.elapsed, 9);

    // Rates are on track only once they meet the target, whatever the time elapsed.
    const rate = byGoal['WIN_RATE 0.4'];
    expect([rate.actual, rate.attainment, rate.onTrack, rate.projected, rate.coverage]).toEqual([0.5, 1.25, true, null, null]);
    const highRate = byGoal['WIN_RATE 0.6'];
    expect(highRate.attainment).toBeCloseTo(0.5 / 0.6, 12);
    expect([highRate.onTrack, highRate.projected]).toEqual([false, null]);
    const cycle = byGoal['SALES_CYCLE_DAYS 45'];
    expect(cycle.actual).toBeCloseTo(55, 6);
    expect(cycle.attainment).toBeCloseTo(45 / 55, 6);
    expect([cycle.onTrack, cycle.projected, cycle.pipelineValue]).toEqual([false, null, null]);

    // New deals in the period: the three open ones created yesterday.
    const created = byGoal['NEW_DEALS 10'];
    expect([created.actual, created.onTrack]).toEqual([3, false]);
    expect(created.projected).toBeCloseTo(3 / created.elapsed, 9);
  });
});
