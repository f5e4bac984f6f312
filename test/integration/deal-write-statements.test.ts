import {
  LoseDealAnswerDocument, MoveDealAnswerDocument, UpdateDealAnswerDocument, WinDealAnswerDocument,
} from '../generated/graphql';
import { catchUpVisits, sql } from '../helpers/database';
import { errorCodes, gql, ok, untyped } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createDeal } from '../factories/pipeline.factory';
import { createLead, eventsOf, newBoard, readDeal, signIn } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

async function boardWithDeal() {
  const b = await newBoard(t, 4);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Counted', value: 100 });
  return { b, deal };
}

/** The statements a request sends, after the same token has been seen once (the identity cache is warm). */
async function counted<T>(request: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  t.statements.length = 0;
  const result = await request();
  return { result, statements: [...t.statements] };
}

test('a move is one statement: lock, checks, the deal, its history and its event, and the answer with its stage', async () => {
  const { b, deal } = await boardWithDeal();
  const { result, statements } = await counted(() => gql(t.url, b.admin, MoveDealAnswerDocument, { id: deal.id, stageId: b.open[1].id }));

  expect(statements).toHaveLength(1); // no BEGIN, no COMMIT: the statement is its own transaction
  const moved = ok(result).moveDeal;
  expect(moved).toMatchObject({ status: 'OPEN', version: 2, isStalled: false, stage: { id: b.open[1].id, name: b.open[1].name, kind: 'OPEN' } });
  const read = await readDeal(t, b.admin, deal.id);
  expect(read).toMatchObject({ version: 2, stageEnteredAt: moved.stageEnteredAt, stage: { id: b.open[1].id } });
  expect(read.history.map((h) => [h.fromStage?.id ?? null, h.toStage.id])).toEqual([[null, b.open[0].id], [b.open[0].id, b.open[1].id]]);
  expect(read.history.at(-1)!.changedAt).toBe(moved.stageEnteredAt);
  expect((await eventsOf(deal.id)).map((e) => [e.type, e.from_stage_id, e.to_stage_id, e.actor]))
    .toEqual([['CREATED', null, b.open[0].id, 'admin-user'], ['MOVED', b.open[0].id, b.open[1].id, 'admin-user']]);
});

test('win, lose and update are one statement each, with the event each names', async () => {
  const { b, deal } = await boardWithDeal();
  const won = await counted(() => gql(t.url, b.admin, WinDealAnswerDocument, { id: deal.id }));
  const lost = await counted(() => gql(t.url, b.admin, LoseDealAnswerDocument, { id: deal.id, reason: 'Budget' }));
  const updated = await counted(() => gql(t.url, b.admin, UpdateDealAnswerDocument, { id: deal.id, input: { title: 'Renamed' } }));

  expect([won, lost, updated].map((r) => r.statements.length)).toEqual([1, 1, 1]);
  expect(ok(won.result).winDeal).toMatchObject({ status: 'WON', version: 2, lostReason: null, stage: { id: b.won.id } });
  expect(ok(won.result).winDeal.closedAt).not.toBeNull();
  expect(ok(lost.result).loseDeal).toMatchObject({ status: 'LOST', version: 3, lostReason: 'Budget', stage: { id: b.lost.id, kind: 'LOST' } });
  expect(ok(updated.result).updateDeal).toMatchObject({ title: 'Renamed', status: 'LOST', version: 4, stage: { id: b.lost.id } });
  const [, , lostEvent, updateEvent] = await sql<{ type: string; payload: unknown }>(
    'SELECT type, payload FROM deal_events WHERE deal_id = $1 ORDER BY seq', [deal.id]);
  expect(lostEvent).toEqual({ type: 'LOST', payload: { reason: 'Budget' } });
  expect(updateEvent).toEqual({ type: 'UPDATED', payload: { fields: ['title'] } });
});

const REOPEN = untyped(`mutation ($id: ID!, $stageId: ID) { reopenDeal(id: $id, stageId: $stageId) { status version stage { id } } }`);

test('a reopen into a named stage is one statement; to the last OPEN stage it locks and reads the history in a transaction', async () => {
  const { b, deal } = await boardWithDeal();
  await gql(t.url, b.admin, MoveDealAnswerDocument, { id: deal.id, stageId: b.open[1].id });
  await gql(t.url, b.admin, WinDealAnswerDocument, { id: deal.id });
  const named = await counted(() => gql(t.url, b.admin, REOPEN, { id: deal.id, stageId: b.open[2].id }));
  expect(named.statements).toHaveLength(1);
  expect(ok(named.result).reopenDeal).toEqual({ status: 'OPEN', version: 4, stage: { id: b.open[2].id } });

  await gql(t.url, b.admin, WinDealAnswerDocument, { id: deal.id });
  const last = await counted(() => gql(t.url, b.admin, REOPEN, { id: deal.id }));
  expect(last.statements.map((s) => s.trim().split(/\s+/)[0].toUpperCase())).toEqual(expect.arrayContaining(['START', 'COMMIT']));
  expect(ok(last.result).reopenDeal).toEqual({ status: 'OPEN', version: 6, stage: { id: b.open[2].id } });
});

test("a move answering with the client's card (owner and stage) is still one statement", async () => {
  const b = await newBoard(t, 4);
  await signIn(t, b.ws.token('REP', 'rep-card'));
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Card', value: 5, ownerId: 'rep-card' });
  const card = untyped(`mutation ($id: ID!, $stageId: ID!) { moveDeal(id: $id, stageId: $stageId) {
    id version owner { id name } stage { id name } } }`);
  const { result, statements } = await counted(() => gql(t.url, b.admin, card, { id: deal.id, stageId: b.open[1].id }));

  expect(statements).toHaveLength(1);
  expect(ok(result).moveDeal).toEqual({
    id: deal.id, version: 2, owner: { id: 'rep-card', name: expect.any(String) }, stage: { id: b.open[1].id, name: b.open[1].name },
  });
});

const REASSIGN = untyped(`mutation ($id: ID!, $owner: ID, $title: String) {
  updateDeal(id: $id, input: { ownerId: $owner, title: $title }) { version title owner { id name } } }`);

test('handing a deal to another owner is one statement that finds the owner; an owner it cannot find writes nothing', async () => {
  const { b, deal } = await boardWithDeal();
  await signIn(t, b.ws.token('REP', 'rep-new'));
  const handed = await counted(() => gql(t.url, b.admin, REASSIGN, { id: deal.id, owner: 'rep-new' }));
  expect(handed.statements).toHaveLength(1); // no look-up of the owner before the write
  expect(ok(handed.result).updateDeal).toEqual({ version: 2, title: 'Counted', owner: { id: 'rep-new', name: expect.any(String) } });
  expect(await sql('SELECT changes FROM deal_events WHERE deal_id = $1 ORDER BY seq DESC LIMIT 1', [deal.id]))
    .toEqual([{ changes: [{ field: 'OWNER', from: null, to: 'rep-new' }] }]);

  const unknown = await counted(() => gql(t.url, b.admin, REASSIGN, { id: deal.id, owner: 'nobody' }));
  expect(errorCodes(unknown.result)).toEqual(['NOT_FOUND']);
  expect(unknown.statements).toHaveLength(1);
  // Another workspace's user is nobody here.
  const other = await newBoard(t, 2);
  await signIn(t, other.ws.token('REP', 'rep-elsewhere'));
  expect(errorCodes(await gql(t.url, b.admin, REASSIGN, { id: deal.id, owner: 'rep-elsewhere' }))).toEqual(['NOT_FOUND']);
  // The checks keep their order: a bad title before an unknown owner; a rep may not hand a deal on.
  expect(errorCodes(await gql(t.url, b.admin, REASSIGN, { id: deal.id, owner: 'nobody', title: '' }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.ws.token('REP', 'rep-new'), REASSIGN, { id: deal.id, owner: 'admin-user' }))).toEqual(['FORBIDDEN']);
  expect(await readDeal(t, b.admin, deal.id)).toMatchObject({ version: 2, owner: { id: 'rep-new' } });
  expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(['CREATED', 'UPDATED']);
});

test('a refused move is the same one statement and writes nothing', async () => {
  const { b, deal } = await boardWithDeal();
  const { result, statements } = await counted(() =>
    gql(t.url, b.admin, MoveDealAnswerDocument, { id: deal.id, stageId: b.open[1].id, expectedVersion: 7 }));

  expect(errorCodes(result)).toEqual(['CONFLICT']);
  expect(result.errors![0].extensions).toMatchObject({ currentVersion: 1 });
  expect(statements).toHaveLength(1);
  expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(['CREATED']);
  expect(await readDeal(t, b.admin, deal.id)).toMatchObject({ version: 1, stage: { id: b.open[0].id } });
});

test('racing moves of one deal queue on its lock: each sees the stage the previous left, history and visits stay one chain', async () => {
  const { b, deal } = await boardWithDeal();
  const targets = Array.from({ length: 12 }, (_, i) => b.open[(i % 3) + 1].id);
  const results = await Promise.all(targets.map((stageId) => gql(t.url, b.admin, MoveDealAnswerDocument, { id: deal.id, stageId })));
  expect(results.flatMap(errorCodes)).toEqual([]);

  const read = await readDeal(t, b.admin, deal.id);
  const history = read.history.map((h) => [h.fromStage?.id ?? null, h.toStage.id]);
  // A move into the stage the deal is already in changes nothing; every other one links to the one before.
  for (let i = 1; i < history.length; i++) expect(history[i][0]).toBe(history[i - 1][1]);
  expect(read.version).toBe(history.length);
  expect((await eventsOf(deal.id)).filter((e) => e.type === 'MOVED')).toHaveLength(history.length - 1);
  await catchUpVisits();
  const visits = await sql<{ stage_id: string; entered_at: Date; exited_at: Date | null }>(
    'SELECT stage_id, entered_at, exited_at FROM stage_visits WHERE deal_id = $1 ORDER BY entered_at, id', [deal.id]);
  expect(visits.map((v) => v.stage_id)).toEqual(history.map(([, to]) => to));
  for (let i = 1; i < visits.length; i++) expect(visits[i - 1].exited_at).toEqual(visits[i].entered_at);
  expect(visits.at(-1)!.exited_at).toBeNull();
});

test('a new deal is one statement with its stage and owner for the answer; input the checks refuse goes to them and writes nothing', async () => {
  const b = await newBoard(t, 4);
  await signIn(t, b.ws.token('REP', 'rep-1'));
  const create = (input: Record<string, unknown>, token = b.admin) => counted(() => gql(t.url, token, untyped(
    `mutation ($input: CreateDealInput!) { createDeal(input: $input) { id title value status version stage { id name kind } owner { id name } } }`),
  { input: { pipelineId: b.pipeline.id, title: 'New', value: 5, ...input } }));

  const first = await create({});
  expect(first.statements).toHaveLength(1); // no BEGIN, no COMMIT, no read of the stage or owner afterwards
  expect(ok(first.result).createDeal).toMatchObject({ status: 'OPEN', version: 1, stage: { id: b.open[0].id, kind: 'OPEN' }, owner: null });
  const second = await create({ stageId: b.open[2].id, ownerId: 'rep-1' });
  expect(second.statements).toHaveLength(1);
  expect(ok(second.result).createDeal).toMatchObject({ stage: { id: b.open[2].id }, owner: { id: 'rep-1' } });
  const byRep = await create({}, b.ws.token('REP', 'rep-1')); // a rep owns what it creates
  expect(ok(byRep.result).createDeal.owner).toEqual({ id: 'rep-1', name: expect.any(String) });
  const id = ok(first.result).createDeal.id;
  expect((await eventsOf(id)).map((e) => [e.type, e.to_stage_id])).toEqual([['CREATED', b.open[0].id]]);
  expect(await sql('SELECT count(*)::int AS n FROM stage_changes WHERE deal_id = $1', [id])).toEqual([{ n: 1 }]);

  const before = await sql<{ n: number }>('SELECT count(*)::int AS n FROM deals WHERE workspace_id = $1', [b.ws.id]);
  const refused = await Promise.all([
    create({ stageId: b.won.id }), // not an OPEN stage
    create({ ownerId: 'nobody' }),
    create({ ownerId: 'admin-user' }, b.ws.token('REP', 'rep-1')), // a rep naming someone else
    create({ pipelineId: '00000000-0000-4000-8000-000000000000' }),
  ]);
  expect(refused.map((r) => errorCodes(r.result))).toEqual([['BAD_USER_INPUT'], ['NOT_FOUND'], ['FORBIDDEN'], ['NOT_FOUND']]);
  expect(await sql('SELECT count(*)::int AS n FROM deals WHERE workspace_id = $1', [b.ws.id])).toEqual(before);
});

test("an activity on a deal is one statement that moves the deal's lastActivityAt to its latest activity; what it refuses writes nothing", async () => {
  const b = await newBoard(t, 2);
  await signIn(t, b.ws.token('REP', 'rep-1'));
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Busy', value: 1, ownerId: 'admin-user' });
  const log = (input: Record<string, unknown>, token = b.admin) => counted(() => gql(t.url, token, untyped(
    'mutation ($input: LogActivityInput!) { logActivity(input: $input) { id type subject doneAt deal { id lastActivityAt version } } }'),
  { input: { dealId: deal.id, type: 'CALL', subject: 'Call', ...input } }));

  const now = await log({});
  expect(now.statements).toHaveLength(1); // the activity, the deal, its event and field history; the answer's deal read by the same statement
  const first = ok(now.result).logActivity;
  expect(first.deal).toMatchObject({ id: deal.id, version: 2 });
  // A call logged as done yesterday is not the latest: lastActivityAt stays.
  const earlier = ok((await log({ doneAt: new Date(Date.now() - 86_400_000).toISOString() })).result).logActivity;
  expect(earlier.deal).toEqual({ id: deal.id, lastActivityAt: first.deal.lastActivityAt, version: 3 });
  expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(['CREATED', 'UPDATED', 'UPDATED']);

  const count = async () => (await sql<{ n: number }>('SELECT count(*)::int AS n FROM activities WHERE deal_id = $1', [deal.id]))[0].n;
  const before = await count();
  const refused = await Promise.all([
    log({}, b.ws.token('REP', 'rep-1')), // another's deal
    log({ doneAt: new Date(Date.now() + 3_600_000).toISOString() }), // done in the future
    log({ dealId: '00000000-0000-4000-8000-000000000000' }),
    log({ subject: '' }),
  ]);
  expect(refused.map((r) => errorCodes(r.result))).toEqual([['FORBIDDEN'], ['BAD_USER_INPUT'], ['NOT_FOUND'], ['BAD_USER_INPUT']]);
  expect(await count()).toBe(before);
  expect((await readDeal(t, b.admin, deal.id)).version).toBe(3);
});

test('a new lead is one statement, its owner found by the same statement', async () => {
  const b = await newBoard(t, 2);
  const { result, statements } = await counted(() => gql(t.url, b.admin, untyped(
    'mutation { createLead(input: { name: "Ada", source: INBOUND, score: 7 }) { id name status score owner { id } } }')));
  expect(statements).toHaveLength(1);
  expect(ok(result).createLead).toMatchObject({ name: 'Ada', status: 'NEW', score: 7, owner: null });

  // With an owner: the insert finds it (then the answer's owner by the users' loader); one nobody
  // has is NOT_FOUND, and nothing is written.
  await signIn(t, b.ws.token('REP', 'rep-ada'));
  const owned = await counted(() => gql(t.url, b.admin, untyped(
    'mutation { createLead(input: { name: "Ada", source: REFERRAL, ownerId: "rep-ada" }) { source owner { id } } }')));
  expect(owned.statements).toHaveLength(2);
  expect(owned.statements[1]).toMatch(/FROM users WHERE id = ANY/);
  expect(ok(owned.result).createLead).toEqual({ source: 'REFERRAL', owner: { id: 'rep-ada' } });
  const leads = () => sql('SELECT count(*)::int AS n FROM leads WHERE workspace_id = $1', [b.ws.id]);
  const before = await leads();
  expect(errorCodes(await gql(t.url, b.admin, untyped('mutation { createLead(input: { name: "Ada", source: REFERRAL, ownerId: "nobody" }) { id } }'))))
    .toEqual(['NOT_FOUND']);
  expect(await leads()).toEqual(before);
});

const UPDATE_LEAD = untyped('mutation ($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { score campaign status owner { id } } }');
const QUALIFY_LEAD = untyped('mutation ($id: ID!, $s: LeadStatus!) { qualifyLead(id: $id, status: $s) { status qualifiedAt salesQualifiedAt } }');

test('a lead update or qualification is one statement; what it refuses goes to the checks, in their order, and writes nothing', async () => {
  const b = await newBoard(t, 2);
  const rep = b.ws.token('REP', 'rep-leads');
  await signIn(t, rep);
  const lead = await createLead(t, b.admin, { name: 'Grace', score: 1 });
  const updated = await counted(() => gql(t.url, b.admin, UPDATE_LEAD, { id: lead.id, input: { score: 40, campaign: 'spring' } }));
  expect(updated.statements).toHaveLength(1);
  expect(ok(updated.result).updateLead).toEqual({ score: 40, campaign: 'spring', status: 'NEW', owner: null });

  const mql = await counted(() => gql(t.url, rep, QUALIFY_LEAD, { id: lead.id, s: 'MQL' })); // a rep writes unowned leads
  expect(mql.statements).toHaveLength(1);
  const { qualifiedAt } = ok(mql.result).qualifyLead;
  expect(qualifiedAt).not.toBeNull();
  const sqlLead = ok(await gql(t.url, b.admin, QUALIFY_LEAD, { id: lead.id, s: 'SQL' })).qualifyLead;
  expect(sqlLead).toMatchObject({ status: 'SQL', qualifiedAt }); // the first qualification time is kept
  expect(sqlLead.salesQualifiedAt).not.toBeNull();

  const owned = await createLead(t, b.admin, { name: 'Owned', ownerId: 'admin-user' });
  const before = await sql('SELECT * FROM leads WHERE workspace_id = $1 ORDER BY id', [b.ws.id]);
  const unknown = '00000000-0000-4000-8000-000000000000';
  expect(errorCodes(await gql(t.url, rep, UPDATE_LEAD, { id: owned.id, input: { score: 5 } }))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await gql(t.url, b.ws.token('ANALYST', 'analyst-leads'), QUALIFY_LEAD, { id: lead.id, s: 'NURTURING' })))
    .toEqual(['FORBIDDEN']);
  // Not found comes before the input's faults, as the checked path orders them.
  expect(errorCodes(await gql(t.url, b.admin, UPDATE_LEAD, { id: unknown, input: { score: -1 } }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, b.admin, UPDATE_LEAD, { id: lead.id, input: { score: -1 } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, b.admin, QUALIFY_LEAD, { id: 'not-an-id', s: 'MQL' }))).toEqual(['BAD_USER_INPUT']);
  // An owner nobody has, and one a rep may not give: the look-up path says so.
  expect(errorCodes(await gql(t.url, b.admin, UPDATE_LEAD, { id: lead.id, input: { ownerId: 'nobody' } }))).toEqual(['NOT_FOUND']);
  expect(errorCodes(await gql(t.url, rep, UPDATE_LEAD, { id: lead.id, input: { ownerId: 'admin-user' } }))).toEqual(['FORBIDDEN']);
  expect(await sql('SELECT * FROM leads WHERE workspace_id = $1 ORDER BY id', [b.ws.id])).toEqual(before);

  // Handed to another owner: the statement finds the owner itself.
  const handed = await counted(() => gql(t.url, b.admin, UPDATE_LEAD, { id: lead.id, input: { ownerId: 'rep-leads' } }));
  // The write, then the answer's owner by the users' loader: no look-up, lock or transaction first.
  expect(handed.statements).toHaveLength(2);
  expect(handed.statements[1]).toMatch(/FROM users WHERE id = ANY/);
  expect(ok(handed.result).updateLead.owner).toEqual({ id: 'rep-leads' });

  const converted = ok(await gql(t.url, b.admin, untyped('mutation ($id: ID!, $p: ID!) { convertLead(id: $id, input: { pipelineId: $p, title: "Won over", value: 9 }) { id } }'),
    { id: owned.id, p: b.pipeline.id })).convertLead;
  expect(converted.id).toBeTruthy();
  const refused = await counted(() => gql(t.url, b.admin, QUALIFY_LEAD, { id: owned.id, s: 'NURTURING' }));
  expect(errorCodes(refused.result)).toEqual(['BAD_USER_INPUT']);
  expect((await sql<{ status: string }>('SELECT status FROM leads WHERE id = $1', [owned.id]))[0].status).toBe('CONVERTED');
});

const CONVERT = untyped(`mutation ($id: ID!, $p: ID!) { convertLead(id: $id, input: { pipelineId: $p, title: "Converted", value: 70 }) {
  id status version owner { id } stage { id } lead { id status convertedAt } } }`);

test('a conversion is one statement: the deal with its ledger entry and event, and the lead; racing conversions make one deal', async () => {
  const b = await newBoard(t, 2);
  const rep = b.ws.token('REP', 'rep-converts');
  await signIn(t, rep);
  const lead = await createLead(t, b.admin, { name: 'Unowned' });
  const { result, statements } = await counted(() => gql(t.url, rep, CONVERT, { id: lead.id, p: b.pipeline.id }));
  expect(statements).toHaveLength(1);
  const deal = ok(result).convertLead;
  // An unowned lead's deal is owned as a new deal of the rep's; it starts in the first OPEN stage.
  expect(deal).toMatchObject({ status: 'OPEN', version: 1, owner: { id: 'rep-converts' }, stage: { id: b.open[0].id },
    lead: { id: lead.id, status: 'CONVERTED' } });
  expect(deal.lead.convertedAt).not.toBeNull();
  expect((await eventsOf(deal.id)).map((e) => [e.type, e.to_stage_id])).toEqual([['CREATED', b.open[0].id]]);
  expect((await sql('SELECT payload FROM deal_events WHERE deal_id = $1', [deal.id]))[0]).toEqual({ payload: { leadId: lead.id } });

  const contested = await createLead(t, b.admin, { name: 'Contested' });
  const answers = await Promise.all([1, 2, 3].map(() => gql(t.url, b.admin, CONVERT, { id: contested.id, p: b.pipeline.id })));
  expect(answers.map((a) => (a.errors ? errorCodes(a)[0] : 'ok')).sort()).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT', 'ok']);
  expect(await sql('SELECT count(*)::int AS n FROM deals WHERE lead_id = $1', [contested.id])).toEqual([{ n: 1 }]);
});

test("an activity on a lead is one statement; on another rep's lead or an unknown one it goes to the checks and writes nothing", async () => {
  const b = await newBoard(t, 2);
  const rep = b.ws.token('REP', 'rep-calls');
  await signIn(t, rep);
  const unowned = await createLead(t, b.admin, { name: 'Open door' });
  const owned = await createLead(t, b.admin, { name: 'Taken', ownerId: 'admin-user' });
  const LOG = untyped('mutation ($l: ID!) { logActivity(input: { leadId: $l, type: CALL, subject: "Intro call" }) { id type subject deal { id } } }');
  const { result, statements } = await counted(() => gql(t.url, rep, LOG, { l: unowned.id }));
  expect(statements).toHaveLength(1);
  expect(ok(result).logActivity).toMatchObject({ type: 'CALL', subject: 'Intro call', deal: null });
  const before = await sql('SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1', [b.ws.id]);
  expect(errorCodes(await gql(t.url, rep, LOG, { l: owned.id }))).toEqual(['FORBIDDEN']);
  expect(errorCodes(await gql(t.url, b.admin, LOG, { l: '00000000-0000-4000-8000-000000000000' }))).toEqual(['NOT_FOUND']);
  expect(await sql('SELECT count(*)::int AS n FROM activities WHERE workspace_id = $1', [b.ws.id])).toEqual(before);
});

test("completing an activity is one statement that moves its deal's lastActivityAt; completing it again changes nothing", async () => {
  const b = await newBoard(t, 2);
  const deal = await createDeal(t.url, b.admin, { pipelineId: b.pipeline.id, title: 'Task', value: 1 });
  const task = ok(await gql(t.url, b.admin, untyped('mutation ($d: ID!) { logActivity(input: { dealId: $d, type: TASK, subject: "Send offer" }) { id } }'),
    { d: deal.id })).logActivity;
  const complete = () => counted(() => gql(t.url, b.admin, untyped('mutation ($id: ID!) { completeActivity(id: $id) { id doneAt deal { lastActivityAt version } } }'),
    { id: task.id }));
  const done = await complete();
  expect(done.statements).toHaveLength(1);
  const { doneAt, deal: moved } = ok(done.result).completeActivity;
  expect(moved).toEqual({ lastActivityAt: doneAt, version: 3 });
  const again = ok((await complete()).result).completeActivity;
  expect(again).toEqual({ id: task.id, doneAt, deal: moved }); // the checks answer it as it is
  expect((await eventsOf(deal.id)).map((e) => e.type)).toEqual(['CREATED', 'UPDATED', 'UPDATED']);
});
