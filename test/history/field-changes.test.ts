import {
  CompleteActivityDocument, DealEventChangesDocument, DealSlipsDocument, DeleteDealDocument, LogActivityDocument, LoseDealDocument,
  MoveDealDocument, ReopenDealDocument, UpdateDealDocument, WinDealDocument,
} from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard, signIn } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const JAN = '2027-01-15T00:00:00.000Z';
const FEB = '2027-02-15T00:00:00.000Z';
const MAR = '2027-03-31T12:30:00.000Z';

/** The `changes` of a deal's events, oldest first, with their types, straight from the log. */
const loggedChanges = (dealId: string) =>
  sql<{ type: string; changes: unknown[] }>('SELECT type, changes FROM deal_events WHERE deal_id = $1 ORDER BY seq', [dealId]);

describe('field history on the write path', () => {
  test('each write records exactly the tracked fields it set, as the API shows them, and slips are counted', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP'));
    const deal = await createDeal(t.url, b.admin, {
      pipelineId: b.pipeline.id, title: 'Acme rollout', value: 12500, ownerId: 'rep-user', expectedCloseDate: JAN,
    });
    const update = (input: Record<string, unknown>) => gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input });
    ok(await update({ value: 13000, expectedCloseDate: FEB })); // a slip: JAN → FEB
    ok(await update({ expectedCloseDate: JAN })); // pulled in: no slip
    ok(await update({ expectedCloseDate: null })); // cleared: no slip
    ok(await update({ expectedCloseDate: FEB })); // set from none: no slip
    ok(await update({ expectedCloseDate: MAR, title: 'Acme rollout, phase 1' })); // a slip
    ok(await update({ value: 13000 })); // the value it has: no change, so no event
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[1].id }));
    ok(await gql(t.url, b.admin, LoseDealDocument, { id: deal.id, reason: 'Budget cut' }));
    ok(await update({ expectedCloseDate: '2027-06-01T00:00:00.000Z' })); // later, but not OPEN: no slip
    ok(await gql(t.url, b.admin, ReopenDealDocument, { id: deal.id }));
    ok(await gql(t.url, b.admin, WinDealDocument, { id: deal.id }));
    ok(await gql(t.url, b.admin, DeleteDealDocument, { id: deal.id }));

    const [s0, s1] = [b.open[0].id, b.open[1].id];
    const c = (field: string, from: string | null, to: string | null) => ({ field, from, to });
    expect(await loggedChanges(deal.id)).toEqual([
      { type: 'CREATED', changes: [c('TITLE', null, 'Acme rollout'), c('VALUE', null, '12500.00'), c('STAGE', null, s0),
        c('STATUS', null, 'OPEN'), c('OWNER', null, 'rep-user'), c('EXPECTED_CLOSE_DATE', null, JAN)] },
      { type: 'UPDATED', changes: [c('VALUE', '12500.00', '13000.00'), c('EXPECTED_CLOSE_DATE', JAN, FEB)] },
      { type: 'UPDATED', changes: [c('EXPECTED_CLOSE_DATE', FEB, JAN)] },
      { type: 'UPDATED', changes: [c('EXPECTED_CLOSE_DATE', JAN, null)] },
      { type: 'UPDATED', changes: [c('EXPECTED_CLOSE_DATE', null, FEB)] },
      { type: 'UPDATED', changes: [c('TITLE', 'Acme rollout', 'Acme rollout, phase 1'), c('EXPECTED_CLOSE_DATE', FEB, MAR)] },
      { type: 'MOVED', changes: [c('STAGE', s0, s1)] },
      { type: 'LOST', changes: [c('STAGE', s1, b.lost.id), c('STATUS', 'OPEN', 'LOST'), c('LOST_REASON', null, 'Budget cut')] },
      { type: 'UPDATED', changes: [c('EXPECTED_CLOSE_DATE', MAR, '2027-06-01T00:00:00.000Z')] },
      { type: 'REOPENED', changes: [c('STAGE', b.lost.id, s1), c('STATUS', 'LOST', 'OPEN'), c('LOST_REASON', 'Budget cut', null)] },
      { type: 'WON', changes: [c('STAGE', s1, b.won.id), c('STATUS', 'OPEN', 'WON')] },
      { type: 'DELETED', changes: [] },
    ]);
    const [{ slip_count }] = await sql<{ slip_count: number }>('SELECT slip_count FROM deals WHERE id = $1', [deal.id]);
    expect(slip_count).toBe(2);
  });

  test('Deal.slipCount is served; an activity touches no tracked field', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Slipping', value: 10, expectedCloseDate: JAN });
    ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { expectedCloseDate: FEB } }));
    const activity = ok(await gql(t.url, b.admin, LogActivityDocument, { input: { dealId: deal.id, type: 'CALL', subject: 'Call' } }));
    ok(await gql(t.url, b.admin, CompleteActivityDocument, { id: activity.logActivity.id }));
    expect(ok(await gql(t.url, b.admin, DealSlipsDocument, { id: deal.id })).deal).toEqual({ id: deal.id, slipCount: 1 });
    const logged = await loggedChanges(deal.id);
    expect(logged.slice(2).map((e) => e.changes)).toEqual(logged.slice(2).map(() => []));
  });

  test('every write also lands in the durable history, with the state it ended, even when the log row is gone', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Kept', value: 500 });
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[2].id }));
    ok(await gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { value: 750 } }));
    const events = await sql<{ seq: string; changes: unknown[]; occurred_at: Date }>(
      'SELECT seq::text, changes, occurred_at FROM deal_events WHERE deal_id = $1 ORDER BY deal_events.seq', [deal.id]);
    await sql('DELETE FROM deal_events WHERE deal_id = $1', [deal.id]); // as retention does
    const history = await sql<Record<string, unknown>>(
      `SELECT seq::text, type, changes, valid_from, valid_to, stage_id, status, value::text FROM deal_history
       WHERE deal_id = $1 ORDER BY valid_to`, [deal.id]);
    expect(history.map((h) => [h.seq, h.changes])).toEqual(events.map((e) => [e.seq, e.changes]));
    expect(history.map((h) => (h.valid_to as Date).getTime())).toEqual(events.map((e) => e.occurred_at.getTime()));
    // Each row holds the state that its change ended, valid since the change before it.
    expect(history.map((h) => [h.type, h.stage_id, h.status, h.value])).toEqual([
      ['CREATED', null, null, null], ['MOVED', b.open[0].id, 'OPEN', '500.00'], ['UPDATED', b.open[2].id, 'OPEN', '500.00'],
    ]);
    expect(history.slice(1).map((h) => h.valid_from)).toEqual(history.slice(0, -1).map((h) => h.valid_to));
  });

  test('subscribers receive each event with its changes', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Live', value: 99.5 });
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: b.open[1].id }));
    const client = wsClient(t.url, b.admin);
    try {
      const sub = client.subscribe(DealEventChangesDocument, { pipelineId: b.pipeline.id, after: '0' });
      const [, moved] = (await sub.waitFor(2)).map((m) => m.dealEvents);
      expect(moved).toMatchObject({ type: 'MOVED', changes: [{ field: 'STAGE', from: b.open[0].id, to: b.open[1].id }] });
    } finally {
      await client.dispose();
    }
  });
});
