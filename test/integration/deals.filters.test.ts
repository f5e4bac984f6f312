import { CreatePipelineDocument, DealFilter, DealsDocument, LogActivityDocument, LoseDealDocument, MoveDealDocument, UpdateLeadDocument, WinDealDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, stagesOf } from '../factories/pipeline.factory';
import { createLead, newBoard, readDeal, signIn } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describe('each DealFilter field', () => {
  let admin: string;
  let p: { id: string; stages: { id: string; kind: string }[] };
  let q: { id: string; stages: { id: string; kind: string }[] };
  const ids: Record<string, string> = {};
  const times: Record<string, string> = {};
  const leads: Record<string, string> = {};

  /** Titles of the deals matching `filter`, in creation order. */
  async function titles(filter: DealFilter) {
    const byId = Object.fromEntries(Object.entries(ids).map(([title, id]) => [id, title]));
    return ok(await gql(t.url, admin, DealsDocument, { filter })).deals.nodes.map((d) => byId[d.id]);
  }

  beforeAll(async () => {
    const b = await newBoard(t); // its pipeline P has no rotting threshold; Q below has one
    admin = b.admin;
    p = b.pipeline;
    q = ok(await gql(t.url, admin, CreatePipelineDocument, { input: { name: 'Rotting', stages: stagesOf(2, 10) } })).createPipeline;
    await signIn(t, b.ws.token('REP', 'rep-1'));
    await signIn(t, b.ws.token('REP', 'rep-2'));
    const inbound = await createLead(t, admin, { source: 'INBOUND' });
    const event = await createLead(t, admin, { source: 'EVENT' });
    leads.event = event.id;
    const add = async (title: string, input: object) => {
      const deal = await createDeal(t.url, admin, { pipelineId: p.id, title, value: 0, ...input });
      ids[title] = deal.id;
      times[title] = deal.createdAt;
    };
    await add('Acme 100%', { value: 100, ownerId: 'rep-1', leadId: inbound.id });
    await add('Globex', { value: 250.5, ownerId: 'rep-2', leadId: event.id, stageId: p.stages[1].id });
    await add('Initech', { value: 1000 });
    await add('Umbrella', { pipelineId: q.id, value: 50, ownerId: 'rep-1' });
    await add('acme labs', { pipelineId: q.id, value: 0, stageId: q.stages[1].id });
    await add('Hooli', { pipelineId: q.id, value: 75 });
    times.initechClosed = ok(await gql(t.url, admin, WinDealDocument, { id: ids.Initech })).winDeal.closedAt!;
    times.umbrellaClosed = ok(await gql(t.url, admin, LoseDealDocument, { id: ids.Umbrella, reason: 'No budget' })).loseDeal.closedAt!;
    // Hooli: 11 days idle in a 10-day stage, stalled. acme labs: entered 11 days ago but active 9 days ago, not stalled.
    await sql('UPDATE deals SET stage_entered_at = $2 WHERE id = $1', [ids.Hooli, daysAgo(11)]);
    await sql('UPDATE deals SET stage_entered_at = $2, last_activity_at = $3 WHERE id = $1', [ids['acme labs'], daysAgo(11), daysAgo(9)]);
    // Umbrella is LOST: however idle, never stalled.
    await sql('UPDATE deals SET stage_entered_at = $2 WHERE id = $1', [ids.Umbrella, daysAgo(30)]);
  });

  test('pipelineId and stageIds', async () => {
    expect(await titles({ pipelineId: p.id })).toEqual(['Acme 100%', 'Globex', 'Initech']);
    expect(await titles({ pipelineId: q.id })).toEqual(['Umbrella', 'acme labs', 'Hooli']);
    expect(await titles({ stageIds: [p.stages[0].id, q.stages[1].id] })).toEqual(['Acme 100%', 'acme labs']);
    expect(await titles({ stageIds: [p.stages.find((s) => s.kind === 'WON')!.id] })).toEqual(['Initech']);
    expect(await titles({ stageIds: [] })).toEqual([]);
  });

  test('status and ownerId', async () => {
    expect(await titles({ status: 'OPEN' })).toEqual(['Acme 100%', 'Globex', 'acme labs', 'Hooli']);
    expect(await titles({ status: 'WON' })).toEqual(['Initech']);
    expect(await titles({ status: 'LOST' })).toEqual(['Umbrella']);
    expect(await titles({ ownerId: 'rep-1' })).toEqual(['Acme 100%', 'Umbrella']);
    expect(await titles({ ownerId: 'rep-2' })).toEqual(['Globex']);
    expect(await titles({ ownerId: 'nobody' })).toEqual([]);
  });

  test('leadSource', async () => {
    expect(await titles({ leadSource: 'INBOUND' })).toEqual(['Acme 100%']);
    expect(await titles({ leadSource: 'EVENT' })).toEqual(['Globex']);
    expect(await titles({ leadSource: 'PARTNER' })).toEqual([]);
  });

  test("leadSource follows a change of the lead's source", async () => {
    ok(await gql(t.url, admin, UpdateLeadDocument, { id: leads.event, input: { source: 'PARTNER' } }));
    expect(await titles({ leadSource: 'PARTNER' })).toEqual(['Globex']);
    expect(await titles({ leadSource: 'EVENT' })).toEqual([]);
    ok(await gql(t.url, admin, UpdateLeadDocument, { id: leads.event, input: { source: 'EVENT' } }));
    expect(await titles({ leadSource: 'EVENT' })).toEqual(['Globex']);
  });

  test('valueMin and valueMax are inclusive', async () => {
    expect(await titles({ valueMin: 100 })).toEqual(['Acme 100%', 'Globex', 'Initech']);
    expect(await titles({ valueMax: 100 })).toEqual(['Acme 100%', 'Umbrella', 'acme labs', 'Hooli']);
    expect(await titles({ valueMin: 100, valueMax: 250.5 })).toEqual(['Acme 100%', 'Globex']);
    expect(await titles({ valueMin: 250.51 })).toEqual(['Initech']);
  });

  test('createdAfter ≤ t < createdBefore', async () => {
    expect(await titles({ createdAfter: times.Globex })).toEqual(['Globex', 'Initech', 'Umbrella', 'acme labs', 'Hooli']);
    expect(await titles({ createdBefore: times.Globex })).toEqual(['Acme 100%']);
    expect(await titles({ createdAfter: times.Globex, createdBefore: times.Umbrella })).toEqual(['Globex', 'Initech']);
  });

  test('closedAfter ≤ t < closedBefore; open deals have no closing time', async () => {
    expect(await titles({ closedAfter: times.initechClosed })).toEqual(['Initech', 'Umbrella']);
    expect(await titles({ closedAfter: times.umbrellaClosed })).toEqual(['Umbrella']);
    expect(await titles({ closedBefore: times.umbrellaClosed })).toEqual(['Initech']);
    expect(await titles({ closedBefore: times.initechClosed })).toEqual([]);
  });

  test('search ignores case and takes % and _ literally', async () => {
    expect(await titles({ search: 'ACME' })).toEqual(['Acme 100%', 'acme labs']);
    expect(await titles({ search: '100%' })).toEqual(['Acme 100%']);
    expect(await titles({ search: '%' })).toEqual(['Acme 100%']);
    expect(await titles({ search: '_' })).toEqual([]);
  });

  test('stalled true and false, and isStalled on each deal', async () => {
    expect(await titles({ stalled: true })).toEqual(['Hooli']);
    expect(await titles({ stalled: false })).toEqual(['Acme 100%', 'Globex', 'Initech', 'Umbrella', 'acme labs']);
    const nodes = ok(await gql(t.url, admin, DealsDocument, {})).deals.nodes;
    expect(nodes.filter((d) => d.isStalled).map((d) => d.id)).toEqual([ids.Hooli]);
  });

  test('conditions combine', async () => {
    expect(await titles({ pipelineId: q.id, status: 'OPEN', stalled: false })).toEqual(['acme labs']);
    expect(await titles({ ownerId: 'rep-1', status: 'OPEN', search: 'acme' })).toEqual(['Acme 100%']);
  });
});

describe('isStalled (CONTRACT §5)', () => {
  test('idle longer than rottingAfterDays since the later of stage entry and last activity', async () => {
    const b = await newBoard(t);
    const q = ok(await gql(t.url, b.admin, CreatePipelineDocument, { input: { name: 'Rotting', stages: stagesOf(2, 10) } })).createPipeline;
    const deal = await createDeal(t.url, b.admin, { pipelineId: q.id, title: 'Slow', value: 10 });
    const stalled = async () => (await readDeal(t, b.admin, deal.id)).isStalled;
    expect(await stalled()).toBe(false);

    await sql('UPDATE deals SET stage_entered_at = $2 WHERE id = $1', [deal.id, daysAgo(9.9)]);
    expect(await stalled()).toBe(false);
    await sql('UPDATE deals SET stage_entered_at = $2 WHERE id = $1', [deal.id, daysAgo(10.1)]);
    expect(await stalled()).toBe(true);

    // A fresh activity revives it.
    ok(await gql(t.url, b.admin, LogActivityDocument, { input: { type: 'CALL', subject: 'Ping', dealId: deal.id } }));
    expect(await stalled()).toBe(false);
    // An activity long ago does not: the later of the two times counts.
    await sql('UPDATE deals SET last_activity_at = $2 WHERE id = $1', [deal.id, daysAgo(12)]);
    expect(await stalled()).toBe(true);

    // Entering another stage restarts the clock.
    ok(await gql(t.url, b.admin, MoveDealDocument, { id: deal.id, stageId: q.stages[1].id }));
    expect(await stalled()).toBe(false);
  });

  test('a stage without rottingAfterDays never stalls', async () => {
    const b = await newBoard(t);
    const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Patient', value: 10 });
    await sql('UPDATE deals SET stage_entered_at = $2 WHERE id = $1', [deal.id, daysAgo(400)]);
    expect((await readDeal(t, b.admin, deal.id)).isStalled).toBe(false);
  });
});
