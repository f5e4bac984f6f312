import { ConvertLeadDocument, CreateLeadDocument, LeadDocument, LeadsDocument, QualifyLeadDocument, UpdateLeadDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { errorCodes, gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { createLead, newBoard, signIn, snapshot, UNKNOWN_ID } from '../factories/workspace.factory';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe('createLead and updateLead', () => {
  test('a new lead is NEW with what was given; an update changes only the given fields', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const lead = await createLead(t, b.admin, { name: ' Grace ', company: 'Navy', email: 'g@navy.mil', source: 'REFERRAL', campaign: 'Spring', score: 70, ownerId: 'rep-1' });
    expect(lead).toMatchObject({ name: 'Grace', company: 'Navy', email: 'g@navy.mil', source: 'REFERRAL', campaign: 'Spring', score: 70,
      status: 'NEW', owner: { id: 'rep-1' }, qualifiedAt: null, salesQualifiedAt: null, convertedAt: null, deal: null });

    const updated = ok(await gql(t.url, b.admin, UpdateLeadDocument, { id: lead.id, input: { score: 90, campaign: null, ownerId: null } })).updateLead;
    expect(updated).toMatchObject({ name: 'Grace', company: 'Navy', score: 90, campaign: null, owner: null, status: 'NEW' });
  });

  test('an update to the values the lead has is no change: updatedAt stays; a real change moves it', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const lead = await createLead(t, b.admin, { name: 'Ada', company: 'Engines', score: 40, source: 'INBOUND', ownerId: 'rep-1' });
    const updatedAt = async () => (await sql<{ at: string }>('SELECT updated_at::text AS at FROM leads WHERE id = $1', [lead.id]))[0].at;
    const before = await updatedAt();

    // The same values, written by an admin and by the lead's rep.
    ok(await gql(t.url, b.admin, UpdateLeadDocument, { id: lead.id, input: { name: 'Ada', company: 'Engines', score: 40, source: 'INBOUND', ownerId: 'rep-1' } }));
    ok(await gql(t.url, b.ws.token('REP', 'rep-1'), UpdateLeadDocument, { id: lead.id, input: { score: 40 } }));
    expect(await updatedAt()).toBe(before);

    const changed = ok(await gql(t.url, b.admin, UpdateLeadDocument, { id: lead.id, input: { score: 41 } })).updateLead;
    expect(changed.score).toBe(41);
    expect(await updatedAt()).not.toBe(before);
  });

  test('bad names, scores and owners are refused and nothing is written', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    const before = await snapshot(b.ws.id);
    const create = (input: object) => gql(t.url, b.admin, CreateLeadDocument, { input: { name: 'X', source: 'INBOUND', ...input } });
    expect(errorCodes(await create({ name: '' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await create({ name: 'x'.repeat(201) }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await create({ score: -1 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await create({ score: 1001 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await create({ ownerId: 'stranger' }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, b.admin, UpdateLeadDocument, { id: lead.id, input: { name: '  ' } }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, UpdateLeadDocument, { id: UNKNOWN_ID, input: { score: 1 } }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t.url, b.admin, UpdateLeadDocument, { id: 'lead-1', input: { score: 1 } }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);
    expect(ok(await gql(t.url, b.admin, LeadDocument, { id: lead.id })).lead).toMatchObject({ name: 'Ada Lovelace', score: null });
  });
});

describe('qualifyLead', () => {
  test('MQL sets qualifiedAt, SQL sets salesQualifiedAt; first times are kept', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    const nurturing = ok(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'NURTURING' })).qualifyLead;
    expect(nurturing).toMatchObject({ status: 'NURTURING', qualifiedAt: null, salesQualifiedAt: null });

    const mql = ok(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'MQL' })).qualifyLead;
    expect(mql.status).toBe('MQL');
    expect(mql.qualifiedAt).not.toBeNull();
    expect(mql.salesQualifiedAt).toBeNull();

    const sqlLead = ok(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'SQL' })).qualifyLead;
    expect(sqlLead.status).toBe('SQL');
    expect(sqlLead.qualifiedAt).toBe(mql.qualifiedAt);
    expect(sqlLead.salesQualifiedAt).not.toBeNull();
  });

  test('going straight to SQL records both times (an SQL is also an MQL)', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    const sqlLead = ok(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'SQL' })).qualifyLead;
    expect(sqlLead.qualifiedAt).not.toBeNull();
    expect(sqlLead.salesQualifiedAt).toBe(sqlLead.qualifiedAt);
  });

  test('NEW and CONVERTED are not qualifications; a converted lead cannot be qualified', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    expect(errorCodes(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'NEW' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'CONVERTED' }))).toEqual(['BAD_USER_INPUT']);
    ok(await gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input: { pipelineId: b.pipeline.id, title: 'Deal', value: 10 } }));
    const before = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'MQL' }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);
    expect(ok(await gql(t.url, b.admin, LeadDocument, { id: lead.id })).lead).toMatchObject({ status: 'CONVERTED', qualifiedAt: null });
  });
});

describe('convertLead', () => {
  test('creates the deal in the first OPEN stage, owned like the lead, and marks the lead CONVERTED', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const lead = await createLead(t, b.admin, { ownerId: 'rep-1' });
    const deal = ok(await gql(t.url, b.admin, ConvertLeadDocument, {
      id: lead.id, input: { pipelineId: b.pipeline.id, title: 'Lovelace engine', value: 4200 },
    })).convertLead;
    expect(deal).toMatchObject({ title: 'Lovelace engine', value: 4200, status: 'OPEN', stage: { id: b.open[0].id },
      owner: { id: 'rep-1' }, lead: { id: lead.id, status: 'CONVERTED' } });
    expect(deal.history.map((h) => [h.fromStage?.id ?? null, h.toStage.id])).toEqual([[null, b.open[0].id]]);
    const after = ok(await gql(t.url, b.admin, LeadDocument, { id: lead.id })).lead!;
    expect(after.status).toBe('CONVERTED');
    expect(after.convertedAt).not.toBeNull();
    expect(after.deal?.id).toBe(deal.id);
  });

  test('converting twice fails and writes nothing', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    const input = { pipelineId: b.pipeline.id, title: 'Deal', value: 10 };
    ok(await gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input }));
    const before = await snapshot(b.ws.id);
    expect(errorCodes(await gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input }))).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(b.ws.id)).toEqual(before);
  });

  test('a failed conversion leaves the lead as it was: deal and status change together or not at all', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    const before = await snapshot(b.ws.id);
    const convert = (input: object) => gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input: { pipelineId: b.pipeline.id, title: 'Deal', value: 10, ...input } });
    expect(errorCodes(await convert({ pipelineId: UNKNOWN_ID }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await convert({ value: -5 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await convert({ ownerId: 'stranger' }))).toEqual(['NOT_FOUND']);
    expect(await snapshot(b.ws.id)).toEqual(before);
    const [row] = await sql<{ status: string; converted_at: Date | null }>('SELECT status, converted_at FROM leads WHERE id = $1', [lead.id]);
    expect(row).toEqual({ status: 'NEW', converted_at: null });
  });

  test('a disqualified lead cannot be converted', async () => {
    const b = await newBoard(t);
    const lead = await createLead(t, b.admin);
    ok(await gql(t.url, b.admin, QualifyLeadDocument, { id: lead.id, status: 'DISQUALIFIED' }));
    const result = await gql(t.url, b.admin, ConvertLeadDocument, { id: lead.id, input: { pipelineId: b.pipeline.id, title: 'Deal', value: 10 } });
    expect(errorCodes(result)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('leads', () => {
  test('each LeadFilter field, and paging oldest first', async () => {
    const b = await newBoard(t);
    await signIn(t, b.ws.token('REP', 'rep-1'));
    const a = await createLead(t, b.admin, { name: 'Alpha', company: 'Initech', source: 'INBOUND', campaign: 'Spring', ownerId: 'rep-1' });
    const c = await createLead(t, b.admin, { name: 'Charlie', email: 'charlie@globex.com', source: 'EVENT', campaign: 'Spring' });
    const d = await createLead(t, b.admin, { name: 'Delta 50%', source: 'INBOUND', campaign: 'Autumn' });
    ok(await gql(t.url, b.admin, QualifyLeadDocument, { id: c.id, status: 'MQL' }));
    const ids = async (filter: object) => ok(await gql(t.url, b.admin, LeadsDocument, { filter })).leads.nodes.map((l) => l.id);

    expect(await ids({})).toEqual([a.id, c.id, d.id]);
    expect(await ids({ status: 'MQL' })).toEqual([c.id]);
    expect(await ids({ status: 'NEW' })).toEqual([a.id, d.id]);
    expect(await ids({ source: 'INBOUND' })).toEqual([a.id, d.id]);
    expect(await ids({ campaign: 'Spring' })).toEqual([a.id, c.id]);
    expect(await ids({ ownerId: 'rep-1' })).toEqual([a.id]);
    expect(await ids({ ownerId: 'nobody' })).toEqual([]);
    expect(await ids({ search: 'initech' })).toEqual([a.id]);
    expect(await ids({ search: 'GLOBEX' })).toEqual([c.id]);
    expect(await ids({ search: '50%' })).toEqual([d.id]);
    expect(await ids({ search: '%' })).toEqual([d.id]);
    expect(await ids({ source: 'INBOUND', campaign: 'Autumn' })).toEqual([d.id]);

    const first = ok(await gql(t.url, b.admin, LeadsDocument, { first: 2 })).leads;
    expect(first.nodes.map((l) => l.id)).toEqual([a.id, c.id]);
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = ok(await gql(t.url, b.admin, LeadsDocument, { first: 2, after: first.pageInfo.endCursor })).leads;
    expect(second.nodes.map((l) => l.id)).toEqual([d.id]);
    expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const tampered = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(first.pageInfo.endCursor!, 'base64url').toString()), k: ['soon', a.id] })).toString('base64url');
    expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { after: tampered }))).toEqual(['BAD_USER_INPUT']);
    // A cursor belongs to its list: the same position in a list with another filter is refused.
    const otherList = await gql(t.url, b.admin, LeadsDocument, { first: 2, after: first.pageInfo.endCursor, filter: { source: 'INBOUND' } });
    expect(otherList.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', 'after']]);
    expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { first: 501 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t.url, b.admin, LeadsDocument, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
  });
});
