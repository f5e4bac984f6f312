import { EntityManager } from 'typeorm';
import { PlanChoice, queryPrepared } from '../db/prepared';
import { SqlParams } from '../db/sql-params';
import { Page } from './connection.types';
import { BadInputError } from '../errors/domain-errors';
import { decodeCursor, encodeCursor, listIdentity } from './cursor';
import { beyond, orderedRows, WalkOptions } from './capped-walk';

/** One ORDER BY term: a never-null SQL expression over alias `t`, and its type for cursor values. */
export interface SortKey {
  sql: string;
  cast: string;
  descending: boolean;
}

export interface KeysetQuery {
  table: string;
  /** Pages are taken per value of this column (one statement for many parents). */
  parentColumn: string;
  parentType: 'uuid' | 'text';
  /**
   * The conditions that keep a parent's rows (SQL of its id) where `t.<parentColumn> = parent`
   * alone would not say it well: a list that reaches its parent through another column
   * (`parentRows`). `rows` are over alias `t`; `once` over the parent alone (that it is the
   * viewer's), checked once per parent.
   */
  parentScope?: (parent: string, params: SqlParams) => ParentScope;
  /** Conditions over alias `t`, with their parameters. */
  where: (params: SqlParams) => string[];
  /**
   * Conditions over the parent alone (SQL of its id), true of every row the list can hold when
   * they hold: PostgreSQL checks them once per parent, before reading its rows, and reads
   * nothing for a parent whose list they show empty (a WON column's OPEN deals).
   */
  parentBound?: (parent: string, params: SqlParams) => string[];
  /**
   * `where` in two: the conditions an index narrows in the list's order (the parent's, an
   * owner's, a range of the leading sort key) and those only checked row by row along it (a
   * close date in creation order). With checked conditions a page's walk is capped
   * (`orderedRows`). `walkColumns`: every column the checked conditions read (the parent's
   * too), where the index the walk follows carries them: the walk then returns these and `id`
   * alone, read from the index, and a table row only for each match. Unset, the walk reads
   * each row it passes.
   */
  split?: (params: SqlParams) => { narrowing: string[]; checked: string[]; walkColumns?: readonly string[] };
  /**
   * When the rows lie in several ranges of an index (deals of a few stages): the column and
   * its values. Each range's page is read by the index in order, and the pages merged, where
   * a condition `column = ANY(values)` alone walks the parent's whole list in order.
   */
  parts?: { column: string; type: 'uuid' | 'text'; values: readonly string[] };
  /** The ordering, ending with a unique key so that every row has one place. */
  sort: SortKey[];
  /**
   * Every condition is an equality on an indexed column, or a value written into the statement
   * (`enumLiteral`): one generic plan serves every value of its parameters (infra/db/prepared.ts),
   * a capped walk's too. Not so for a range or a search, whose best plan depends on how many rows
   * the values match: each execution is planned for its values.
   */
  onePlanForAllValues?: boolean;
  /**
   * Names the list apart from its parent (conditions and ordering, e.g. the arguments as
   * JSON): with the table and the parent it makes the identity cursors carry.
   */
  list: string;
  workspaceId: string;
  first: number;
  after?: string | null;
}

export interface RawPage {
  rows: Record<string, unknown>[];
  /** The rows' cursors, or how to encode them when first read. */
  cursors: string[] | (() => string[]);
  hasNextPage: boolean;
  /** The parent's matching rows over all pages, when the statement counted them. */
  count?: number;
}

/** How a parent keeps its rows (`KeysetQuery.parentScope`). */
export interface ParentScope {
  /** Conditions over alias `t` that the walk of the list's order narrows by. */
  rows: string[];
  /** Conditions over the parent alone (that it is the viewer's), their parameters added only when read. */
  once: (params: SqlParams) => string[];
  /**
   * Conditions over alias `t` that the list's ordered index does not hold, checked along a
   * capped walk of it (`orderedRows`): a pipeline's deals by value, walked along the workspace's.
   */
  checked?: string[];
}

/**
 * Where the parent comes from: `viewers`, a row the statement read in the viewer's workspace
 * (a stage of a pipeline the SQL answers read), whose scope's checks on the parent alone
 * (`ParentScope.once`) hold already; else an id the statement was given.
 */
export interface ParentOrigin {
  viewers?: boolean;
}

/** How `parent` (SQL of its id) keeps its rows: `KeysetQuery.parentScope`, else the parent column's equality. */
function scopeOf(query: KeysetQuery, parent: string, params: SqlParams, { viewers = false }: ParentOrigin):
  { rows: string[]; once: string[]; checked?: string[] } {
  const scope = query.parentScope?.(parent, params);
  if (!scope) return { rows: [`t.${query.parentColumn} = ${parent}`], once: [] };
  return { ...scope, once: viewers ? [] : scope.once(params) };
}

/**
 * The conditions that keep the rows of `parent` (SQL of its id): `bounds`, all beside the rows
 * (its scope and `KeysetQuery.parentBound`), for the walk of the list's order to narrow by, and
 * `checked` along it (`ParentScope.checked`).
 */
export function parentRows(query: KeysetQuery, parent: string, params: SqlParams, origin: ParentOrigin = {}): { bounds: string[]; checked: string[] } {
  const { rows, once, checked = [] } = scopeOf(query, parent, params, origin);
  return { bounds: [...rows, ...once, ...(query.parentBound?.(parent, params) ?? [])], checked };
}

/**
 * SQL of how many rows of `parent` (SQL of its id) the list holds. The conditions on the parent
 * alone (`parentScope`'s `once`, `parentBound`) are checked before the count, not in it: there
 * PostgreSQL passes every counted row through a filter node of its own for them, a fifth of
 * the time of a board's counts.
 */
export function countSql(query: KeysetQuery, parent: string, params: SqlParams, origin: ParentOrigin = {}): string {
  const scope = scopeOf(query, parent, params, origin);
  const once = [...scope.once, ...(query.parentBound?.(parent, params) ?? [])];
  const count = `(SELECT count(*)::int FROM ${query.table} t WHERE ${[...scope.rows, ...(scope.checked ?? []), ...query.where(params)].join(' AND ')})`;
  return once.length ? `CASE WHEN ${once.join(' AND ')} THEN ${count} ELSE 0 END` : count;
}

/** The rows after a cursor's sort keys, each key a parameter. */
function afterCondition(sort: SortKey[], keys: string[], params: SqlParams): string {
  return beyond(sort, sort.map((k, i) => `${params.add(keys[i])}::${k.cast}`));
}

/**
 * The condition that keeps the rows after `query.after` in the list of `parentId`. A cursor of
 * another list answers BAD_USER_INPUT (field `after`), of another workspace NOT_FOUND.
 */
export function afterBound(query: KeysetQuery, parentId: string, params: SqlParams): string {
  const keys = decodeCursor(query.after!, query.workspaceId, listIdentity(query, parentId), query.sort.length);
  return afterCondition(query.sort, keys, params);
}

/**
 * A cursor is opaque but not sealed: a tampered one can carry sort keys PostgreSQL cannot
 * cast (SQLSTATE class 22, data exception). Every other value in the statement was checked
 * before, so such an error means a bad cursor, not a fault of ours.
 */
export function isDataException(err: unknown): boolean {
  const code = (err as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ?? (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** A statement and its parameters. */
export interface Statement {
  sql: string;
  values: unknown[];
}

/**
 * The statement behind `fetchPages`: a LATERAL subquery per parent lets PostgreSQL walk the
 * (parent, sort keys) index and stop after `first + 1` rows (or, where some conditions are only
 * checked along that walk, after `walkCap` rows: `orderedRows`). With `count`, each parent's
 * matching rows over all pages are counted in the same statement (`__count`, one index walk per
 * parent), and a parent with an empty page still answers one row, without sort keys.
 */
export function pageStatement(query: KeysetQuery, parentIds: readonly string[], count = false): Statement {
  const params = new SqlParams();
  const parents = params.add(parentIds);
  const { bounds, checked } = parentRows(query, 'p.parent', params);
  if (query.after) {
    // Every parent checks the cursor: one issued by another parent's list is refused, not
    // read as a position in this one. They share the statement, so one refusal fails the batch.
    for (const id of parentIds.slice(1)) decodeCursor(query.after, query.workspaceId, listIdentity(query, id), query.sort.length);
    bounds.push(afterBound(query, parentIds[0], params));
  }
  // Counted first, the page knows how many rows it looks for (`orderedRows`' `matches`). `OFFSET 0`
  // keeps the count a column of its own: pulled up, each reader of it would count again.
  const page = `(${pageRows(query, params, bounds, params.add(query.first + 1), { checked, matches: count ? 'c.__count' : undefined })}) page`;
  const sql = count
    ? `SELECT p.parent AS __parent, c.__count, page.* FROM unnest(${parents}::${query.parentType}[]) AS p(parent)
    CROSS JOIN LATERAL (SELECT ${countSql(query, 'p.parent', params)} AS __count OFFSET 0) c
    LEFT JOIN LATERAL ${page} ON true`
    : `SELECT p.parent AS __parent, page.* FROM unnest(${parents}::${query.parentType}[]) AS p(parent)
    CROSS JOIN LATERAL ${page}`;
  return { sql, values: params.values };
}

/**
 * A SELECT of a page's first `limit` rows in list order, over alias `t` (`orderedRows`, whose
 * options it takes). Where the rows lie in several ranges of an index (`KeysetQuery.parts`),
 * each part's page is read from its range in order, and the pages merged: `column = ANY(values)`
 * alone walks the parent's whole list in order, from its start even after a cursor.
 */
export function pageRows(query: KeysetQuery, params: SqlParams, bounds: string[], limit: string,
  options: Omit<WalkOptions, 'leading'> = {}): string {
  const { parts } = query;
  if (!parts) return orderedRows(query, params, bounds, limit, options);
  // Within a part its column is constant: leading the order with it changes nothing but points
  // the planner at the index that has each part as one range.
  const ordered = orderedRows(query, params, [...bounds, `t.${parts.column} = s.part`], limit, { ...options, leading: `t.${parts.column}` });
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  // Alias `t` again, so that the sort keys read the same columns.
  return `SELECT t.* FROM unnest(${params.add(parts.values)}::${parts.type}[]) AS s(part) CROSS JOIN LATERAL (${ordered}) t
      ORDER BY ${orderBy} LIMIT ${limit}`;
}

/** How PostgreSQL should plan a list's statements. */
export const planFor = (query: KeysetQuery): PlanChoice => (query.onePlanForAllValues ? 'generic' : 'per-values');

/** Cursors encoded when first read: most clients never ask for one. */
function lazyCursors(query: KeysetQuery, parentId: string, rows: Record<string, unknown>[]): () => string[] {
  let cursors: string[] | undefined;
  return () => (cursors ??= rows.map((row) =>
    encodeCursor(query.workspaceId, listIdentity(query, parentId), query.sort.map((_, i) => String(row[`__k${i}`])))));
}

/**
 * The first page after the cursor for each parent, in one statement (`pageStatement`); with
 * `count`, each page also carries its parent's total.
 */
export async function fetchPages(em: EntityManager, query: KeysetQuery, parentIds: readonly string[], count = false): Promise<Map<string, RawPage>> {
  const { sql, values } = pageStatement(query, parentIds, count);
  const rows = await queryPrepared(em, sql, values, planFor(query)).catch((err) => {
    throw query.after && isDataException(err) ? new BadInputError('The cursor is not valid', 'after') : err;
  });

  const pages = new Map<string, RawPage>(parentIds.map((id) => [id, { rows: [], cursors: [], hasNextPage: false }]));
  for (const row of rows) {
    const page = pages.get(String(row.__parent))!;
    if (count) page.count = row.__count as number;
    if (row.__k0 === null) continue; // a parent with an empty page, counted
    if (page.rows.length === query.first) {
      page.hasNextPage = true;
      continue;
    }
    page.rows.push(row);
  }
  for (const [parentId, page] of pages) page.cursors = lazyCursors(query, parentId, page.rows);
  return pages;
}

/** The statement behind `countPerParent`: an index walk per parent, as for its page. */
export function countStatement(query: KeysetQuery, parentIds: readonly string[]): Statement {
  const params = new SqlParams();
  const parents = params.add(parentIds);
  const sql = `SELECT p.parent::text AS parent, c.n FROM unnest(${parents}::${query.parentType}[]) AS p(parent)
     CROSS JOIN LATERAL (SELECT ${countSql(query, 'p.parent', params)} AS n) c`;
  return { sql, values: params.values };
}

/** How many rows match, per parent, in one statement. */
export async function countPerParent(em: EntityManager, query: KeysetQuery, parentIds: readonly string[]): Promise<Map<string, number>> {
  const { sql, values } = countStatement(query, parentIds);
  const rows = await queryPrepared<{ parent: string; n: number }>(em, sql, values, planFor(query));
  const counts = new Map(parentIds.map((id) => [id, 0]));
  for (const row of rows) counts.set(row.parent, row.n);
  return counts;
}

/** A connection page from a raw page; `count` runs only if the client asks for totalCount and the page has none. */
export function toPage<T>(raw: RawPage, toNode: (row: Record<string, unknown>) => T, after: string | null | undefined,
  count: () => Promise<number>): Page<T> {
  const counted = raw.count;
  return new Page(raw.rows.map(toNode), raw.cursors, { hasNextPage: raw.hasNextPage, hasPreviousPage: Boolean(after) },
    counted === undefined ? count : () => Promise.resolve(counted));
}
