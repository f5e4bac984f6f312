import { DeleteDealDocument, LoseDealDocument, MoveDealDocument, ReopenDealDocument, WinDealDocument } from '../generated/graphql';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { Board, newBoard, readDeal, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const later = (a: string, b: string) => new Date(a).getTime() > new Date(b).getTime();

async function dealIn(b: Board, stage = b.open[0]) {
  return createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: stage.id, title: 'Acme rollout', value: 1234.56 });
}

/** Stage moves, wins, losses and reopenings: status, closedAt, stageEnteredAt, history and version. */
describe('moveDeal, winDeal, loseDeal, reopenDeal', () => {
  test('a deal through its life: move, win, reopen, lose, reopen; status, clocks, history and version follow', async () => {
    const b = await newBoard(t);
    const deal = await dealIn(b);

    const moved = ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[1].id, expectedVersion: 1 })).moveDeal;
    expect(moved).toMatchObject({ status: 'OPEN', version: 2, closedAt: null, stage: { id: b.open[1].id } });
    expect(later(moved.stageEnteredAt, deal.stageEnteredAt)).toBe(true);

    const won = ok(await gql(t.url, b.admin, WinDealDocument, { id: deal.id, expectedVersion: 2 })).winDeal;
    expect(won).toMatchObject({ status: 'WON', version: 3, stage: { id: b.won.id } });
    expect(won.closedAt).toBe(won.stageEnteredAt);

    const reopened = ok(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id })).reopenDeal;
    expect(reopened).toMatchObject({ status: 'OPEN', version: 4, closedAt: null, stage: { id: b.open[1].id } }); // last OPEN stage

    const lost = ok(await gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: 'Budget cut', expectedVersion: 4 })).loseDeal;
    expect(lost).toMatchObject({ status: 'LOST', version: 5, lostReason: 'Budget cut', stage: { id: b.lost.id } });
    expect(lost.closedAt).not.toBeNull();

    const back = ok(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id, stageId: b.open[0].id })).reopenDeal;
    expect(back).toMatchObject({ status: 'OPEN', version: 6, closedAt: null, lostReason: null, stage: { id: b.open[0].id } });

    // Every step entered a stage, so each restarted the stage clock; closing set closedAt at that moment.
    const steps = [deal, moved, won, reopened, lost, back];
    for (let i = 1; i < steps.length; i++) expect(later(steps[i].stageEnteredAt, steps[i - 1].stageEnteredAt)).toBe(true);
    expect(lost.closedAt).toBe(lost.stageEnteredAt);
    expect(lost.updatedAt).toBe(lost.stageEnteredAt);

    const final = await readDeal(t, b.admin, deal.id);
    expect(final.history.map((h) => [h.fromStage?.id ?? null, h.toStage.id])).toEqual([
      [null, b.open[0].id],
      [b.open[0].id, b.open[1].id],
      [b.open[1].id, b.won.id],
      [b.won.id, b.open[1].id],
      [b.open[1].id, b.lost.id],
      [b.lost.id, b.open[0].id],
    ]);
    const times = final.history.map((h) => new Date(h.changedAt).getTime());
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(final.history.at(-1)!.changedAt).toBe(final.stageEnteredAt);
  });

  test('moving into the WON stage wins, out of a closed stage reopens', async () => {
    const b = await newBoard(t);
    const deal = await dealIn(b);
    const won = ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.won.id })).moveDeal;
    expect(won).toMatchObject({ status: 'WON', version: 2 });
    expect(won.closedAt).not.toBeNull();
    const reopened = ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[2].id })).moveDeal;
    expect(reopened).toMatchObject({ status: 'OPEN', closedAt: null, version: 3, stage: { id: b.open[2].id } });
  });

  test('moveDeal refuses LOST, a stage of another pipeline, an unknown stage, and a malformed id; nothing written', async () => {
    const b = await newBoard(t);
    const second = await createPipeline(t.url, b.admin, 2, 'Renewals');
    const deal = await dealIn(b);
    const before = await snapshot(b.ws.id);
    const move = (stageId: string, id = deal.id) => gql(t.url, b.admin, MoveDealDocument, { id, stageId });
    expect(errorCodes(await move(b.lost.id))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await move(second.stages[0].id))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await move(UNKNOWN_ID))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await move('stage-1'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await move(b.open[1].id, UNKNOWN_ID))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await move(b.open[1].id, 'not-an-id'))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);
  });

  test('loseDeal without a reason, winning a won deal and reopening an open one fail and write nothing', async () => {
    const b = await newBoard(t);
    const deal = await dealIn(b);
    const before = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: '   ' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: 'x'.repeat(501) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);

    ok(await gql(t.url, b.admin, WinDealDocument, { id: deal.id }));
    const won = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, WinDealDocument, { id: deal.id }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id, stageId: b.lost.id }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(won);
  });

  test('a stale expectedVersion answers CONFLICT for move, win, lose, reopen and delete, and changes nothing', async () => {
    const b = await newBoard(t);
    const deal = await dealIn(b);
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[1].id }));
    const before = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[2].id, expectedVersion: 1 }))).toEqual(['CONFLICT']);
    expect(errorCodes(await gql(t.url, b.admin, WinDealDocument, { id: deal.id, expectedVersion: 1 }))).toEqual(['CONFLICT']);
    expect(errorCodes(await gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: 'Gone', expectedVersion: 3 }))).toEqual(['CONFLICT']);
    expect(errorCodes(await gql(t.url, b.admin, DeleteDealDocument, { id: deal.id, expectedVersion: 1 }))).toEqual(['CONFLICT']);
    expect(await snapshot(b.ws.id)).toEqual(before);

    ok(await gql(t.url, b.admin, WinDealDocument, { id: deal.id, expectedVersion: 2 }));
    const won = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id, expectedVersion: 2 }))).toEqual(['CONFLICT']);
    expect(await snapshot(b.ws.id)).toEqual(won);
    expect(ok(await gql(t.url, b.admin, DeleteDealDocument, { id: deal.id, expectedVersion: 3 })).deleteDeal).toBe(true);
  });
});
