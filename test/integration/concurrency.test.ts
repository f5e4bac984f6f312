import { ConvertLeadDocument, CreateDealDocument, MoveDealDocument, UpdateDealDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { createLead, eventsOf, newBoard, readDeal } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

test('20 concurrent moves with the same expectedVersion: one succeeds, 19 CONFLICT, one history entry, version + 1', async () => {
  const b = await newBoard(t, 4);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Contested', value: 100 });
  const targets = Array.from({ length: 20 }, (_, i) => b.open[1 + (i % 3)].id);

  const results = await Promise.all(targets.map((stageId) => gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId, expectedVersion: 1 })));

  const winners = results.filter((r) => !r.errors);
  expect(winners).toHaveLength(1);
  expect(results.flatMap(errorCodes).sort()).toEqual(Array(19).fill('CONFLICT'));
  const winner = winners[0].data!.moveDeal;
  expect(winner.version).toBe(2);

  const after = await readDeal(t, b.admin, deal.id);
  expect(after.version).toBe(2);
  expect(after.stage.id).toBe(winner.stage.id);
  expect(after.history.map((h) => [h.fromStage?.id ?? null, h.toStage.id])).toEqual([[null, b.open[0].id], [b.open[0].id, winner.stage.id]]);
  expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(['CREATED', 'MOVED']);
});

test('concurrent updates without expectedVersion queue up: each applies once and the version counts them all', async () => {
  const b = await newBoard(t, 4);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Busy', value: 100 });
  const updates = Array.from({ length: 10 }, (_, i) => gql(t.url, b.admin, UpdateDealDocument, { id: deal.id, input: { value: 101 + i } }));
  const results = await Promise.all(updates);
  expect(results.flatMap(errorCodes)).toEqual([]);
  const after = await readDeal(t, b.admin, deal.id);
  expect(after.version).toBe(11);
  expect(results.map((r) => r.data!.updateDeal.version).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const [{ n }] = await sql<{ n: number }>("SELECT count(*)::int AS n FROM deal_events WHERE deal_id = $1 AND type = 'UPDATED'", [deal.id]);
  expect(n).toBe(10);
});

test('racing to make a deal of one lead: exactly one deal, the others told the lead is taken', async () => {
  const b = await newBoard(t);
  const lead = await createLead(t, b.admin);
  const input = { pipelineId: b.pipeline.id, title: 'Race', value: 1 };
  const results = await Promise.all([
    ...Array.from({ length: 4 }, () => gql(t.url, b.admin, CreateDealDocument, { input: { ...input, leadId: lead.id } })),
    ...Array.from({ length: 4 }, () => gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input })),
  ]);
  expect(results.filter((r) => !r.errors)).toHaveLength(1);
  expect(results.flatMap(errorCodes)).toEqual(Array(7).fill('BAD_USER_INPUT'));
  const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM deals WHERE lead_id = $1', [lead.id]);
  expect(n).toBe(1);
});
