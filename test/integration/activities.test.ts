import { CompleteActivityDocument, DeleteDealDocument, LeadDocument, LogActivityDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { createLead, newBoard, readDeal, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe('logActivity and completeActivity', () => {
  test("a deal's lastActivityAt follows its activities: creation time while pending, doneAt once done", async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Deal', value: 100 });
    expect(deal.lastActivityAt).toBeNull();

    const call = ok(await gql(t.url, b.admin, LogActivityDocument, {
      input: { type: 'CALL', subject: 'Discovery call', dealId: deal.id, dueAt: '2030-01-01T10:00:00.000Z' },
    })).logActivity;
    expect(call).toMatchObject({ type: 'CALL', subject: 'Discovery call', doneAt: null, dueAt: '2030-01-01T10:00:00.000Z', owner: { id: 'admin-user' } });
    const [{ created_at: createdAt }] = await sql<{ created_at: Date }>('SELECT created_at FROM activities WHERE id = $1', [call.id]);
    expect(call.deal).toMatchObject({ id: deal.id, version: 2, lastActivityAt: createdAt.toISOString() });

    const done = ok(await gql(t.url, b.admin, CompleteActivityDocument, { id: call.id })).completeActivity;
    expect(done.doneAt).not.toBeNull();
    expect(done.deal).toMatchObject({ id: deal.id, version: 3, lastActivityAt: done.doneAt });

    // Completing again changes nothing.
    const again = ok(await gql(t.url, b.admin, CompleteActivityDocument, { id: call.id })).completeActivity;
    expect(again).toMatchObject({ doneAt: done.doneAt, deal: { version: 3 } });

    const read = await readDeal(t, b.admin, deal.id);
    expect(read.activities.map((a) => [a.id, a.doneAt])).toEqual([[call.id, done.doneAt]]);
  });

  test('an activity done in the past sets lastActivityAt to that time; a later one moves it on', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Deal', value: 100 });
    const note = ok(await gql(t.url, b.admin, LogActivityDocument, {
      input: { type: 'MEETING', subject: 'Met at the fair', dealId: deal.id, doneAt: '2026-01-05T09:00:00.000Z' },
    })).logActivity;
    expect(note.deal!.lastActivityAt).toBe('2026-01-05T09:00:00.000Z');
  });

  test('a task on a deal deleted since can still be completed; the deleted deal stays untouched', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Deal', value: 100 });
    const lead = await createLead(t, b.admin);
    const task = ok(await gql(t.url, b.admin, LogActivityDocument, { input: { type: 'TASK', subject: 'Send contract', dealId: deal.id, leadId: lead.id } })).logActivity;
    ok(await gql(t.url, b.admin, DeleteDealDocument, { id: deal.id }));
    const before = await sql('SELECT version, last_activity_at FROM deals WHERE id = $1', [deal.id]);
    const done = ok(await gql(t.url, b.admin, CompleteActivityDocument, { id: task.id })).completeActivity;
    expect(done.doneAt).not.toBeNull();
    expect(done.deal).toBeNull(); // deleted deals are not shown
    expect(await sql('SELECT version, last_activity_at FROM deals WHERE id = $1', [deal.id])).toEqual(before);
  });

  test('on a lead: listed with the lead, no deal touched', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    const email = ok(await gql(t.url, b.admin, LogActivityDocument, { input: { type: 'EMAIL', subject: 'Intro', leadId: lead.id } })).logActivity;
    expect(email).toMatchObject({ lead: { id: lead.id }, deal: null });
    expect(ok(await gql(t.url, b.admin, LeadDocument, { id: lead.id })).lead!.activities.map((a) => a.id)).toEqual([email.id]);
  });

  test('bad input writes nothing: no parent, empty or long subject, doneAt in the future, unknown or malformed ids, deleted deal', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Deal', value: 100 });
    const gone = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Gone', value: 100 });
    ok(await gql(t.url, b.admin, DeleteDealDocument, { id: gone.id }));
    const before = await snapshot(b.ws.id);
    const log = (input: object) => gql(t.url, b.admin, LogActivityDocument, { input: { type: 'TASK', subject: 'Follow up', ...input } });
    expect(errorCodes(await log({}))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await log({ dealId: deal.id, subject: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await log({ dealId: deal.id, subject: 'x'.repeat(201) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await log({ dealId: deal.id, doneAt: new Date(Date.now() + 3_600_000).toISOString() }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await log({ dealId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await log({ dealId: gone.id }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await log({ dealId: 'deal-1' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await log({ leadId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, b.admin, CompleteActivityDocument, { id: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, b.admin, CompleteActivityDocument, { id: 'x' }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);
  });
});
