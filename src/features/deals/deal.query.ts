import { SqlParams, enumLiteral, likePattern } from '../../infra/db/sql-params';
import { LeadSource } from '../leads/lead.enums';
import { parseId, parseIds } from '../../infra/db/ids';
import { BadInputError } from '../../infra/errors/domain-errors';
import { KeysetQuery, SortKey } from '../../infra/pagination/keyset';
import { canonicalArgs, pageSize } from '../../infra/pagination/cursor';
import { optionalText, userRef } from '../../infra/validation';
import { userIdSql } from '../workspaces/users';
import { Viewer } from '../workspaces/viewer';
import { DealOrderField, OrderDirection } from './deal.enums';
import { DealFilter, DealOrder } from './deal.filters';
import { anyReasonSql } from '../health/health.sql';
import { STALLED_SQL } from './stalled';

/** Where a list of deals hangs: a stage, a pipeline, or the whole workspace. */
export type DealParent = 'stage_id' | 'pipeline_id' | 'workspace_id';

export interface DealListArgs {
  filter?: DealFilter | null;
  orderBy?: DealOrder[] | null;
  first?: number | null;
  after?: string | null;
}

/**
 * Never-null sort expressions (keyset comparisons cannot step over NULL). A deal without an
 * expected close date comes last in either direction: a list of deals closing soonest or
 * latest shows the dated ones first, so the missing date stands for the far end.
 */
const SORT_SQL: Record<DealOrderField, (descending: boolean) => { sql: string; cast: string }> = {
  [DealOrderField.VALUE]: () => ({ sql: 't.value', cast: 'numeric' }),
  [DealOrderField.CREATED_AT]: () => ({ sql: 't.created_at', cast: 'timestamptz' }),
  [DealOrderField.UPDATED_AT]: () => ({ sql: 't.updated_at', cast: 'timestamptz' }),
  [DealOrderField.EXPECTED_CLOSE_DATE]: (descending) => ({
    sql: `COALESCE(t.expected_close_date, '${descending ? '-infinity' : 'infinity'}')`, cast: 'timestamptz',
  }),
  [DealOrderField.STAGE_ENTERED_AT]: () => ({ sql: 't.stage_entered_at', cast: 'timestamptz' }),
  [DealOrderField.TITLE]: () => ({ sql: 't.title', cast: 'text' }),
};

const DEFAULT_ORDER: DealOrder[] = [{ field: DealOrderField.CREATED_AT, direction: OrderDirection.ASC }];

function sortKeys(orderBy: DealOrder[]): SortKey[] {
  const keys = orderBy.map((o) => {
    const descending = o.direction === OrderDirection.DESC;
    return { ...SORT_SQL[o.field](descending), descending };
  });
  return [...keys, { sql: 't.id', cast: 'uuid', descending: keys.at(-1)?.descending ?? false }];
}

/**
 * Filter fields that are ranges of a sort key: on a list led by that key, the walk of its index
 * takes the range as a bound (`dealConditionSplit`), whatever its values, so one plan serves them
 * too; custom plans cost more to plan than such a page costs to read (0.35 against 0.15 ms).
 */
const SORT_KEY_RANGES = {
  valueMin: DealOrderField.VALUE, valueMax: DealOrderField.VALUE,
  createdAfter: DealOrderField.CREATED_AT, createdBefore: DealOrderField.CREATED_AT,
} as const;
const sortKeyOf = (field: string): DealOrderField | undefined => SORT_KEY_RANGES[field as keyof typeof SORT_KEY_RANGES];

/** A filter's pipeline, its id checked for form. */
const pipelineIdOf = (filter: DealFilter | null | undefined): string | undefined =>
  (filter?.pipelineId === undefined || filter.pipelineId === null ? undefined : parseId(filter.pipelineId, 'pipeline', 'filter.pipelineId'));

/** A filter's stages, each once (a stage named twice is one stage), their ids checked for form. */
const stageIdsOf = (filter: DealFilter | null | undefined): string[] | undefined =>
  (filter?.stageIds ? [...new Set(parseIds(filter.stageIds, 'stage', 'filter.stageIds'))] : undefined);

/** How a list is walked in its order (`dealConditionSplit`). */
interface Walk {
  /** The field that leads the list's order. */
  leading?: DealOrderField;
  /** The list's scope keeps it to the viewer's workspace (`workspaceScope`): no deal's is checked. */
  scoped?: boolean;
  /** The list is walked along the workspace's index in its order (`alongWorkspace`). */
  alongWorkspace?: boolean;
}

/**
 * SQL conditions (alias `t`) for a filter, in two: those an index narrows when the list is
 * walked in the order `leading` leads (equality on a column with indexes of its own, status
 * included, the trigram search, a range of the leading key), and those only checked row by row along that
 * walk (`KeysetQuery.split`): ranges of other keys, and on a walk along the workspace's index,
 * the equalities of few values (pipeline, status, lead source). Every id is checked for form
 * before it is used.
 */
export function dealConditionSplit(viewer: Viewer, filter: DealFilter | null | undefined, { leading, scoped = false, alongWorkspace = false }: Walk = {}) {
  const f = filter ?? {};
  const pipelineId = pipelineIdOf(f);
  const stageIds = stageIdsOf(f);
  const search = optionalText(f.search, 'filter.search');
  const ownerId = f.ownerId ? userRef(f.ownerId, 'filter.ownerId') : undefined;
  for (const [field, value] of [['valueMin', f.valueMin], ['valueMax', f.valueMax]] as const) {
    if (value !== undefined && value !== null && !Number.isFinite(value)) throw new BadInputError(`${field} must be a finite number`, `filter.${field}`);
  }
  const present = (value: unknown) => value !== undefined && value !== null;
  // `given`: a parameter of the caller's that already holds the viewer's workspace. Else one is
  // added when first read: PostgreSQL refuses a parameter a statement never reads.
  return (p: SqlParams, given?: string) => {
    let added: string | undefined;
    const workspace = () => given ?? (added ??= p.add(viewer.workspaceId));
    const narrowing = [...(scoped ? [] : [`t.workspace_id = ${workspace()}`]), 't.deleted_at IS NULL'];
    // Checked along the walk: equalities of few values (along the workspace's index, which
    // carries their columns), and conditions only a row can answer.
    const checked: string[] = [];
    const onRows: string[] = [];
    const range = (field: DealOrderField) => (leading === field ? narrowing : onRows);
    const fewValued = alongWorkspace ? checked : narrowing;
    if (pipelineId) fewValued.push(`t.pipeline_id = ${p.add(pipelineId)}`);
    // One stage as an equality: a generic plan cannot know that an array holds one id, and plans
    // `= ANY` as several stages, which no stage index returns in order (a stage's column by time
    // in stage walked the workspace's whole index instead).
    if (stageIds?.length === 1) narrowing.push(`t.stage_id = ${p.add(stageIds[0])}::uuid`);
    else if (stageIds) narrowing.push(`t.stage_id = ANY(${p.add(stageIds)}::uuid[])`);
    if (ownerId) narrowing.push(`t.owner_id = ${userIdSql(workspace(), p.add(ownerId))}`);
    // The deal's copy of its lead's source (deal-lead-source.sql): indexed, and counted by the
    // planner for each source, so each source has a statement and a plan of its own (EQUALITIES).
    if (f.leadSource) fewValued.push(`t.lead_source = ${enumLiteral(f.leadSource, LeadSource, 'lead_source', 'filter.leadSource')}`);
    if (search) narrowing.push(`t.title ILIKE ${p.add(likePattern(search))}`);
    // Else a status is left to the planner: the OPEN deals have partial indexes of their own (a stage's
    // open deals by value, deals_open_by_stage; a pipeline's by status), and a walk capped ahead of
    // them reads a thousand rows of a WON column to find none.
    if (f.status) fewValued.push(`t.status = ${p.add(f.status)}`);
    if (present(f.valueMin)) range(SORT_KEY_RANGES.valueMin).push(`t.value >= ${p.add(f.valueMin)}`);
    if (present(f.valueMax)) range(SORT_KEY_RANGES.valueMax).push(`t.value <= ${p.add(f.valueMax)}`);
    if (f.createdAfter) range(SORT_KEY_RANGES.createdAfter).push(`t.created_at >= ${p.add(f.createdAfter)}`);
    if (f.createdBefore) range(SORT_KEY_RANGES.createdBefore).push(`t.created_at < ${p.add(f.createdBefore)}`);
    if (f.closedAfter) onRows.push(`t.closed_at >= ${p.add(f.closedAfter)}`);
    if (f.closedBefore) onRows.push(`t.closed_at < ${p.add(f.closedBefore)}`);
    if (f.stalled !== undefined && f.stalled !== null) {
      const stalled = `EXISTS (SELECT 1 FROM stages s WHERE s.id = t.stage_id AND ${STALLED_SQL('t', 's')})`;
      onRows.push(f.stalled ? stalled : `NOT ${stalled}`);
    }
    const reasons = anyReasonSql('t', f.healthReasons ?? []);
    if (reasons) onRows.push(reasons);
    return { narrowing, checked: [...checked, ...onRows], walkColumns: alongWorkspace && !onRows.length ? WALK_COLUMNS : undefined };
  };
}

/** A split's two lists as one. */
const joined = (split: ReturnType<typeof dealConditionSplit>) => (p: SqlParams, workspace?: string): string[] => {
  const { narrowing, checked } = split(p, workspace);
  return [...narrowing, ...checked];
};

/** SQL conditions (alias `t`) for a filter: `dealConditionSplit`'s two lists as one. */
export function dealConditions(viewer: Viewer, filter: DealFilter | null | undefined) {
  return joined(dealConditionSplit(viewer, filter));
}

/** The orderings a pipeline has indexes for (a stage has one for each). */
const PIPELINE_ORDERS = new Set([DealOrderField.CREATED_AT, DealOrderField.EXPECTED_CLOSE_DATE]);

/**
 * Whether a list is walked along the workspace's index in its order, with the pipeline, a status
 * and a lead source checked along a capped walk of it (`orderedRows`) and the matches past the
 * cap taken by their own indexes: each of their values holds a large share, which the walk finds
 * soonest. Left to the planner as filters of an uncapped walk, taken as spread evenly and
 * independent, they walk on for as long as the order puts their matches last:
 * - a pipeline's list in an order the pipeline has no index for, where no stage narrows it: a
 *   pipeline's deals of a source it holds none of walked all 100,000 deals (55 ms, against 4.6
 *   capped);
 * - the workspace's deals of a lead source, in an order other than creation (which the source's
 *   own index holds), with no owner or search: its WON deals by expected close date walked the
 *   26,000 OPEN ones dated before them (16 ms; 7–9 capped, PostGraphile's sort 4–6).
 * An owner, one of hundreds, still narrows the walk: the planner may take the owner's few deals
 * by their index and sort them. A status alone is left to the planner: the newest 2,100 deals
 * hold 3 of the 29,887 WON ones, so a capped walk of them newest first sorted them all (43 ms,
 * against 28 uncapped).
 */
function alongWorkspace(parent: DealParent, leading: DealOrderField, pipelineId: string | undefined, stageIds: string[] | undefined,
  filter?: DealFilter | null): boolean {
  if (stageIds) return false;
  if (parent === 'pipeline_id' || (parent === 'workspace_id' && pipelineId !== undefined)) return !PIPELINE_ORDERS.has(leading);
  const f = filter ?? {};
  return parent === 'workspace_id' && Boolean(f.leadSource) && !f.ownerId && !f.search && leading !== DealOrderField.CREATED_AT;
}

/**
 * The columns of the equalities checked along a walk of the workspace's index
 * (`alongWorkspace`): its ordering indexes carry them (migrations DealOrderIndexesCarryListFilters
 * and CloseDateIndexesCarryListFilters; not `deals_list`, which no such walk follows), so a walk
 * that checks nothing else reads them from the index alone (`KeysetQuery.split`'s `walkColumns`).
 */
const WALK_COLUMNS = ['pipeline_id', 'status', 'lead_source'] as const;

/**
 * How a list of one stage or one pipeline (its parent, else its filter's) is kept to the
 * viewer's workspace. In an order that stage or pipeline has an index for: by checking, once,
 * that the stage or pipeline is the viewer's. A deal's stage and pipeline are in its workspace
 * (foreign keys with the workspace, migration DealsInTheirWorkspace), so their deals are.
 * Checking each deal's workspace instead offered the planner the workspace's indexes for a
 * pipeline's list, which it took on some days' statistics (a pipeline's OPEN deals, walked
 * through all the workspace's). A pipeline's list walked along the workspace's index
 * (`alongWorkspace`): by that index, the pipeline checked along it. Undefined for other lists:
 * each deal's workspace is checked.
 */
function workspaceScope(viewer: Viewer, parent: DealParent, leading: DealOrderField, pipelineId: string | undefined,
  stageIds: string[] | undefined): KeysetQuery['parentScope'] {
  const owned = (table: 'stages' | 'pipelines', id: string, workspace: string) =>
    `EXISTS (SELECT FROM ${table} scope WHERE scope.id = ${id} AND scope.workspace_id = ${workspace})`;
  if (parent === 'pipeline_id' && alongWorkspace(parent, leading, pipelineId, stageIds)) {
    return (id, p) => ({ rows: [`t.workspace_id = ${p.add(viewer.workspaceId)}`], once: () => [], checked: [`t.pipeline_id = ${id}`] });
  }
  if (parent === 'stage_id' || parent === 'pipeline_id') {
    const table = parent === 'stage_id' ? 'stages' : 'pipelines';
    return (id) => ({ rows: [`t.${parent} = ${id}`], once: (p) => [owned(table, id, p.add(viewer.workspaceId))] });
  }
  // A root list: its one stage, or its pipeline in an order the pipeline has an index for (the
  // filter holds the deals to it).
  if (stageIds?.length === 1) return (workspace) => ({ rows: [], once: (p) => [owned('stages', `${p.add(stageIds[0])}::uuid`, workspace)] });
  if (pipelineId && PIPELINE_ORDERS.has(leading)) {
    return (workspace) => ({ rows: [], once: (p) => [owned('pipelines', `${p.add(pipelineId)}::uuid`, workspace)] });
  }
  return undefined;
}

/**
 * Filter fields that are equalities on indexed columns: a list with no others is planned once
 * per statement, not per execution. Each value of the first four holds a like share of the
 * deals, so one plan serves all of them. Not so the lead source: one of ten values, half the
 * deals have none, and a source may have no deal at all. A plan made for the average source
 * walks the whole list in its order to find none (about 40 ms for a page of a source with no
 * deals, against 0.1 ms by the source's own index). So the source is written into the statement
 * (`enumLiteral`): each source its own statement, planned once for that source. Planning per
 * execution, as before, cost 1.0–1.7 ms of a 3–8 ms list.
 */
const EQUALITIES = new Set<string>(['pipelineId', 'stageIds', 'status', 'ownerId', 'leadSource']);

/** The keyset query behind every deal connection. */
export function dealListQuery(viewer: Viewer, parent: DealParent, args: DealListArgs): KeysetQuery {
  const orderBy = args.orderBy?.length ? args.orderBy : DEFAULT_ORDER;
  const stageIds = stageIdsOf(args.filter);
  // A field named twice adds nothing but cost; refusing it also bounds the keyset condition.
  if (new Set(orderBy.map((o) => o.field)).size !== orderBy.length) {
    throw new BadInputError('Each field may appear only once in orderBy', 'orderBy');
  }
  const leading = orderBy[0].field;
  const pipelineId = pipelineIdOf(args.filter);
  const parentScope = workspaceScope(viewer, parent, leading, pipelineId, stageIds);
  // One split serves both the walk (which conditions narrow it) and the counts (all of them).
  // A list of the workspace is kept to it by its parent (`t.workspace_id = parent`): the same
  // condition again, against a parameter, would make PostgreSQL compare the two beside every row.
  const along = alongWorkspace(parent, leading, pipelineId, stageIds, args.filter);
  const split = dealConditionSplit(viewer, args.filter, { leading, scoped: Boolean(parentScope) || parent === 'workspace_id', alongWorkspace: along });
  const conditions = Object.entries(args.filter ?? {}).filter(([, value]) => value !== undefined && value !== null);
  return {
    table: 'deals',
    // Each ordering has an index leading with stage_id: a few stages are read as one range each.
    parts: stageIds && stageIds.length > 1 ? { column: 'stage_id', type: 'uuid', values: stageIds } : undefined,
    parentColumn: parent,
    parentScope,
    parentType: parent === 'workspace_id' ? 'text' : 'uuid',
    where: joined(split),
    split,
    // A deal's status is its stage's kind (every stage entry sets it; a stage's kind never
    // changes): a stage holds no deals of another status, and PostgreSQL need not read its
    // column to find none (a WON column's OPEN deals).
    parentBound: parent === 'stage_id' && args.filter?.status
      ? (stage, p) => [`(SELECT bound.kind::text FROM stages bound WHERE bound.id = ${stage}) = ${p.add(args.filter!.status)}`]
      : undefined,
    sort: sortKeys(orderBy),
    onePlanForAllValues: conditions.every(([field]) => EQUALITIES.has(field) || sortKeyOf(field) === leading),
    list: canonicalArgs({ filter: args.filter, orderBy }),
    workspaceId: viewer.workspaceId,
    first: pageSize(args.first),
    after: args.after,
  };
}
