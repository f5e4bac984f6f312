import { DealAggregatesDocument, DealAggregatesQuery, DealFilter, DealGroupField } from '../generated/graphql';
import { errorCodes, gql, ok, untyped } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createLead, newBoard, signIn } from '../factories/workspace.factory';
import { playDeal } from '../factories/history.factory';

/**
 * Deals (value, owner, lead source, created, end):
 *   A 100.00  rep-1 INBOUND   2026-01-10  open in S1
 *   B 200.50  rep-2 —         2026-01-20  open in S1
 *   C 300.25  rep-1 REFERRAL  2026-02-05  open in S2
 *   E 1000.00 rep-2 INBOUND   2026-02-10  won 2026-03-15
 *   F 50.00   —     —         2026-03-01  lost 2026-03-20
 *   G 9999.00 rep-1 —         2026-01-15  deleted
 */
let t: TestApp;
let analyst: string;
let pipelineId: string;
let stageNames: Record<string, string>;
type Rows = DealAggregatesQuery['dealAggregates'];

const d = (day: string) => `${day}T00:00:00.000Z`;

beforeAll(async () => {
  t = await startTestApp();
  const board = await newBoard(t, 2);
  const { ws, admin, open: [s1, s2] } = board;
  analyst = ws.token('ANALYST');
  pipelineId = board.pipeline.id;
  stageNames = Object.fromEntries(board.pipeline.stages.map((s) => [s.id, s.name]));
  await signIn(t, ws.token('REP', 'rep-1'));
  await signIn(t, ws.token('REP', 'rep-2'));
  const inbound1 = await createLead(t, admin, { source: 'INBOUND' });
  const inbound2 = await createLead(t, admin, { source: 'INBOUND' });
  const referral = await createLead(t, admin, { source: 'REFERRAL' });
  const play = (steps: Parameters<typeof playDeal>[3], deleted = false) => playDeal(t.url, admin, pipelineId, steps, deleted);
  await play([{ at: d('2026-01-10'), create: { stageId: s1.id, value: 100, ownerId: 'rep-1', leadId: inbound1.id } }]);
  await play([{ at: d('2026-01-20'), create: { stageId: s1.id, value: 200.5, ownerId: 'rep-2' } }]);
  await play([{ at: d('2026-02-05'), create: { stageId: s2.id, value: 300.25, ownerId: 'rep-1', leadId: referral.id } }]);
  await play([{ at: d('2026-02-10'), create: { stageId: s1.id, value: 1000, ownerId: 'rep-2', leadId: inbound2.id } }, { at: d('2026-03-15'), win: true }]);
  await play([{ at: d('2026-03-01'), create: { stageId: s1.id, value: 50 } }, { at: d('2026-03-20'), lose: 'Price' }]);
  await play([{ at: d('2026-01-15'), create: { stageId: s1.id, value: 9999, ownerId: 'rep-1' } }], true);
});
afterAll(() => t.stop());

async function aggregates(groupBy: DealGroupField[], filter: DealFilter = {}): Promise<Rows> {
  return ok(await gql(t.url, analyst, DealAggregatesDocument, { groupBy, filter: { pipelineId, ...filter } })).dealAggregates;
}

const stats = (r: Rows[number]) => ({ count: r.count, sum: r.sum, avg: r.avg, min: r.min, max: r.max });

test('by stage: each group carries its stage, resolved', async () => {
  const rows = await aggregates(['STAGE']);
  const byStage = Object.fromEntries(rows.map((r) => [r.group.stage!.name, stats(r)]));
  expect(byStage).toEqual({
    'Stage 1': { count: 2, sum: 300.5, avg: 150.25, min: 100, max: 200.5 },
    'Stage 2': { count: 1, sum: 300.25, avg: 300.25, min: 300.25, max: 300.25 },
    Won: { count: 1, sum: 1000, avg: 1000, min: 1000, max: 1000 },
    Lost: { count: 1, sum: 50, avg: 50, min: 50, max: 50 },
  });
  expect(rows.every((r) => r.group.owner === null && r.group.status === null && r.group.createdMonth === null)).toBe(true);
  expect(rows.map((r) => stageNames[r.group.stage!.id])).toEqual(rows.map((r) => r.group.stage!.name));
});

test('by owner and status, unowned deals in a group of their own', async () => {
  const rows = await aggregates(['OWNER', 'STATUS']);
  const keyed = Object.fromEntries(rows.map((r) => [`${r.group.owner?.id ?? '-'}/${r.group.status}`, [r.count, r.sum]]));
  expect(keyed).toEqual({ 'rep-1/OPEN': [2, 400.25], 'rep-2/OPEN': [1, 200.5], 'rep-2/WON': [1, 1000], '-/LOST': [1, 50] });
});

test('by lead source, by created month, by closed month', async () => {
  const sources = Object.fromEntries((await aggregates(['LEAD_SOURCE'])).map((r) => [r.group.leadSource ?? '-', [r.count, r.sum]]));
  expect(sources).toEqual({ INBOUND: [2, 1100], REFERRAL: [1, 300.25], '-': [2, 250.5] });
  const created = (await aggregates(['CREATED_MONTH'])).map((r) => [r.group.createdMonth, r.count, r.sum]);
  expect(created).toEqual([['2026-01', 2, 300.5], ['2026-02', 2, 1300.25], ['2026-03', 1, 50]]);
  const closed = (await aggregates(['CLOSED_MONTH', 'CLOSED_MONTH'])).map((r) => [r.group.closedMonth, r.count, r.sum, r.avg]);
  expect(closed).toEqual([['2026-03', 2, 1050, 525], [null, 3, 600.75, 200.25]]);
});

test('the full filter narrows the groups; no group field gives one total', async () => {
  const mine = await aggregates(['STATUS'], { ownerId: 'rep-1', valueMin: 100 });
  expect(mine.map((r) => [r.group.status, r.count, r.sum])).toEqual([['OPEN', 2, 400.25]]);
  const inboundClosed = await aggregates(['STATUS'], { leadSource: 'INBOUND', closedAfter: d('2026-03-01'), closedBefore: d('2026-04-01') });
  expect(inboundClosed.map((r) => [r.group.status, r.count, r.sum])).toEqual([['WON', 1, 1000]]);
  const searched = await aggregates(['STATUS'], { search: 'deal', createdBefore: d('2026-02-01'), stageIds: Object.keys(stageNames) });
  expect(searched.map((r) => [r.group.status, r.count, r.sum])).toEqual([['OPEN', 2, 300.5]]);
  expect((await aggregates([])).map(stats)).toEqual([{ count: 5, sum: 1650.75, avg: 330.15, min: 50, max: 1000 }]);
  expect(await aggregates(['STATUS'], { valueMin: 5000 })).toEqual([]);
  expect((await aggregates([], { valueMin: 5000 })).map(stats)).toEqual([{ count: 0, sum: 0, avg: null, min: null, max: null }]);
});

test('another workspace sees none of it; bad filter input is BAD_USER_INPUT', async () => {
  const other = newWorkspace().token('ANALYST');
  expect(ok(await gql(t.url, other, DealAggregatesDocument, { groupBy: ['STATUS'] })).dealAggregates).toEqual([]);
  expect(ok(await gql(t.url, other, DealAggregatesDocument, { groupBy: ['STATUS'], filter: { pipelineId } })).dealAggregates).toEqual([]);
  expect(errorCodes(await gql(t.url, analyst, DealAggregatesDocument, { groupBy: ['STATUS'], filter: { pipelineId: 'x' } }))).toEqual(['BAD_USER_INPUT']);
  expect(errorCodes(await gql(t.url, analyst, DealAggregatesDocument, { groupBy: ['NOPE' as never] }))).toEqual(['BAD_USER_INPUT']);
});

test('the groups come from one report statement; graphql-js, given a second root field, loads stages and owners in one batch each', async () => {
  t.statements.length = 0;
  const rows = await aggregates(['STAGE', 'OWNER', 'STATUS']);
  expect(rows.length).toBeGreaterThanOrEqual(5);
  expect(rows.every((r) => r.group.stage !== null)).toBe(true);
  expect(t.statements.filter((q) => /FROM deals t/.test(q))).toHaveLength(1);
  expect(t.statements.filter((q) => /AS c0/.test(q))).toHaveLength(1);
  expect(t.statements.filter((q) => /FROM (stages|users) WHERE id = ANY/.test(q))).toHaveLength(0);

  t.statements.length = 0;
  const general = await gql(t.url, analyst, untyped(`query ($groupBy: [DealGroupField!]!) {
    __typename dealAggregates(groupBy: $groupBy) { ...A } } fragment A on DealAggregate { group { stage { id name } owner { id } } count }`), { groupBy: ['STAGE', 'OWNER', 'STATUS'] });
  expect(ok(general).dealAggregates).toHaveLength(rows.length);
  expect(t.statements.filter((q) => /FROM stages WHERE id = ANY/.test(q))).toHaveLength(1);
  expect(t.statements.filter((q) => /FROM users WHERE id = ANY/.test(q))).toHaveLength(1);
  expect(t.statements.filter((q) => /AS c0/.test(q))).toHaveLength(0);
});

const AGGREGATE_FIELDS = `__typename count sum avg min max
  group { __typename stage { id name position kind probability rottingAfterDays } owner { id name email role }
          status leadSource createdMonth closedMonth }`;

test('the groups PostgreSQL answers are exactly those graphql-js answers, for every group field, filter and alias', async () => {
  // groups: counted by hand from the table at the top
  const cases: { groupBy: DealGroupField[]; filter?: DealFilter; groups: number }[] = [
    { groupBy: ['STAGE'], groups: 4 }, { groupBy: ['OWNER', 'STATUS'], groups: 4 }, { groupBy: ['LEAD_SOURCE', 'CREATED_MONTH'], groups: 5 },
    { groupBy: ['CLOSED_MONTH', 'STAGE', 'OWNER', 'STATUS', 'LEAD_SOURCE', 'CREATED_MONTH'], groups: 5 }, { groupBy: [], groups: 1 },
    { groupBy: ['STATUS'], filter: { ownerId: 'rep-1', valueMin: 100 }, groups: 1 },
    { groupBy: ['OWNER'], filter: { search: 'deal', createdBefore: d('2026-02-01'), stageIds: Object.keys(stageNames) }, groups: 2 },
    { groupBy: ['STATUS'], filter: { valueMin: 5000 }, groups: 0 }, { groupBy: [], filter: { valueMin: 5000 }, groups: 1 },
  ];
  for (const { groupBy, filter, groups } of cases) {
    const variables = { groupBy, filter: { pipelineId, ...filter } };
    t.statements.length = 0;
    const fast = await gql(t.url, analyst, untyped(`query ($groupBy: [DealGroupField!]!, $filter: DealFilter) {
      rows: dealAggregates(groupBy: $groupBy, filter: $filter) { ${AGGREGATE_FIELDS} n: count } }`), variables);
    expect(t.statements.filter((q) => /AS c0/.test(q))).toHaveLength(1);
    const general = await gql(t.url, analyst, untyped(`query ($groupBy: [DealGroupField!]!, $filter: DealFilter) {
      rows: dealAggregates(groupBy: $groupBy, filter: $filter) { ...A n: count } } fragment A on DealAggregate { ${AGGREGATE_FIELDS} }`), variables);
    expect(JSON.stringify(fast)).toBe(JSON.stringify(general));
    expect(ok(fast).rows).toHaveLength(groups);
  }
});
