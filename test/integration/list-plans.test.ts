import { randomUUID } from 'node:crypto';
// pg's own text form of a parameter (arrays, dates), as it sends values.
import { prepareValue } from 'pg/lib/utils';
import { DealOrderField, DealStatus, OrderDirection } from '../../src/features/deals/deal.enums';
import { DealListArgs, dealListQuery } from '../../src/features/deals/deal.query';
import { Role } from '../../src/features/workspaces/role';
import { encodeCursor, listIdentity } from '../../src/infra/pagination/cursor';
import { countStatement, KeysetQuery, pageStatement } from '../../src/infra/pagination/keyset';
import { fewMatches, walkCap } from '../../src/infra/pagination/capped-walk';
import { SqlParams } from '../../src/infra/db/sql-params';
import { LeadSource } from '../../src/features/leads/lead.enums';
import { listCases } from '../helpers/list-plans';
import { clientOnItsOwnDatabase } from '../helpers/own-database';
import { PlanNode, planNodes as nodes } from '../helpers/plan-nodes';

/**
 * The plans of the list statements (every DealFilter and LeadFilter field, every DealOrder
 * field on each parent), as the API builds them. On 1M deals (bench/plans.ts) a subquery that
 * read the outer row ran once per candidate row, and an ordering without its index sorted the
 * whole workspace for one page. This fails when either comes back.
 *
 * The test database is small, where a sequential scan and a sort are rightly cheapest, so
 * the plans are taken with `enable_seqscan` and `enable_sort` off: PostgreSQL then walks an
 * index whenever one serves the statement, and falls back to a scan or a sort (at a penalty
 * cost) only when none does. "Is there an index for this list, and does the statement still
 * match it" is exactly what a regression breaks; the data's size does not matter for it.
 */

/**
 * The SubPlans that run per row of something other than the list's parents. An InitPlan runs
 * once per statement; a SubPlan runs per row of the node it hangs from, and only the scan of
 * the parents (`unnest` of their ids) may have one: a check of the parent, once per parent.
 */
const perRowSubPlans = (steps: PlanNode[]): string[] => steps.flatMap((node) => (node.Plans ?? [])
  .filter((child) => child['Parent Relationship'] === 'SubPlan' && node['Node Type'] !== 'Function Scan')
  .map((child) => `${child['Subplan Name']} under ${node['Node Type']}`));

/**
 * A migrated database of its own, with no rows: the shared test database holds whatever the
 * other test files wrote, and its statistics (thousands of tiny workspaces) can make another
 * index that gives the same order just as cheap, so which one the planner names would depend
 * on the order the files ran in.
 */
const own = clientOnItsOwnDatabase('list_plans');

async function plan(statement: { sql: string; values: unknown[] }): Promise<PlanNode[]> {
  await own.client.query('BEGIN');
  try {
    await own.client.query('SET LOCAL enable_seqscan = off');
    await own.client.query('SET LOCAL enable_sort = off');
    const { rows: [row] } = await own.client.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.values);
    return nodes(row['QUERY PLAN'][0].Plan);
  } finally {
    await own.client.query('ROLLBACK');
  }
}

/**
 * The generic plan, the one a named statement executes on the sessions of generic plans
 * (infra/db/prepared.ts). A statement explained with its values is planned for those values
 * whatever `plan_cache_mode` says, so it is prepared, and executed with its values as literals
 * (EXECUTE inside EXPLAIN takes no parameters), as text the way pg sends them.
 */
async function genericPlan(statement: { sql: string; values: unknown[] }, options = 'FORMAT JSON', { steered = true } = {}): Promise<PlanNode[]> {
  await own.client.query('BEGIN');
  const name = `generic_probe_${++probes}`;
  try {
    if (steered) {
      await own.client.query('SET LOCAL enable_seqscan = off');
      await own.client.query('SET LOCAL enable_sort = off');
    }
    await own.client.query('SET LOCAL plan_cache_mode = force_generic_plan');
    await own.client.query(`PREPARE ${name} AS ${statement.sql}`);
    const values = statement.values.map((v) => (v === null || v === undefined ? 'NULL' : own.client.escapeLiteral(String(prepareValue(v)))));
    const { rows: [row] } = await own.client.query(`EXPLAIN (${options}) EXECUTE ${name}${values.length ? `(${values.join(', ')})` : ''}`);
    return nodes(row['QUERY PLAN'][0].Plan);
  } finally {
    await own.client.query('ROLLBACK');
    // A prepared statement outlives the transaction that made it.
    await own.client.query(`DEALLOCATE ${name}`);
  }
}
let probes = 0;

/** The index PostgreSQL names for a table's columns, whatever TypeORM called it. */
async function indexOn(table: string, columns: string): Promise<string> {
  const { rows } = await own.client.query(`SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE $2`,
    [table, `%(${columns})%`]);
  expect(rows).toHaveLength(1);
  return rows[0].indexname;
}

const cases = listCases({ workspaceId: `plans-${randomUUID()}`, pipelineId: randomUUID(), stageIds: [randomUUID(), randomUUID()], owner: 'owner-7' });

test.each(cases.map((c) => [c.name, c] as const))('%s: no subquery runs per row, nothing read whole', async (_, c) => {
  for (const statement of [c.page, c.count]) {
    const steps = await plan(statement);
    expect(perRowSubPlans(steps)).toEqual([]);
    expect(steps.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
  }
});

/**
 * Ranges of other keys and searches are planned per values: how many rows they match decides
 * the plan. A lead source is written into the statement (see the test of a source no deal has).
 */
test('only lists of equalities, lead sources and ranges of their leading sort key are planned once; other ranges, searches and capped walks are planned per values', () => {
  const generic = cases.filter((c) => c.generic).map((c) => c.name);
  // The filters alone are on lists in creation order: the creation ranges lead, the value ranges do not.
  expect(generic).toEqual(expect.arrayContaining(['deals filter pipelineId', 'deals filter ownerId status', 'leads filter campaign',
    'deals by pipeline_id order VALUE DESC', 'deals filter createdAfter', 'deals filter createdBefore', 'deals filter valueMin order VALUE DESC',
    'deals filter pipelineId createdAfter order CREATED_AT DESC']));
  expect(generic).toEqual(expect.arrayContaining(['deals filter leadSource']));
  const perValues = /valueM(in|ax)$|closed|search|stalled|Stalled/;
  expect(generic.filter((name) => perValues.test(name))).toEqual([]);
  expect(cases.filter((c) => perValues.test(c.name)).every((c) => !c.generic)).toBe(true);
});

test.each(cases.filter((c) => c.generic).map((c) => [c.name, c] as const))('%s, planned once for all values: no subquery per row, nothing read whole', async (_, c) => {
  for (const statement of [c.page, c.count]) {
    const steps = await genericPlan(statement);
    expect(perRowSubPlans(steps)).toEqual([]);
    expect(steps.filter((n) => n['Node Type'] === 'Seq Scan').map((n) => n['Relation Name'])).toEqual([]);
  }
});

/**
 * A count checks that its parent is the viewer's once, before counting. With the check among
 * the count's conditions, PostgreSQL puts a filter node of its own over the index walk, and
 * every counted row passes through it: a fifth of the time of a board's counts.
 */
test.each(cases.map((c) => [c.name, c] as const))('%s: a count checks its parent once, not beside each row', async (_, c) => {
  const steps = await plan(c.count);
  const gatesOverRows = steps.filter((n) => n['Node Type'] === 'Result' && n['One-Time Filter'] && n.Plans?.some((child) => child['Parent Relationship'] === 'Outer'));
  expect(gatesOverRows.map((n) => n['One-Time Filter'])).toEqual([]);
});

test('each ordering walks the index made for it: a page stops after `first` rows instead of sorting', async () => {
  const leadsOfOwner = await indexOn('leads', 'owner_id, created_at, id');
  const leadsOfStatus = await indexOn('leads', 'workspace_id, status, created_at, id');
  // (One owner's deals: which of deals_owner and deals_list is cheaper depends on how many
  // deals the owner has, which a small database cannot say; the SubPlan check above holds it.)
  const expected: Record<string, string> = {
    'deals filter pipelineId': 'deals_pipeline_list',
    // The deal's copy of its lead's source, not a probe of each deal's lead.
    'deals filter leadSource': 'deals_by_lead_source',
    // A range of the leading sort key bounds the walk of that key's index, in both plans.
    'deals filter createdAfter': 'deals_list',
    'deals filter createdBefore': 'deals_list',
    'deals filter valueMin order VALUE DESC': 'deals_by_value',
    'deals filter pipelineId createdAfter order CREATED_AT DESC': 'deals_pipeline_list',
    'deals by pipeline_id order CREATED_AT ASC': 'deals_pipeline_list',
    // In an order a pipeline has no index for: the workspace's, the pipeline checked along a capped walk of it.
    'deals by pipeline_id order VALUE DESC': 'deals_by_value',
    'deals by pipeline_id order STAGE_ENTERED_AT ASC': 'deals_by_stage_entry',
    // A root list of one stage reads that stage's index, as the stage's own list does.
    'deals filter one stage order STAGE_ENTERED_AT ASC': 'deals_stage_by_entry',
    'deals filter one stage twice order VALUE DESC': 'deals_stage_by_value',
    'deals by stage_id order VALUE DESC': 'deals_stage_by_value',
    'deals by stage_id order EXPECTED_CLOSE_DATE ASC': 'deals_stage_by_close_date_asc',
    'deals by stage_id order EXPECTED_CLOSE_DATE DESC': 'deals_stage_by_close_date_desc',
    'deals by pipeline_id order EXPECTED_CLOSE_DATE ASC': 'deals_pipeline_by_close_date_asc',
    'deals by pipeline_id order EXPECTED_CLOSE_DATE DESC': 'deals_pipeline_by_close_date_desc',
    'deals by stage_id order STAGE_ENTERED_AT ASC': 'deals_stage_by_entry',
    'deals by stage_id order UPDATED_AT DESC': 'deals_stage_by_updated',
    'deals by stage_id order TITLE ASC': 'deals_stage_by_title',
    'deals by workspace_id order CREATED_AT DESC': 'deals_list',
    'deals by workspace_id order VALUE ASC': 'deals_by_value',
    'deals by workspace_id order VALUE DESC': 'deals_by_value',
    'deals by workspace_id order UPDATED_AT DESC': 'deals_by_updated',
    'deals by workspace_id order STAGE_ENTERED_AT ASC': 'deals_by_stage_entry',
    'deals by workspace_id order TITLE ASC': 'deals_by_title',
    'deals by workspace_id order EXPECTED_CLOSE_DATE ASC': 'deals_by_close_date_asc',
    'deals by workspace_id order EXPECTED_CLOSE_DATE DESC': 'deals_by_close_date_desc',
    'leads filter ownerId': leadsOfOwner,
    'leads filter status': leadsOfStatus,
    'leads filter source': 'leads_by_source',
    'leads filter campaign': 'leads_by_campaign',
  };
  // One after another: each plan is a transaction of its own on the one own.client. A list sent to
  // be planned once for all values must walk the same index in its generic plan.
  const pages: Record<string, string | undefined> = {};
  const genericPages: Record<string, string | undefined> = {};
  for (const name of Object.keys(expected)) {
    const c = cases.find((x) => x.name === name)!;
    pages[name] = (await plan(c.page)).map((n) => n['Index Name']).filter((i) => i === expected[name])[0];
    if (c.generic) genericPages[name] = (await genericPlan(c.page)).map((n) => n['Index Name']).filter((i) => i === expected[name])[0];
  }
  expect(pages).toEqual(expected);
  expect(Object.keys(genericPages).length).toBeGreaterThan(10);
  expect(genericPages).toEqual(Object.fromEntries(Object.keys(genericPages).map((name) => [name, expected[name]])));
});

test("a list of one stage or one pipeline reads no index of the workspace's: it checks that stage or pipeline, not each deal's workspace", async () => {
  const { rows } = await own.client.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'deals' AND indexdef LIKE '%(workspace_id%'`);
  const workspaceIndexes = new Set(rows.map((r) => r.indexname));
  expect(workspaceIndexes.has('deals_list')).toBe(true);
  // A pipeline has indexes in creation and close-date order; a stage in every order.
  const scoped = cases.filter((c) => /^deals (by stage_id|filter one stage|(by pipeline_id|filter pipelineId)( order (CREATED_AT|EXPECTED_CLOSE_DATE)|$))/.test(c.name));
  expect(scoped.length).toBeGreaterThan(15);
  expect(scoped.map((c) => c.name)).toEqual(expect.arrayContaining(['deals filter pipelineId', 'deals by pipeline_id order EXPECTED_CLOSE_DATE DESC']));
  for (const c of scoped) {
    for (const statement of [c.page, c.count]) {
      // A workspace's range of an index of the workspace's. (Some carry pipeline_id: on these empty
      // tables an index-only scan of one of them whole, pipeline checked, costs what the
      // pipeline's own range costs, and may be named; with rows, the pipeline's range is cheaper.)
      const read = (await plan(statement)).filter((n) => n['Index Cond']).map((n) => n['Index Name']).filter((i) => i && workspaceIndexes.has(i));
      expect([c.name, read]).toEqual([c.name, []]);
      expect([c.name, statement.sql.includes('t.workspace_id')]).toEqual([c.name, false]);
    }
  }
});

/**
 * A workspace of its own (`plans-<name>-…`) with one pipeline whose stages have the given kinds,
 * in that order; their ids in that order too.
 */
async function ownPipeline(name: string, kinds: ('OPEN' | 'WON')[]): Promise<{ workspaceId: string; pipelineId: string; stageIds: string[] }> {
  const workspaceId = `plans-${name}-${randomUUID()}`;
  await own.client.query(`INSERT INTO workspaces (id, name) VALUES ($1, $2)`, [workspaceId, name]);
  const { rows: [pipeline] } = await own.client.query(`INSERT INTO pipelines (workspace_id, name) VALUES ($1, 'p') RETURNING id`, [workspaceId]);
  const stageIds: string[] = [];
  for (const [position, kind] of kinds.entries()) {
    const { rows: [stage] } = await own.client.query(`INSERT INTO stages (workspace_id, pipeline_id, name, position, kind, probability)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, [workspaceId, pipeline.id, `Stage ${position}`, position, kind, kind === 'WON' ? 1 : 0.5]);
    stageIds.push(stage.id);
  }
  return { workspaceId, pipelineId: pipeline.id, stageIds };
}

test("a stage's count of deals reads the index that holds each stage once, not a list ordered within it", async () => {
  const { workspaceId, pipelineId, stageIds } = await ownPipeline('count', ['OPEN', 'OPEN']);
  await own.client.query(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id)
    SELECT $1, 'Deal ' || i, i, $2, ($3::uuid[])[1 + i % 2] FROM generate_series(1, 5000) i`, [workspaceId, pipelineId, stageIds]);
  await own.client.query('VACUUM ANALYZE deals');
  const columns = listCases({ workspaceId, pipelineId, stageIds, owner: 'owner-7' })
    .filter((c) => c.name.startsWith('deals by stage_id order'));
  expect(columns.length).toBeGreaterThan(3);
  for (const c of columns) {
    // (Beside the stage's own check, by its key.)
    const indexes = (await plan(c.count)).map((n) => n['Index Name']).filter((i) => i?.startsWith('deals'));
    expect([c.name, indexes]).toEqual([c.name, ['deals_stage_count']]);
    const { rows } = await own.client.query(c.count.sql, c.count.values);
    expect([c.name, rows.map((r) => r.n).sort()]).toEqual([c.name, [2500, 2500]]);
  }
});

test("a stage's deals of a status its kind rules out are ruled out once per stage, before its deals are read", async () => {
  const [wallboard] = cases.filter((c) => c.name === 'deals by stage_id filter status OPEN order VALUE DESC');
  const steps = await plan(wallboard.page) as (PlanNode & { 'One-Time Filter'?: string })[];
  // A gate over the stage's kind, with the read of deals below it: a WON column is not read for OPEN deals.
  const gates = steps.filter((n) => n['One-Time Filter'] && nodes(n).some((m) => m['Relation Name'] === 'deals'));
  expect(gates.length).toBeGreaterThan(0);
});

test('several stages are read as one page per stage, each in order from an index, then merged', async () => {
  const stageLists = cases.filter((c) => c.name.startsWith('deals filter') && c.name.includes('stageIds'));
  expect(stageLists.length).toBeGreaterThan(2);
  for (const c of stageLists) {
    const steps = await plan(c.page);
    // A Limit per stage under a loop over the stage ids; the one Sort merges those pages.
    // (Which index serves a stage's page an empty database cannot say: bench/plans.ts shows
    // the stage's own on 1M deals.)
    const perStage = steps.find((n) => n['Node Type'] === 'Nested Loop' && n.Plans?.[0].Alias === 's');
    expect([c.name, perStage?.Plans?.[1]['Node Type']]).toEqual([c.name, 'Limit']);
    expect([c.name, steps.filter((n) => n['Node Type'] === 'Sort').length]).toEqual([c.name, 1]);
  }
});

/** Rows the plan's nodes over `deals` returned or filtered out, over all their loops. */
const dealRowsRead = (steps: PlanNode[]) => steps.filter((n) => n['Relation Name'] === 'deals')
  .reduce((sum, n) => sum + ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1), 0);

test('matches that lie far along the order: a page reads a bounded share of the list, in order', async () => {
  // 60,000 deals a minute apart; only the newest 3,000 closed last week, so in creation order
  // they come after 57,000 others. Statistics count them right (5 %) but cannot say where they
  // lie: a walk of deals_list expecting a match every 20 rows read 57,051 rows for one page.
  const { workspaceId, pipelineId, stageIds: [stageId] } = await ownPipeline('walk', ['WON']);
  await own.client.query(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, status, created_at, closed_at)
    SELECT $1, 'Deal ' || i, i, $2, $3, 'WON', now() - i * interval '1 minute',
      now() - CASE WHEN i <= 3000 THEN interval '1 day' ELSE interval '400 days' END
    FROM generate_series(1, 60000) i`, [workspaceId, pipelineId, stageId]);
  await own.client.query('ANALYZE deals');

  const page = listCases({ workspaceId, pipelineId, stageIds: [stageId], owner: 'owner-7' })
    .find((c) => c.name === 'deals filter closedAfter')!.page;
  const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`, page.values);
  expect(dealRowsRead(nodes(row['QUERY PLAN'][0].Plan))).toBeLessThan(20_000);
  const { rows } = await own.client.query(page.sql, page.values);
  expect(rows.map((r) => r.title)).toEqual(Array.from({ length: 51 }, (_, i) => `Deal ${3000 - i}`));
});

test('a page after a cursor starts its walk at the cursor, however far along the list', async () => {
  // 20,000 deals in two stages; the cursors point 10,000 rows in. Without the leading key's own
  // bound, the walk began at the list's start and skipped every row before the cursor.
  const { workspaceId, pipelineId, stageIds } = await ownPipeline('deep', ['OPEN', 'OPEN']);
  await own.client.query(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, created_at)
    SELECT $1, 'Deal ' || i, i % 997, $2, ($3::uuid[])[1 + i % 2], now() - i * interval '1 minute' FROM generate_series(1, 20000) i`,
  [workspaceId, pipelineId, stageIds]);
  await own.client.query('ANALYZE deals');
  const viewer = { workspaceId, userId: '', externalId: '', role: Role.ADMIN };
  const lists: [string, DealListArgs, string][] = [
    ['the workspace in creation order', {}, 'ORDER BY created_at, id'],
    ['the workspace by value, descending', { orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }] }, 'ORDER BY value DESC, id DESC'],
    ['two stages in creation order', { filter: { stageIds } }, 'ORDER BY created_at, id'],
  ];
  for (const [name, args, order] of lists) {
    const { rows: [deep] } = await own.client.query(`SELECT created_at::text AS created_key, value::text AS value_key, id::text AS id_key FROM deals
      WHERE workspace_id = $1 ${order} OFFSET 10000 LIMIT 1`, [workspaceId]);
    // (Aliases apart from the columns: ORDER BY a bare name would sort by the text.)
    const keys = args.orderBy ? [deep.value_key, deep.id_key] : [deep.created_key, deep.id_key];
    const query = dealListQuery(viewer, 'workspace_id', { ...args, first: 20 });
    query.after = encodeCursor(workspaceId, listIdentity(query, workspaceId), keys);
    const page = pageStatement(query, [workspaceId]);
    const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`, page.values);
    expect([name, dealRowsRead(nodes(row['QUERY PLAN'][0].Plan)) < 200]).toEqual([name, true]);
    const { rows } = await own.client.query(page.sql, page.values);
    const { rows: expected } = await own.client.query(`SELECT id FROM deals WHERE workspace_id = $1 ${order} OFFSET 10001 LIMIT 20`, [workspaceId]);
    expect([name, rows.slice(0, 20).map((r) => r.id)]).toEqual([name, expected.map((r) => r.id)]);
  }
});

test('a lead source is written into the statement: a source no deal has, planned once as the API sends it, reads no row of the list', async () => {
  // 20,000 deals of five sources; no deal of the database has any of the other five (the test
  // after this one gives every source deals). With the source a parameter, the one plan for
  // every source fits the average one: a walk of the list by value expecting a match every five
  // rows, which for a source with no deals read all 20,000 to find none. Walked along the
  // workspace's index by value (`alongWorkspace`), uncounted, it reads the walk's cap of index
  // entries and its end again, the source from the index: no row of the table.
  const { workspaceId, pipelineId, stageIds: [stageId] } = await ownPipeline('sources', ['OPEN']);
  const sources = Object.values(LeadSource);
  const held = sources.slice(0, 5);
  const { rows: [{ absent }] } = await own.client.query(`SELECT min(s) AS absent FROM unnest($1::text[]) s
    WHERE s <> ALL ($2) AND NOT EXISTS (SELECT FROM deals WHERE lead_source = s::lead_source)`, [sources, held]);
  expect(absent).toBeTruthy();
  await own.client.query('BEGIN');
  await own.client.query('SET LOCAL session_replication_role = replica');
  await own.client.query(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, lead_source)
    SELECT $1, 'Deal ' || i, (i * 7919) % 100000, $2, $3, ($4::lead_source[])[1 + i % 5] FROM generate_series(1, 20000) i`,
  [workspaceId, pipelineId, stageId, held]);
  await own.client.query('COMMIT');
  await own.client.query('ANALYZE deals');

  const viewer = { workspaceId, userId: '', externalId: '', role: Role.ADMIN };
  const list = (source: LeadSource) => dealListQuery(viewer, 'workspace_id',
    { filter: { leadSource: source }, orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }], first: 20 });
  const [none, some] = [list(absent), list(held[2])];
  expect([none.onePlanForAllValues, some.onePlanForAllValues]).toEqual([true, true]);
  // Each source a statement of its own, so a plan of its own.
  expect(pageStatement(none, [workspaceId]).sql).not.toEqual(pageStatement(some, [workspaceId]).sql);
  await own.client.query('VACUUM deals');
  expect(dealRowsRead(await genericPlan(countStatement(none, [workspaceId]), 'ANALYZE, FORMAT JSON', { steered: false }))).toBeLessThan(100);
  const walked = await genericPlan(pageStatement(none, [workspaceId]), 'ANALYZE, FORMAT JSON', { steered: false });
  expect(tableRowsRead(walked)).toBeLessThan(100);
  expect(dealRowsRead(walked)).toBeLessThanOrEqual(2 * walkCap(20));
  const page = pageStatement(some, [workspaceId]);
  const { rows } = await own.client.query(page.sql, page.values);
  const { rows: expected } = await own.client.query(`SELECT id FROM deals WHERE workspace_id = $1 AND lead_source = $2 ORDER BY value DESC, id DESC LIMIT 20`,
    [workspaceId, held[2]]);
  expect(rows.slice(0, 20).map((r) => r.id)).toEqual(expected.map((r) => r.id));
});

/**
 * Ten pipelines of 5,000 deals, each pipeline's deals of one lead source: the first pipeline's
 * source (`held`) and one that only the others hold (`absent`). Seeded once, for the tests of
 * lists walked along the workspace's index.
 */
let along: Promise<{ workspaceId: string; pipelineId: string; held: LeadSource; absent: LeadSource }> | undefined;
const alongFixture = () => (along ??= seedAlong());

async function seedAlong() {
  const { workspaceId, pipelineId, stageIds: [stageId] } = await ownPipeline('along', ['OPEN']);
  await own.client.query(`WITH more AS (INSERT INTO pipelines (workspace_id, name) SELECT $1, 'p' || i FROM generate_series(1, 9) i RETURNING id)
    INSERT INTO stages (workspace_id, pipeline_id, name, position, kind, probability) SELECT $1, id, 'Stage', 0, 'OPEN', 0.5 FROM more`, [workspaceId]);
  const { rows: pipelines } = await own.client.query(`SELECT p.id AS pipeline, s.id AS stage FROM pipelines p JOIN stages s ON s.pipeline_id = p.id
    WHERE p.workspace_id = $1 ORDER BY p.id = $2 DESC, p.name`, [workspaceId, pipelineId]);
  expect(pipelines.map((p) => p.stage)[0]).toBe(stageId);
  const sources = Object.values(LeadSource);
  // Without the triggers (events, stage visits, the lead's source), as the seed writes deals.
  await own.client.query('BEGIN');
  await own.client.query('SET LOCAL session_replication_role = replica');
  await own.client.query(`INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, lead_source)
    SELECT $1, 'Deal ' || i, (i * 7919) % 100000, ($2::uuid[])[1 + i % 10], ($3::uuid[])[1 + i % 10], ($4::lead_source[])[1 + (i % 10) % $5]
    FROM generate_series(1, 50000) i`,
  [workspaceId, pipelines.map((p) => p.pipeline), pipelines.map((p) => p.stage), sources, sources.length]);
  await own.client.query('COMMIT');
  await own.client.query('ANALYZE deals');
  const { rows: [{ held, absent }] } = await own.client.query(`SELECT min(lead_source::text) AS held,
    (SELECT s FROM unnest($3::text[]) s WHERE s <> ALL (SELECT DISTINCT lead_source::text FROM deals WHERE pipeline_id = $2) AND s IN (SELECT lead_source::text FROM deals WHERE workspace_id = $1) LIMIT 1) AS absent
    FROM deals WHERE pipeline_id = $2`, [workspaceId, pipelineId, sources]);
  return { workspaceId, pipelineId, held: held as LeadSource, absent: absent as LeadSource };
}

const byValue = [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }];

test("a pipeline's deals in an order it has no index for: a page reads a capped walk of the workspace's index, whatever the pipeline and the filter hold", async () => {
  // Walked along the workspace's index by value with pipeline and source as filters, a
  // pipeline's deals of a source it holds none of read all 50,000 deals: the planner takes the
  // two as independent and expects a match every hundred rows.
  const { workspaceId, pipelineId, held, absent } = await alongFixture();
  expect(absent).toBeTruthy();
  const viewer = { workspaceId, userId: '', externalId: '', role: Role.ADMIN };
  for (const [source, expectedTitles] of [[absent, 0], [held, 50]] as const) {
    const spellings: [string, KeysetQuery, string][] = [
      ['filtered by pipeline', dealListQuery(viewer, 'workspace_id', { filter: { pipelineId, leadSource: source }, orderBy: byValue, first: 50 }), workspaceId],
      ["the pipeline's own list", dealListQuery(viewer, 'pipeline_id', { filter: { leadSource: source }, orderBy: byValue, first: 50 }), pipelineId],
    ];
    const { rows: expected } = await own.client.query(`SELECT id FROM deals WHERE pipeline_id = $1 AND lead_source = $2 ORDER BY value DESC, id DESC LIMIT 50`,
      [pipelineId, source]);
    expect(expected).toHaveLength(expectedTitles);
    for (const [name, query, parent] of spellings) {
      const page = pageStatement(query, [parent]);
      const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`, page.values);
      // The walk's cap (5,100 rows for a page of 50), its end found again in the index alone,
      // and one pipeline's or one source's deals (5,000): not the workspace's 50,000.
      expect([name, source, dealRowsRead(nodes(row['QUERY PLAN'][0].Plan)) < 20_000]).toEqual([name, source, true]);
      const { rows } = await own.client.query(page.sql, page.values);
      expect([name, source, rows.slice(0, 50).map((r) => r.id)]).toEqual([name, source, expected.map((r) => r.id)]);
    }
  }
});

test('a list counted in the same statement reads its page by what the count found: none, a sort of a few, or the capped walk', async () => {
  // Uncounted, a pipeline's deals of a source it holds none of read the walk's cap and then the
  // pipeline's deals again (15,100 rows for a page of 50); counted, the count's 5,000 rows say
  // there is nothing to read. At most fewMatches rows, the walk would only read its cap (the
  // whole workspace, for a page of 500) before taking the matches by their index anyway.
  const { workspaceId, pipelineId, held, absent } = await alongFixture();
  const viewer = { workspaceId, userId: '', externalId: '', role: Role.ADMIN };
  const cases: [string, LeadSource, number, number, number][] = [
    ['none', absent, 50, 0, 6_000],
    ['at most fewMatches', held, 500, 500, 12_000],
    ['more: the capped walk', held, 50, 50, 20_000],
  ];
  for (const [name, source, first, expectedRows, bound] of cases) {
    expect(fewMatches(first) >= 5_000).toBe(name === 'at most fewMatches');
    const query = dealListQuery(viewer, 'pipeline_id', { filter: { leadSource: source }, orderBy: byValue, first });
    const page = pageStatement(query, [pipelineId], true);
    const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`, page.values);
    expect([name, dealRowsRead(nodes(row['QUERY PLAN'][0].Plan)) < bound]).toEqual([name, true]);
    const { rows } = await own.client.query(page.sql, page.values);
    const { rows: expected } = await own.client.query(`SELECT id FROM deals WHERE pipeline_id = $1 AND lead_source = $2
      ORDER BY value DESC, id DESC LIMIT $3`, [pipelineId, source, first]);
    expect(expected).toHaveLength(expectedRows);
    expect([name, rows.filter((r) => r.id !== null).slice(0, first).map((r) => r.id)]).toEqual([name, expected.map((r) => r.id)]);
    expect([name, rows[0].__count]).toEqual([name, source === held ? 5_000 : 0]);
  }
});

test("a capped walk along the workspace's index reads the table only for its matches: pipeline, status and source come from the index", async () => {
  // The workspace's ordering indexes carry pipeline, status and lead source (migration
  // DealOrderIndexesCarryListFilters). Reading each row it passed, a page of 50 of one
  // pipeline's deals by value read ten pipelines' deals to find its own.
  const { workspaceId, pipelineId, held } = await alongFixture();
  await own.client.query('VACUUM deals');
  const viewer = { workspaceId, userId: '', externalId: '', role: Role.ADMIN };
  const spellings: [string, KeysetQuery, string][] = [
    ["the pipeline's own list", dealListQuery(viewer, 'pipeline_id', { orderBy: byValue, first: 50 }), pipelineId],
    ['filtered by pipeline, status and source', dealListQuery(viewer, 'workspace_id',
      { filter: { pipelineId, status: DealStatus.OPEN, leadSource: held }, orderBy: byValue, first: 50 }), workspaceId],
    // The pipeline's source is its own: the workspace's deals of that source are its deals.
    ["the workspace's deals of a source, by close date", dealListQuery(viewer, 'workspace_id',
      { filter: { leadSource: held }, orderBy: [{ field: DealOrderField.EXPECTED_CLOSE_DATE, direction: OrderDirection.ASC }], first: 50 }), workspaceId],
  ];
  const { rows: byValueExpected } = await own.client.query('SELECT id FROM deals WHERE pipeline_id = $1 ORDER BY value DESC, id DESC LIMIT 50', [pipelineId]);
  const { rows: byCloseDate } = await own.client.query(`SELECT id FROM deals WHERE pipeline_id = $1
    ORDER BY COALESCE(expected_close_date, 'infinity'), id LIMIT 50`, [pipelineId]);
  for (const [name, query, parent] of spellings) {
    const expected = name.endsWith('by close date') ? byCloseDate : byValueExpected;
    expect([name, walkColumnsOf(query)]).toEqual([name, ['pipeline_id', 'status', 'lead_source']]);
    const page = pageStatement(query, [parent]);
    const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`, page.values);
    const steps = nodes(row['QUERY PLAN'][0].Plan);
    // The walk passed ten pipelines' deals in the index, and read only each match's row, by its
    // key (about 500 rows without the columns in the index).
    const walked = steps.filter((n) => n['Node Type'] === 'Index Only Scan' && /^deals_by_(value|close_date_asc)$/.test(n['Index Name'] ?? ''));
    expect([name, walked.reduce((sum, n) => sum + (n['Actual Rows'] ?? 0), 0) > 400]).toEqual([name, true]);
    expect([name, tableRowsRead(steps) <= 51]).toEqual([name, true]);
    const { rows } = await own.client.query(page.sql, page.values);
    expect([name, rows.slice(0, 50).map((r) => r.id)]).toEqual([name, expected.map((r) => r.id)]);
    // In list order whatever join reads the matches' rows (a hash join, on a small table).
    await own.client.query('BEGIN');
    try {
      await own.client.query('SET LOCAL enable_nestloop = off');
      const { rows: joined } = await own.client.query(page.sql, page.values);
      expect([name, joined.slice(0, 50).map((r) => r.id)]).toEqual([name, expected.map((r) => r.id)]);
    } finally {
      await own.client.query('ROLLBACK');
    }
  }
  // A condition the index does not carry (a close date) reads each row it passes, as before.
  const closed = dealListQuery(viewer, 'pipeline_id', { filter: { closedAfter: new Date(0) }, orderBy: byValue, first: 50 });
  expect(walkColumnsOf(closed)).toBeUndefined();
});

/** The columns a capped walk of the list reads from its index, if it reads no row (`KeysetQuery.split`). */
const walkColumnsOf = (query: KeysetQuery) => query.split?.(new SqlParams()).walkColumns;

/** Rows read from `deals` itself: of an index-only scan, only those it fetched from the table. */
const tableRowsRead = (steps: PlanNode[]) => steps.filter((n) => n['Relation Name'] === 'deals').reduce((sum, n) => sum + (n['Actual Loops'] ?? 1)
  * (n['Node Type'] === 'Index Only Scan' ? n['Heap Fetches'] ?? 0 : (n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)), 0);
