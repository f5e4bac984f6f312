import { CreatePipelineDocument, LogActivityDocument, PipelineMetricsDocument, PipelineMetricsQuery } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { playDeal } from '../factories/history.factory';

/**
 * A small history built by hand (see the comments below): creations, moves forward and
 * back, wins, losses, a reopening, a deletion, activities, dates spread over months and on
 * the range's edges. Every expected figure below was worked out by hand from that table.
 */
let t: TestApp;
let analyst: string;
let pipelineId: string;
type Metrics = PipelineMetricsQuery['pipelineMetrics'];

const Q1 = { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };
const d = (day: string) => `${day}T00:00:00.000Z`;

beforeAll(async () => {
  t = await startTestApp();
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  analyst = ws.token('ANALYST');
  const pipeline = ok(await gql(t.url, admin, CreatePipelineDocument, {
    input: {
      name: 'Fixture',
      stages: [
        { name: 'S1', kind: 'OPEN', probability: 0.2, rottingAfterDays: 10 },
        { name: 'S2', kind: 'OPEN', probability: 0.5, rottingAfterDays: null },
        { name: 'S3', kind: 'OPEN', probability: 0.8, rottingAfterDays: 30 },
        { name: 'S4', kind: 'OPEN', probability: 0.9, rottingAfterDays: null },
        { name: 'Won', kind: 'WON', probability: 1 },
        { name: 'Lost', kind: 'LOST', probability: 0 },
      ],
    },
  })).createPipeline;
  pipelineId = pipeline.id;
  const [s1, s2, s3] = pipeline.stages.map((s) => s.id);
  const play = (steps: Parameters<typeof playDeal>[3], deleted = false) => playDeal(t.url, admin, pipelineId, steps, deleted);

  // D1 won fast
  await play([{ at: d('2026-01-05'), create: { stageId: s1, value: 1000.1 } }, { at: d('2026-01-10'), move: s2 }, { at: d('2026-01-20'), win: true }]);
  // D2 created before the range, moved back from S2 to S1, then on to S3 and won
  await play([{ at: d('2025-12-01'), create: { stageId: s1, value: 2000.2 } }, { at: d('2025-12-21'), move: s2 },
    { at: d('2026-01-11'), move: s1 }, { at: d('2026-01-31'), move: s3 }, { at: d('2026-02-10'), win: true }]);
  // D3 lost from S2; D4 lost from S1
  await play([{ at: d('2026-02-01'), create: { stageId: s1, value: 500 } }, { at: d('2026-02-06'), move: s2 }, { at: d('2026-02-16'), lose: 'Price' }]);
  await play([{ at: d('2026-03-01'), create: { stageId: s1, value: 300 } }, { at: d('2026-03-04'), lose: 'Timing' }]);
  // D5 lost, reopened (back to S1), moved on and won after the range
  await play([{ at: d('2026-01-15'), create: { stageId: s1, value: 800 } }, { at: d('2026-01-25'), lose: 'No budget' },
    { at: d('2026-02-04'), reopen: true }, { at: d('2026-02-14'), move: s2 }, { at: d('2026-04-10'), win: true }]);
  // D6 open in S3 (skipped S2); D7 open in S1 with a recent activity; D11 open in S2
  const d6 = await play([{ at: d('2026-02-20'), create: { stageId: s1, value: 1234.56 } }, { at: d('2026-03-02'), move: s3 }]);
  const d7 = await play([{ at: d('2026-03-25'), create: { stageId: s1, value: 99.99 } }]);
  // D6 had a call five days ago: not stalled in S3 (30 days); D7's last call is long past: stalled in S1 (10 days)
  const log = async (dealId: string, doneAt: string) =>
    ok(await gql(t.url, admin, LogActivityDocument, { input: { dealId, type: 'CALL', subject: 'Call', doneAt } }));
  await log(d6, new Date(Date.now() - 5 * 86_400_000).toISOString());
  await log(d7, d('2026-03-30'));
  await play([{ at: d('2026-03-10'), create: { stageId: s1, value: 10 } }, { at: d('2026-03-15'), move: s2 }]);
  // D8 won in the range, then deleted: counts nowhere
  await play([{ at: d('2026-01-03'), create: { stageId: s1, value: 5000 } }, { at: d('2026-01-08'), move: s2 }, { at: d('2026-01-18'), win: true }], true);
  // D9 won exactly at the range's end (excluded); D10 lost exactly at its start (included)
  await play([{ at: d('2026-03-20'), create: { stageId: s1, value: 700 } }, { at: d('2026-04-01'), win: true }]);
  await play([{ at: d('2025-12-20'), create: { stageId: s1, value: 400 } }, { at: d('2026-01-01'), lose: 'Competitor' }]);
});
afterAll(() => t.stop());

async function metrics(range: { from: string; to: string }): Promise<Metrics> {
  return ok(await gql(t.url, analyst, PipelineMetricsDocument, { pipelineId, range })).pipelineMetrics;
}

test('pipeline figures over the first quarter of 2026', async () => {
  const m = await metrics(Q1);
  expect(m.openDealCount).toBe(3); // D6, D7, D11
  expect(m.openValue).toBe(1344.55); // 1234.56 + 99.99 + 10.00
  expect(m.weightedOpenValue).toBeCloseTo(1012.646, 9); // 99.99×0.2 + 10×0.5 + 1234.56×0.8
  expect(m.wonCount).toBe(2); // D1, D2 (D5 after, D9 on the end, D8 deleted)
  expect(m.lostCount).toBe(3); // D3, D4, D10 (on the start)
  expect(m.wonValue).toBe(3000.3);
  expect(m.averageDealSize).toBe(1500.15);
  expect(m.winRate).toBe(0.4);
  expect(m.averageSalesCycleDays).toBe(43); // (15 + 71) / 2
  expect(m.velocityPerDay).toBeCloseTo((3 * 1500.15 * 0.4) / 43, 9);
});

test('stage figures over the first quarter of 2026', async () => {
  const m = await metrics(Q1);
  const byName = Object.fromEntries(m.stages.map((s) => [s.stage.name, s]));
  expect(m.stages.map((s) => s.stage.name)).toEqual(['S1', 'S2', 'S3', 'S4', 'Won', 'Lost']);
  expect(byName.S1).toEqual({
    stage: expect.objectContaining({ name: 'S1' }), dealCount: 1, value: 99.99, weightedValue: 19.998,
    // visits ending in range: D1 5, D2 20, D3 5, D4 3, D5 10, D6 10, D10 12, D11 5, D5 again 10 → 80 / 9
    averageDaysInStage: expect.closeTo(80 / 9, 9),
    // entered in range: D1 D2 D3 D4 D5 D6 D7 D9 D11; later reached a greater stage: all but D4 and D7
    conversionRate: expect.closeTo(7 / 9, 9),
    lostCount: 2, // D4, D10
    stalledCount: 1, // D7: idle since 2026-03-30, threshold 10 days
  });
  expect(byName.S2).toEqual({
    stage: expect.objectContaining({ name: 'S2' }), dealCount: 1, value: 10, weightedValue: 5,
    averageDaysInStage: expect.closeTo(41 / 3, 9), // D1 10, D2 21, D3 10
    conversionRate: 0.5, // D1 and D5 went on; D3 lost, D11 still there
    lostCount: 1, // D3
    stalledCount: 0, // no threshold
  });
  expect(byName.S3).toEqual({
    stage: expect.objectContaining({ name: 'S3' }), dealCount: 1, value: 1234.56, weightedValue: 987.648,
    averageDaysInStage: 10, conversionRate: 0.5, lostCount: 0, stalledCount: 0, // D6's recent call
  });
  // never entered
  expect(byName.S4).toEqual({
    stage: expect.objectContaining({ name: 'S4' }), dealCount: 0, value: 0, weightedValue: 0,
    averageDaysInStage: null, conversionRate: null, lostCount: 0, stalledCount: 0,
  });
  expect(byName.Won).toMatchObject({ dealCount: 0, value: 0, averageDaysInStage: null, conversionRate: null, lostCount: 0 });
  // D5 sat 10 days in Lost before its reopening
  expect(byName.Lost).toMatchObject({ dealCount: 0, value: 0, averageDaysInStage: 10, conversionRate: null, lostCount: 0 });
});

test('a range with only losses: win rate 0, averages and velocity null; its end excludes the deal won on it', async () => {
  const m = await metrics({ from: d('2026-03-01'), to: d('2026-04-01') });
  expect(m).toMatchObject({
    wonCount: 0, lostCount: 1, wonValue: 0, winRate: 0, averageDealSize: null, averageSalesCycleDays: null, velocityPerDay: null,
    openDealCount: 3,
  });
  const s1 = m.stages.find((s) => s.stage.name === 'S1')!;
  expect(s1.averageDaysInStage).toBe(6); // D4 3, D6 10, D11 5; D9's exit on the range's end is out
  expect(s1.conversionRate).toBe(0.5); // entered: D4 D7 D9 D11 (D6 entered in February); went on: D9 D11
  expect(s1.lostCount).toBe(1);
});

test('a range with no closed deal: null rates, zero counts; open figures are about now', async () => {
  const m = await metrics({ from: d('2026-05-01'), to: d('2026-06-01') });
  expect(m).toMatchObject({
    openDealCount: 3, openValue: 1344.55, wonCount: 0, lostCount: 0, wonValue: 0,
    winRate: null, averageDealSize: null, averageSalesCycleDays: null, velocityPerDay: null,
  });
  for (const s of m.stages) expect(s).toMatchObject({ averageDaysInStage: null, conversionRate: null, lostCount: 0 });
});

test('a range from noon to noon: its partial first and last days count exactly', async () => {
  const m = await metrics({ from: '2026-01-01T12:00:00.000Z', to: '2026-04-01T12:00:00.000Z' });
  // D10's loss (midnight 1 January) is now before the range; D9's win (midnight 1 April) inside it
  expect(m).toMatchObject({ wonCount: 3, lostCount: 2, wonValue: 3700.3, winRate: 0.6 });
  expect(m.averageDealSize).toBeCloseTo(3700.3 / 3, 9);
  expect(m.averageSalesCycleDays).toBeCloseTo((15 + 71 + 12) / 3, 9);
  const byName = Object.fromEntries(m.stages.map((s) => [s.stage.name, s]));
  // S1: D10's exit drops out, D9's exit (12 days, in the partial last day) comes in
  expect(byName.S1.averageDaysInStage).toBeCloseTo(80 / 9, 9);
  expect(byName.S1.conversionRate).toBeCloseTo(7 / 9, 9);
  expect(byName.S1.lostCount).toBe(1); // D4
  expect(byName.S2).toMatchObject({ averageDaysInStage: expect.closeTo(41 / 3, 9), conversionRate: 0.5, lostCount: 1 });
  expect(byName.S3).toMatchObject({ averageDaysInStage: 10, conversionRate: 0.5 });
  expect(byName.Won.averageDaysInStage).toBeNull();
  expect(byName.Lost.averageDaysInStage).toBe(10);
});

test('a range inside one day reads only the visits', async () => {
  const m = await metrics({ from: '2026-01-10T00:00:00.000Z', to: '2026-01-10T00:00:01.000Z' });
  // only D1's move from S1 to S2 happens in that second: S1 visit of 5 days ends, S2 is entered
  const byName = Object.fromEntries(m.stages.map((s) => [s.stage.name, s]));
  expect(byName.S1).toMatchObject({ averageDaysInStage: 5, conversionRate: null });
  expect(byName.S2).toMatchObject({ averageDaysInStage: null, conversionRate: 1 });
  expect(m).toMatchObject({ wonCount: 0, lostCount: 0, winRate: null });
});
