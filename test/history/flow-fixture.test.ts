import {
  PipelineFlowDocument, PipelineFlowPageSizesDocument, PipelineSnapshotDealsNowDocument, PipelineSnapshotDocument,
} from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { playDeal } from '../factories/history.factory';
import { Board, newBoard } from '../factories/workspace.factory';
import { dealWrites, mark } from './history-helpers';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const IN = '2027-05-10T00:00:00.000Z'; // inside the closing window [Q2, Q3)
const OUT = '2027-09-10T00:00:00.000Z'; // after it
const CLOSING = { from: '2027-04-01T00:00:00.000Z', to: '2027-07-01T00:00:00.000Z' };

/**
 * Every movement kind, figure by figure. Before `from`: A 1000, B 2000, C 3000, D 4000, E 500,
 * F 600, I 900, K 100 open and closing in the window; G 700 open, closing after it; H 800 won;
 * J open without a close date. Between `from` and `to`: A → 1500 (INCREASED 500), B → 1200
 * (DECREASED 800), C won (WON 3000), D lost (LOST 4000), E deleted (DELETED 500), F pushed
 * to OUT (PUSHED_OUT 600), G pulled in and raised to 750 (PULLED_IN 750), H reopened
 * (REOPENED 800), I moved a stage (no movement), K won and reopened (no movement), L created
 * with 1100 (CREATED 1100), M created and deleted (nowhere). After `to`, changes that must not count.
 */
async function story(b: Board) {
  const w = dealWrites(t, b.admin);
  const deal = async (title: string, value: number, expectedCloseDate: string | null, stage = b.open[0]) =>
    (await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: stage.id, title, value, expectedCloseDate })).id;
  const d: Record<string, string> = {};
  for (const [name, value, close, stage] of [
    ['A', 1000, IN, b.open[0]], ['B', 2000, IN, b.open[1]], ['C', 3000, IN, b.open[2]], ['D', 4000, IN, b.open[0]],
    ['E', 500, IN, b.open[1]], ['F', 600, IN, b.open[2]], ['G', 700, OUT, b.open[0]], ['H', 800, IN, b.open[0]],
    ['I', 900, IN, b.open[0]], ['J', 50, null, b.open[1]], ['K', 100, IN, b.open[2]],
  ] as const) d[name] = await deal(name, value, close, stage);
  await w.win(d.H);
  const from = await mark();
  await w.update(d.A, { value: 1500 });
  await w.update(d.B, { value: 1200 });
  await w.win(d.C);
  await w.lose(d.D);
  await w.remove(d.E);
  await w.update(d.F, { expectedCloseDate: OUT });
  await w.update(d.G, { expectedCloseDate: IN, value: 750 });
  await w.reopen(d.H);
  await w.move(d.I, b.open[1].id);
  await w.win(d.K);
  await w.reopen(d.K);
  d.L = await deal('L', 1100, IN);
  d.M = await deal('M', 5000, IN);
  await w.remove(d.M);
  const to = await mark();
  await w.update(d.A, { value: 9999 });
  await w.lose(d.B);
  d.N = await deal('N', 7777, IN);
  return { d, from, to };
}

test('pipelineFlow classifies every movement kind exactly, and start + ins − outs = end', async () => {
  const b = await newBoard(t);
  const { d, from, to } = await story(b);
  const flow = ok(await gql(t.url, b.admin, PipelineFlowDocument, {
    pipelineId: b.pipeline.id, range: { from, to }, closingIn: CLOSING, first: 10,
  })).pipelineFlow;
  expect([flow.from, flow.to]).toEqual([from, to]);
  expect(flow.start).toEqual({ dealCount: 8, value: 12100 });
  expect(flow.end).toEqual({ dealCount: 7, value: 6350 });
  const moved = Object.fromEntries(flow.movements.map((m) => [m.kind, [m.dealCount, m.value, m.deals.nodes.map((n) => n.id)]]));
  expect(flow.movements.map((m) => m.kind)).toEqual(
    ['CREATED', 'REOPENED', 'PULLED_IN', 'INCREASED', 'PUSHED_OUT', 'WON', 'LOST', 'DELETED', 'DECREASED']);
  expect(moved).toEqual({
    CREATED: [1, 1100, [d.L]], REOPENED: [1, 800, [d.H]], PULLED_IN: [1, 750, [d.G]], INCREASED: [1, 500, [d.A]],
    PUSHED_OUT: [1, 600, [d.F]], WON: [1, 3000, [d.C]], LOST: [1, 4000, [d.D]], DELETED: [1, 500, [d.E]],
    DECREASED: [1, 800, [d.B]],
  });
  expect(flow.movements.every((m) => m.deals.totalCount === m.dealCount)).toBe(true);
});

test('without closingIn every OPEN deal counts: close-date moves are no movement, a deal without a date is in', async () => {
  const b = await newBoard(t);
  const { d, from, to } = await story(b);
  const flow = ok(await gql(t.url, b.admin, PipelineFlowDocument, { pipelineId: b.pipeline.id, range: { from, to } })).pipelineFlow;
  // Start: A B C D E F G I J K = 1000+2000+3000+4000+500+600+700+900+50+100; end: A B F G H I J K L.
  expect(flow.start).toEqual({ dealCount: 10, value: 12850 });
  expect(flow.end).toEqual({ dealCount: 9, value: 7000 });
  const figures = Object.fromEntries(flow.movements.map((m) => [m.kind, [m.dealCount, m.value]]));
  expect(figures).toEqual({
    CREATED: [1, 1100], REOPENED: [1, 800], PULLED_IN: [0, 0], INCREASED: [2, 550], PUSHED_OUT: [0, 0],
    WON: [1, 3000], LOST: [1, 4000], DELETED: [1, 500], DECREASED: [1, 800],
  });
  expect(flow.movements.find((m) => m.kind === 'INCREASED')!.deals.nodes.map((n) => n.id)).toEqual([d.A, d.G]);
});

test('a movement pages on from a cursor: the page after matches the whole list, sizes asked together each get theirs', async () => {
  const b = await newBoard(t);
  const { d, from, to } = await story(b);
  const vars = { pipelineId: b.pipeline.id, range: { from, to } };
  const increased = (flow: { movements: { kind: string; deals: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } }[] }) =>
    flow.movements.find((m) => m.kind === 'INCREASED')!.deals;
  // INCREASED without closingIn: A by 500, G by 50 (the order of the whole list above).
  const first = increased(ok(await gql(t.url, b.admin, PipelineFlowDocument, { ...vars, first: 1 })).pipelineFlow);
  expect([first.nodes.map((n) => n.id), first.pageInfo.hasNextPage]).toEqual([[d.A], true]);
  const next = increased(ok(await gql(t.url, b.admin, PipelineFlowDocument, { ...vars, first: 1, after: first.pageInfo.endCursor }))
    .pipelineFlow);
  expect([next.nodes.map((n) => n.id), next.pageInfo.hasNextPage]).toEqual([[d.G], false]);

  const sizes = ok(await gql(t.url, b.admin, PipelineFlowPageSizesDocument, vars)).pipelineFlow.movements
    .find((m) => m.kind === 'INCREASED')!;
  expect([sizes.one.nodes.map((n) => n.id), sizes.one.pageInfo.hasNextPage, sizes.all.nodes.map((n) => n.id)])
    .toEqual([[d.A], true, [d.A, d.G]]);
});

test('a history played with backdated steps is read at those dates: snapshots and flows between them', async () => {
  const b = await newBoard(t);
  const day = (date: string) => `${date}T00:00:00.000Z`;
  const id = await playDeal(t.url, b.admin, b.pipeline.id, [
    { at: day('2026-03-01'), create: { stageId: b.open[0].id, value: 1000 } },
    { at: day('2026-04-01'), move: b.open[1].id },
    { at: day('2026-05-01'), win: true },
  ]);
  const board = async (asOf: string) => ok(await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf }))
    .pipelineSnapshot.stages.flatMap((s) => s.deals.nodes.map((n) => [s.stage.id, n.deal.id, n.stageEnteredAt]));
  expect(await board(day('2026-02-15'))).toEqual([]);
  expect(await board(day('2026-03-15'))).toEqual([[b.open[0].id, id, day('2026-03-01')]]);
  expect(await board(day('2026-04-15'))).toEqual([[b.open[1].id, id, day('2026-04-01')]]);
  expect(await board(day('2026-05-15'))).toEqual([]);
  const moved = async (from: string, to: string) => ok(await gql(t.url, b.admin, PipelineFlowDocument, {
    pipelineId: b.pipeline.id, range: { from: day(from), to: day(to) } })).pipelineFlow.movements
    .filter((m) => m.dealCount > 0).map((m) => [m.kind, m.value, m.deals.nodes.map((n) => n.id)]);
  expect(await moved('2026-02-15', '2026-04-15')).toEqual([['CREATED', 1000, [id]]]);
  expect(await moved('2026-03-15', '2026-04-15')).toEqual([]);
  expect(await moved('2026-04-15', '2026-05-15')).toEqual([['WON', 1000, [id]]]);
});

test('pipelineSnapshot shows the open deals as they stood, per stage, by value; later changes do not show', async () => {
  const b = await newBoard(t);
  const { d, from } = await story(b);
  const snap = ok(await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf: from, first: 2 }))
    .pipelineSnapshot;
  expect(snap.asOf).toBe(from);
  expect(snap.pipeline.id).toBe(b.pipeline.id);
  // open[0]: A 1000, D 4000, G 700, I 900; open[1]: B 2000, E 500, J 50; open[2]: C 3000, F 600, K 100.
  expect(snap.stages.map((s) => [s.stage.id, s.dealCount, s.value])).toEqual([
    [b.open[0].id, 4, 6600], [b.open[1].id, 3, 2550], [b.open[2].id, 3, 3700],
  ]);
  expect([snap.openDealCount, snap.openValue]).toEqual([10, 12850]);
  const probabilities = b.pipeline.stages.filter((s) => s.kind === 'OPEN').map((s) => s.probability);
  expect(snap.stages.map((s) => s.weightedValue)).toEqual(snap.stages.map((s, i) => Number((s.value * probabilities[i]).toFixed(6))));
  const first = snap.stages[0].deals;
  expect(first.nodes.map((n) => [n.deal.id, n.title, n.value, n.status, n.stage.id])).toEqual([
    [d.D, 'D', 4000, 'OPEN', b.open[0].id], [d.A, 'A', 1000, 'OPEN', b.open[0].id],
  ]);
  expect([first.totalCount, first.pageInfo.hasNextPage]).toEqual([4, true]);
  expect(first.nodes[0].expectedCloseDate).toBe(IN);

  const next = ok(await gql(t.url, b.admin, PipelineSnapshotDocument, {
    pipelineId: b.pipeline.id, asOf: from, first: 2, after: first.pageInfo.endCursor,
  })).pipelineSnapshot.stages[0].deals;
  expect(next.nodes.map((n) => n.deal.id)).toEqual([d.I, d.G]);
  expect(next.pageInfo.hasNextPage).toBe(false);
});

test("a snapshot's deals show their fields then, and `deal` each deal as it is now, deleted or closed since", async () => {
  const b = await newBoard(t);
  const { d, from } = await story(b);
  const stages = ok(await gql(t.url, b.admin, PipelineSnapshotDealsNowDocument, { pipelineId: b.pipeline.id, asOf: from }))
    .pipelineSnapshot.stages.map((s) => s.deals.edges.map(({ node: n }) => [n.title, n.value, n.deal.id, n.deal.value, n.deal.status]));
  expect(stages.slice(0, 2)).toEqual([
    [['D', 4000, d.D, 4000, 'LOST'], ['A', 1000, d.A, 9999, 'OPEN'], ['I', 900, d.I, 900, 'OPEN'], ['G', 700, d.G, 750, 'OPEN']],
    [['B', 2000, d.B, 1200, 'LOST'], ['E', 500, d.E, 500, 'OPEN'], ['J', 50, d.J, 50, 'OPEN']],
  ]);
});
