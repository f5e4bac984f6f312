import { MoveDealDocument, PipelineMetricsDocument, PipelineWithMetricsDocument } from '../generated/graphql';
import { catchUpVisits, sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const RANGE = { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' };

test('an empty pipeline has zero counts and sums, and null rates and averages', async () => {
  const ws = newWorkspace();
  const pipeline = await createPipeline(t.url, ws.token('ADMIN'), 2);
  const m = ok(await gql(t.url, ws.token('ANALYST'), PipelineMetricsDocument, { pipelineId: pipeline.id, range: RANGE })).pipelineMetrics;
  expect(m).toMatchObject({
    pipelineId: pipeline.id, from: RANGE.from, to: RANGE.to,
    openDealCount: 0, openValue: 0, weightedOpenValue: 0, wonCount: 0, lostCount: 0, wonValue: 0,
    averageDealSize: null, winRate: null, averageSalesCycleDays: null, velocityPerDay: null,
  });
  expect(m.stages.map((s) => s.stage.name)).toEqual(['Stage 1', 'Stage 2', 'Won', 'Lost']);
  for (const s of m.stages) {
    expect(s).toMatchObject({ dealCount: 0, value: 0, weightedValue: 0, averageDaysInStage: null, conversionRate: null, lostCount: 0, stalledCount: 0 });
  }
});

test('Pipeline.metrics answers the same figures as Query.pipelineMetrics', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 2);
  await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'A', value: 100.1 });
  await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'B', value: 200.2 });
  const data = ok(await gql(t.url, ws.token('REP'), PipelineWithMetricsDocument, { id: pipeline.id }));
  const m = data.pipeline!.metrics;
  expect(m.openDealCount).toBe(2);
  expect(m.openValue).toBe(300.3);
  // Stage 1 has probability 0.33: 300.30 × 0.33 = 99.099
  expect(m.weightedOpenValue).toBe(99.099);
  expect(m.stages[0]).toMatchObject({ dealCount: 2, value: 300.3, weightedValue: 99.099 });
  // default range: the 90 days before now
  expect(Date.parse(m.to) - Date.parse(m.from)).toBe(90 * 86_400_000);
});

test("another workspace's pipeline answers NOT_FOUND, like a missing one; a malformed id BAD_USER_INPUT", async () => {
  const mine = newWorkspace();
  const theirs = newWorkspace();
  const pipeline = await createPipeline(t.url, theirs.token('ADMIN'), 2);
  const analyst = mine.token('ANALYST');
  expect(errorCodes(await gql(t.url, analyst, PipelineMetricsDocument, { pipelineId: pipeline.id }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, analyst, PipelineMetricsDocument, { pipelineId: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, analyst, PipelineMetricsDocument, { pipelineId: 'nope' }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, undefined, PipelineMetricsDocument, { pipelineId: pipeline.id }))).toEqual(['UNAUTHENTICATED']);
});

test('a range that ends before it starts answers BAD_USER_INPUT', async () => {
  const ws = newWorkspace();
  const pipeline = await createPipeline(t.url, ws.token('ADMIN'), 2);
  const result = await gql(t.url, ws.token('ANALYST'), PipelineMetricsDocument, {
    pipelineId: pipeline.id, range: { from: RANGE.to, to: RANGE.from },
  });
  expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
});

test("the default range, ending now, takes today whole from the tallies: the figures of today's visits read one by one", async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 3);
  const [s1, s2, s3] = pipeline.stages;
  const deals = [];
  for (const title of ['A', 'B', 'C']) deals.push(await createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: s1.id, title, value: 10 }));
  for (const [deal, stage] of [[deals[0], s2], [deals[1], s2], [deals[0], s3]] as const) {
    ok(await gql(t.url, admin, MoveDealDocument, { id: deal.id, stageId: stage.id }));
  }
  const written = new Date();
  await new Promise((r) => setTimeout(r, 20));
  const figures = async (range?: { from: string; to: string }) => {
    const m = ok(await gql(t.url, admin, PipelineMetricsDocument, { pipelineId: pipeline.id, range })).pipelineMetrics;
    return m.stages.map((s) => ({ stage: s.stage.name, days: s.averageDaysInStage, conversion: s.conversionRate, lost: s.lostCount }));
  };
  // Ending before now: today is read row by row, as before.
  const rowByRow = await figures({ from: new Date(written.getTime() - 90 * 86_400_000).toISOString(), to: written.toISOString() });
  expect(rowByRow[0].days).not.toBeNull();
  expect(rowByRow[0].conversion).toBeCloseTo(2 / 3);
  expect(await figures()).toEqual(rowByRow);

  // Which one reads the tallies: without today's tallies (and deltas), only the range ending now loses today's exits.
  await catchUpVisits();
  const stages = pipeline.stages.map((s) => s.id);
  await sql('DELETE FROM stage_tallies WHERE stage_id = ANY($1::uuid[])', [stages]);
  await sql('DELETE FROM stage_tally_deltas WHERE stage_id = ANY($1::uuid[])', [stages]);
  expect((await figures())[0].days).toBeNull();
  expect(await figures({ from: new Date(written.getTime() - 90 * 86_400_000).toISOString(), to: written.toISOString() })).toEqual(rowByRow);
});
