import {
  CreatePipelineDocument, UpdateDealDocument, DealHealthDocument, DealsByHealthDocument, HealthReason, LogActivityDocument, LoseDealDocument,
  WinDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, stagesOf } from '../factories/pipeline.factory';

const DAY = 86_400_000;
const REASONS: HealthReason[] = ['ROTTING', 'CLOSE_DATE_PASSED', 'NO_CLOSE_DATE', 'SLIPPED', 'NO_NEXT_STEP'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/** A workspace with a pipeline whose first stage rots after 10 days and whose second never does. */
async function rottingBoard() {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const stages = stagesOf(2, 10).map((s) => (s.name === 'Stage 2' ? { ...s, rottingAfterDays: null } : s));
  const pipeline = ok(await gql(t.url, admin, CreatePipelineDocument, { input: { name: 'Health', stages } })).createPipeline;
  const [s1, s2, won, lost] = pipeline.stages;
  return { ws, admin, pipeline, s1, s2, won, lost };
}

type Board = Awaited<ReturnType<typeof rottingBoard>>;

/** A deal whose clock is set by hand: days since it entered its stage and since its last activity (null: none). */
interface Shape {
  stage: 's1' | 's2';
  inStageDays: number;
  idleDays: number | null;
  closeInDays: number | null;
  /** An activity not done, due this many days from now (negative: overdue); null: none. */
  dueInDays: number | null;
  status: 'OPEN' | 'WON' | 'LOST';
  /** Its expected close date was pushed out once while OPEN (then set as closeInDays says). */
  slipped?: boolean;
}

async function dealOf(board: Board, shape: Shape, title: string): Promise<string> {
  const now = Date.now();
  const closeDate = shape.closeInDays === null ? null : new Date(now + shape.closeInDays * DAY).toISOString();
  const deal = await createDeal(t.url, board.admin, {
    pipelineId: board.pipeline.id, stageId: board[shape.stage].id, title, value: 100,
    expectedCloseDate: shape.slipped ? new Date(now - 30 * DAY).toISOString() : closeDate ?? undefined,
  });
  if (shape.slipped) {
    // Pushed out a month, then set to its final date (or cleared): neither of those undoes the slip.
    const update = (expectedCloseDate: string | null) => gql(t.url, board.admin, UpdateDealDocument, { id: deal.id, input: { expectedCloseDate } });
    ok(await update(new Date(now).toISOString()));
    ok(await update(closeDate));
  }
  if (shape.dueInDays !== null) {
    ok(await gql(t.url, board.admin, LogActivityDocument, {
      input: { type: 'TASK', subject: 'Next step', dealId: deal.id, dueAt: new Date(now + shape.dueInDays * DAY).toISOString() },
    }));
  }
  if (shape.status === 'WON') ok(await gql(t.url, board.admin, WinDealDocument, { id: deal.id }));
  if (shape.status === 'LOST') ok(await gql(t.url, board.admin, LoseDealDocument, { id: deal.id, reason: 'Price' }));
  await sql('UPDATE deals SET stage_entered_at = $2, last_activity_at = $3 WHERE id = $1', [
    deal.id, new Date(now - shape.inStageDays * DAY), shape.idleDays === null ? null : new Date(now - shape.idleDays * DAY),
  ]);
  return deal.id;
}

/** The reasons CONTRACT §8 gives a deal of this shape. */
function expectedReasons(shape: Shape): HealthReason[] {
  if (shape.status !== 'OPEN') return [];
  const idle = Math.min(shape.inStageDays, shape.idleDays ?? Infinity);
  const reasons: Record<HealthReason, boolean> = {
    ROTTING: shape.stage === 's1' && idle > 10,
    CLOSE_DATE_PASSED: shape.closeInDays !== null && shape.closeInDays < 0,
    NO_CLOSE_DATE: shape.closeInDays === null,
    SLIPPED: shape.slipped === true,
    NO_NEXT_STEP: !(shape.dueInDays !== null && shape.dueInDays >= 0),
  };
  return REASONS.filter((r) => reasons[r]);
}

describe('a hand-built board', () => {
  let board: Board;
  const ids: Record<string, string> = {};
  const shapes: Record<string, Shape> = {
    // Idle 12 days in a stage that rots after 10, due yesterday, nothing planned.
    A: { stage: 's1', inStageDays: 12, idleDays: null, closeInDays: -1, dueInDays: null, status: 'OPEN' },
    // Entered 12 days ago but active 2 days ago, closes in 30 days, a task due tomorrow: healthy.
    B: { stage: 's1', inStageDays: 12, idleDays: 2, closeInDays: 30, dueInDays: 1, status: 'OPEN' },
    // 40 days in a stage that never rots, no close date, its only task overdue.
    C: { stage: 's2', inStageDays: 40, idleDays: 40, closeInDays: null, dueInDays: -1, status: 'OPEN' },
    // Won without a close date and without a next step: closed deals have no reasons.
    D: { stage: 's1', inStageDays: 30, idleDays: null, closeInDays: null, dueInDays: null, status: 'WON' },
    // A fresh deal with a close date and nothing planned.
    E: { stage: 's1', inStageDays: 1, idleDays: null, closeInDays: 5, dueInDays: null, status: 'OPEN' },
    // Its close date was pushed out, and it has a next step.
    F: { stage: 's2', inStageDays: 3, idleDays: 1, closeInDays: 20, dueInDays: 2, status: 'OPEN', slipped: true },
    // Pushed out, then won: closed deals list nothing.
    G: { stage: 's1', inStageDays: 3, idleDays: 1, closeInDays: 20, dueInDays: 2, status: 'WON', slipped: true },
  };

  beforeAll(async () => {
    board = await rottingBoard();
    for (const [title, shape] of Object.entries(shapes)) ids[title] = await dealOf(board, shape, title);
  });

  test('each deal has its reasons in enum order, and its days', async () => {
    const health: Record<string, unknown> = {};
    for (const title of Object.keys(shapes)) {
      const deal = ok(await gql(t.url, ws().token('ANALYST'), DealHealthDocument, { id: ids[title] })).deal!;
      health[title] = deal.health.reasons;
      const shape = shapes[title];
      // Set a moment before the request: now − stageEnteredAt is that, to well within a minute.
      expect(deal.health.daysInStage).toBeCloseTo(shape.inStageDays, 2);
      if (shape.idleDays === null) expect(deal.health.daysSinceActivity).toBeNull();
      else expect(deal.health.daysSinceActivity).toBeCloseTo(shape.idleDays, 2);
    }
    expect(health).toEqual({
      A: ['ROTTING', 'CLOSE_DATE_PASSED', 'NO_NEXT_STEP'],
      B: [],
      C: ['NO_CLOSE_DATE', 'NO_NEXT_STEP'],
      D: [],
      E: ['NO_NEXT_STEP'],
      F: ['SLIPPED'],
      G: [],
    });
  });

  const ws = () => board.ws;
  const titles = async (healthReasons: HealthReason[] | null, status?: 'OPEN' | 'WON') => {
    const data = ok(await gql(t.url, board.admin, DealsByHealthDocument, {
      filter: { pipelineId: board.pipeline.id, healthReasons, status }, first: 50,
    }));
    return data.deals.nodes.map((d) => d.title).sort();
  };

  test('healthReasons lists the deals with any of the reasons; [] and null set no condition', async () => {
    expect(await titles(['ROTTING'])).toEqual(['A']);
    expect(await titles(['NO_NEXT_STEP'])).toEqual(['A', 'C', 'E']);
    expect(await titles(['CLOSE_DATE_PASSED', 'NO_CLOSE_DATE'])).toEqual(['A', 'C']);
    expect(await titles(['SLIPPED'])).toEqual(['F']);
    expect(await titles(['SLIPPED', 'ROTTING'])).toEqual(['A', 'F']);
    expect(await titles([])).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(await titles(null)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(await titles(['NO_CLOSE_DATE', 'NO_NEXT_STEP'], 'WON')).toEqual([]);
  });

  test('another workspace sees neither the deals nor their health', async () => {
    const stranger = newWorkspace().token('ADMIN');
    expect(errorCodes(await gql(t.url, stranger, DealHealthDocument, { id: ids.A }))).toEqual(['NOT_FOUND']);
    const listed = ok(await gql(t.url, stranger, DealsByHealthDocument, { filter: { healthReasons: REASONS } })).deals;
    expect(listed.totalCount).toBe(0);
  });

  test('every role reads health', async () => {
    for (const role of ['ADMIN', 'MANAGER', 'REP', 'ANALYST'] as const) {
      const deal = ok(await gql(t.url, board.ws.token(role), DealHealthDocument, { id: ids.C })).deal!;
      expect(deal.health.reasons).toEqual(['NO_CLOSE_DATE', 'NO_NEXT_STEP']);
    }
  });
});

test('random deals: health and the filter agree with an oracle computed here', async () => {
  const board = await rottingBoard();
  // A seeded generator, so that a failure can be replayed; half-days keep clear of the thresholds.
  let seed = 15;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const half = (max: number) => Math.floor(random() * max) + 0.5;
  const shapes = new Map<string, Shape>();
  for (let i = 0; i < 36; i++) {
    const inStageDays = half(25);
    const shape: Shape = {
      stage: pick(['s1', 's2']), inStageDays,
      idleDays: pick([null, half(25)]),
      closeInDays: pick([null, half(20) - 10]),
      dueInDays: pick([null, half(10) - 5]),
      status: pick(['OPEN', 'OPEN', 'OPEN', 'WON', 'LOST']),
      slipped: random() < 0.3,
    };
    shapes.set(await dealOf(board, shape, `R${i}`), shape);
  }
  for (const [id, shape] of shapes) {
    const deal = ok(await gql(t.url, board.admin, DealHealthDocument, { id })).deal!;
    expect({ id, reasons: deal.health.reasons }).toEqual({ id, reasons: expectedReasons(shape) });
  }
  for (const reasons of [['ROTTING'], ['NO_NEXT_STEP'], ['SLIPPED'], ['CLOSE_DATE_PASSED', 'NO_CLOSE_DATE'], REASONS] as HealthReason[][]) {
    const listed = ok(await gql(t.url, board.admin, DealsByHealthDocument, {
      filter: { pipelineId: board.pipeline.id, healthReasons: reasons }, first: 100,
    })).deals;
    const expected = [...shapes].filter(([, s]) => expectedReasons(s).some((r) => reasons.includes(r))).map(([id]) => id);
    expect(listed.nodes.map((d) => d.id).sort()).toEqual(expected.sort());
    expect(listed.totalCount).toBe(expected.length);
  }
});
