import { PipelineFlowDocument, PipelineSnapshotDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { Board, newBoard } from '../factories/workspace.factory';
import { dealWrites, mark } from './history-helpers';
import { DealState, KINDS, oracleFlow, oracleSnapshot, seeded, Window } from './history-oracle';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const DATES = ['2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z', '2027-03-01T00:00:00.000Z', '2027-04-01T00:00:00.000Z'];
const cents = (value: number) => Math.round(value * 100);

/** A deal value; one in three from a few round sums, so that equal values (ordered by deal id) occur. */
const randomValue = (rng: ReturnType<typeof seeded>) => (rng.next() < 1 / 3 ? rng.pick([500, 1000, 2500]) : (1 + rng.int(500_000)) / 100);

/** Random writes to a board, with the oracle's copy of every deal taken at each mark. */
async function randomHistory(b: Board, seed: number) {
  const rng = seeded(seed);
  const w = dealWrites(t, b.admin);
  const deals = new Map<string, DealState>();
  const marks: { at: string; states: Map<string, DealState> }[] = [];
  const takeMark = async () => marks.push({ at: await mark(), states: new Map([...deals].map(([id, d]) => [id, { ...d }])) });
  const open = b.open.map((s) => s.id);
  await takeMark();
  for (let step = 0; step < 36; step++) {
    const live = [...deals.values()].filter((d) => d.exists);
    const deal = live.length && rng.next() < 0.8 ? rng.pick(live) : null;
    if (!deal) {
      const stageId = rng.pick(open);
      const value = randomValue(rng);
      const close = rng.next() < 0.2 ? null : rng.pick(DATES);
      const { id } = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId, title: `D${step}`, value, expectedCloseDate: close });
      deals.set(id, { id, exists: true, status: 'OPEN', stageId, lastOpenStageId: stageId, cents: cents(value), close });
    } else {
      const action = rng.pick(['value', 'close', 'move', 'win', 'lose', 'reopen', 'delete', 'value', 'close'] as const);
      if (action === 'value') {
        const value = randomValue(rng);
        await w.update(deal.id, { value });
        deal.cents = cents(value);
      } else if (action === 'close') {
        deal.close = rng.next() < 0.2 ? null : rng.pick(DATES);
        await w.update(deal.id, { expectedCloseDate: deal.close });
      } else if (action === 'move') {
        const stageId = rng.pick(open.filter((s) => s !== deal.stageId));
        await w.move(deal.id, stageId);
        Object.assign(deal, { stageId, lastOpenStageId: stageId, status: 'OPEN' });
      } else if (action === 'win' && deal.status !== 'WON') {
        await w.win(deal.id);
        Object.assign(deal, { status: 'WON', stageId: b.won.id });
      } else if (action === 'lose' && deal.status !== 'LOST') {
        await w.lose(deal.id);
        Object.assign(deal, { status: 'LOST', stageId: b.lost.id });
      } else if (action === 'reopen' && deal.status !== 'OPEN') {
        await w.reopen(deal.id);
        Object.assign(deal, { status: 'OPEN', stageId: deal.lastOpenStageId });
      } else if (action === 'delete' && rng.next() < 0.5) {
        await w.remove(deal.id);
        deal.exists = false;
      }
    }
    if (step % 4 === 3) await takeMark();
  }
  await takeMark();
  return { rng, marks };
}

/** A stage's open deals at a mark as [id, cents], by value (largest first), then id: a snapshot's page order. */
function byValue(stageId: string, states: Map<string, DealState>): [string, number][] {
  return [...states.values()].filter((d) => d.exists && d.status === 'OPEN' && d.stageId === stageId)
    .sort((x, y) => y.cents - x.cents || (x.id < y.id ? -1 : 1)).map((d) => [d.id, d.cents]);
}

/** Stage `k`'s deals in a snapshot, read two at a time by following its cursors. */
async function pagedStage(b: Board, asOf: string, k: number): Promise<[string, number][]> {
  const page = async (after: string | null) => ok(await gql(t.url, b.admin, PipelineSnapshotDocument, {
    pipelineId: b.pipeline.id, asOf, first: 2, after })).pipelineSnapshot.stages[k].deals;
  const seen: [string, number][] = [];
  for (let deals = await page(null); ; deals = await page(deals.pageInfo.endCursor ?? null)) {
    seen.push(...deals.nodes.map((n): [string, number] => [n.deal.id, cents(n.value)]));
    if (!deals.pageInfo.hasNextPage) return seen;
  }
}

describe.each([11, 23, 37])('a random history (seed %i) replayed by hand', (seed) => {
  test('flows between random marks match the oracle, deal by deal, and start + ins − outs = end to the cent', async () => {
    const b = await newBoard(t);
    const { rng, marks } = await randomHistory(b, seed);
    const windows: Window[] = [undefined, { from: DATES[1], to: DATES[3] }, { from: DATES[2] }, { to: DATES[1] }];
    for (let round = 0; round < 12; round++) {
      const i = rng.int(marks.length - 1);
      const j = i + 1 + rng.int(marks.length - 1 - i);
      const window = rng.pick(windows);
      const flow = ok(await gql(t.url, b.admin, PipelineFlowDocument, {
        pipelineId: b.pipeline.id, range: { from: marks[i].at, to: marks[j].at }, closingIn: window ?? null, first: 500,
      })).pipelineFlow;
      const expected = oracleFlow(marks[i].states, marks[j].states, window);
      const where = `seed ${seed}, marks ${i}..${j}, window ${JSON.stringify(window)}`;
      expect([where, flow.start.dealCount, cents(flow.start.value)]).toEqual([where, expected.start.count, expected.start.cents]);
      expect([where, flow.end.dealCount, cents(flow.end.value)]).toEqual([where, expected.end.count, expected.end.cents]);
      for (const m of flow.movements) {
        const want = expected.movements[m.kind];
        expect([where, m.kind, m.dealCount, cents(m.value), m.deals.nodes.map((n) => n.id).sort()])
          .toEqual([where, m.kind, want.ids.length, want.cents, [...want.ids].sort()]);
      }
      // The identity, from the answer alone.
      const by = Object.fromEntries(flow.movements.map((m) => [m.kind, m]));
      const ins = ['CREATED', 'REOPENED', 'PULLED_IN', 'INCREASED'].reduce((s, k) => s + cents(by[k].value), 0);
      const outs = ['PUSHED_OUT', 'WON', 'LOST', 'DELETED', 'DECREASED'].reduce((s, k) => s + cents(by[k].value), 0);
      expect(cents(flow.start.value) + ins - outs).toBe(cents(flow.end.value));
      const countIn = ['CREATED', 'REOPENED', 'PULLED_IN'].reduce((s, k) => s + by[k].dealCount, 0);
      const countOut = ['PUSHED_OUT', 'WON', 'LOST', 'DELETED'].reduce((s, k) => s + by[k].dealCount, 0);
      expect(flow.start.dealCount + countIn - countOut).toBe(flow.end.dealCount);
      expect(flow.movements.map((m) => m.kind)).toEqual([...KINDS]);
    }

    for (const { at, states } of marks) {
      const snap = ok(await gql(t.url, b.admin, PipelineSnapshotDocument, { pipelineId: b.pipeline.id, asOf: at, first: 500 }))
        .pipelineSnapshot;
      const expected = oracleSnapshot(states);
      expect(snap.stages.map((s) => [s.stage.id, s.dealCount, cents(s.value), s.deals.nodes.map((n) => n.deal.id).sort()]))
        .toEqual(b.open.map((s) => {
          const stage = expected.get(s.id) ?? { ids: [], cents: 0 };
          return [s.id, stage.ids.length, stage.cents, [...stage.ids].sort()];
        }));
      expect(snap.stages.every((s) => s.deals.nodes.every((n, k, all) => k === 0 || all[k - 1].value >= n.value))).toBe(true);
      for (const [k, stage] of b.open.entries()) {
        expect([at, stage.id, await pagedStage(b, at, k)]).toEqual([at, stage.id, byValue(stage.id, states)]);
      }
    }
  });
});
