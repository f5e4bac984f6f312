import {
  BoardDocument, CreateDealDocument, DealDocument, DealsDocument, DeleteDealDocument, MoveDealDocument, UpdateDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { Board, createLead, newBoard, readDeal, signIn, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const later = (a: string, b: string) => new Date(a).getTime() > new Date(b).getTime();

async function dealIn(b: Board, stage = b.open[0]) {
  return createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, stageId: stage.id, title: 'Acme rollout', value: 1234.56 });
}

describe('createDeal', () => {
  test('starts OPEN at version 1 in the first OPEN stage, with one history entry from nowhere', async () => {
    const b = await newBoard(t);
    const created = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: '  Acme rollout ', value: 1234.56 });
    expect(created).toMatchObject({ title: 'Acme rollout', value: 1234.56, status: 'OPEN', version: 1, closedAt: null, lostReason: null });
    expect(created.stage.id).toBe(b.open[0].id);
    expect(created.stageEnteredAt).toBe(created.createdAt);

    const deal = await readDeal(t, b.admin, created.id);
    expect(deal.history.map((h) => [h.fromStage?.id ?? null, h.toStage.id, h.changedBy?.id])).toEqual([[null, b.open[0].id, 'admin-user']]);
  });

  test('with a lead, an owner and an expected close date', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const lead = await createLead(t, b.admin);
    const deal = await createDeal(t.url, b.admin, {
      pipelineId: b.pipeline.id, stageId: b.open[1].id, title: 'Big one', value: 0.1 + 0.2, ownerId: 'rep-1', leadId: lead.id,
      expectedCloseDate: '2027-03-31T00:00:00.000Z',
    });
    expect(deal).toMatchObject({ value: 0.3, owner: { id: 'rep-1' }, lead: { id: lead.id }, expectedCloseDate: '2027-03-31T00:00:00.000Z' });
    expect(deal.stage.id).toBe(b.open[1].id);
  });

  test('refuses a closed stage, another workspace\'s or an unknown stage or pipeline, a taken lead, an unknown owner', async () => {
    const b = await newBoard(t);
    const other = await newBoard(t); // another workspace: its stage is NOT_FOUND here
    const lead = await createLead(t, b.admin);
    await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'First', value: 1, leadId: lead.id });
    const before = await snapshot(b.ws.id);
    const create = (input: object) => gql(t.url, b.admin, CreateDealDocument, { input: { pipelineId: b.pipeline.id, title: 'X', value: 1, ...input } });
    expect(errorCodes(await create({ stageId: b.won.id }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await create({ stageId: other.open[0].id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await create({ stageId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await create({ pipelineId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await create({ leadId: lead.id }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await create({ ownerId: 'nobody-here' }))).toEqual(['NOT_FOUND']);
    expect(await snapshot(b.ws.id)).toEqual(before);
  });

  test('a stage of another pipeline of the same workspace is BAD_USER_INPUT', async () => {
    const b = await newBoard(t);
    const second = await createPipeline(t.url, b.admin, 2, 'Renewals');
    const result = await gql(t.url, b.admin, CreateDealDocument, { input: { pipelineId: b.pipeline.id, stageId: second.stages[0].id, title: 'X', value: 1 } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('updateDeal', () => {
  test('changes the given fields only, bumps the version and keeps the stage clock', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const deal = await dealIn(b);
    const updated = ok(await gql(t.url, b.admin, UpdateDealDocument, {
      id: deal.id, input: { value: 5000, ownerId: 'rep-1', expectedCloseDate: '2027-01-15T00:00:00.000Z' }, expectedVersion: 1,
    })).updateDeal;
    expect(updated).toMatchObject({ title: 'Acme rollout', value: 5000, owner: { id: 'rep-1' }, version: 2, expectedCloseDate: '2027-01-15T00:00:00.000Z' });
    expect(updated.stageEnteredAt).toBe(deal.stageEnteredAt);
    expect(later(updated.updatedAt, deal.updatedAt)).toBe(true);

    const cleared = ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { ownerId: null, expectedCloseDate: null } })).updateDeal;
    expect(cleared).toMatchObject({ owner: null, expectedCloseDate: null, value: 5000, version: 3 });
    expect((await readDeal(t, b.admin, deal.id)).history).toHaveLength(1);
  });

  test('an edit to the values the deal has writes nothing; an edit of some of them records only what changed', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const deal = await dealIn(b); // an admin's deal: no owner
    const same = { title: 'Acme rollout', value: 1234.56, ownerId: null, expectedCloseDate: null };
    const before = await snapshot(b.ws.id);
    const unchanged = ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: same, expectedVersion: 1 })).updateDeal;
    expect(unchanged).toMatchObject({ version: 1, updatedAt: deal.updatedAt, owner: null, title: 'Acme rollout' });
    // The version still guards an edit that would change nothing, and an unknown owner is refused
    // though the deal has none to differ from.
    expect(errorCodes(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: same, expectedVersion: 7 }))).toEqual(['CONFLICT']);
    expect(errorCodes(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { ownerId: 'nobody-here' } }))).toEqual(['NOT_FOUND']);
    expect(await snapshot(b.ws.id)).toEqual(before);

    const edited = ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { ...same, ownerId: 'rep-1' } })).updateDeal;
    expect(edited).toMatchObject({ version: 2, owner: { id: 'rep-1' }, title: 'Acme rollout' });
    const [last] = await sql<{ changes: { field: string }[] }>(
      'SELECT changes FROM deal_events WHERE deal_id = $1 ORDER BY seq DESC LIMIT 1', [deal.id]);
    expect(last.changes.map((c) => c.field)).toEqual(['OWNER']);
    const again = ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { ownerId: 'rep-1', value: 1234.56 } })).updateDeal;
    expect(again).toMatchObject({ version: 2, updatedAt: edited.updatedAt });
  });

  test('refuses a stale expectedVersion, a negative value and an empty title, and writes nothing', async () => {
    const b = await newBoard(t);
    const deal = await dealIn(b);
    ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { title: 'Renamed' } }));
    const before = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { value: 1 }, expectedVersion: 1 }))).toEqual(['CONFLICT']);
    expect(errorCodes(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { value: -1 } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { title: '   ' } }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);
    expect(await readDeal(t, b.admin, deal.id)).toMatchObject({ title: 'Renamed', value: 1234.56, version: 2 });
  });
});

describe('deleteDeal', () => {
  test('a deleted deal disappears from deal, deals and the board', async () => {
    const b = await newBoard(t);
    const keep = await dealIn(b);
    const gone = await dealIn(b);
    expect(ok(await gql(t.url, b.admin, DeleteDealDocument, { id: gone.id })).deleteDeal).toBe(true);

    expect(errorCodes(await gql(t.url, b.admin, DealDocument, { id: gone.id }))).toEqual(['NOT_FOUND']);
    const list = ok(await gql(t.url, b.admin, DealsDocument, {})).deals;
    expect(list.nodes.map((d) => d.id)).toEqual([keep.id]);
    expect(list.totalCount).toBe(1);
    const board = ok(await gql(t.url, b.admin, BoardDocument, { id: b.pipeline.id, first: 20 })).pipeline!;
    expect(board.stages[0].deals.nodes.map((d) => d.id)).toEqual([keep.id]);
    expect(board.stages[0].deals.totalCount).toBe(1);

    expect(errorCodes(await gql(t.url, b.admin, DeleteDealDocument, { id: gone.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, b.admin, MoveDealDocument, { id: gone.id, stageId: b.open[1].id }))).toEqual(['NOT_FOUND']);
  });
});
