import { SqlParams } from '../../infra/db/sql-params';
import { orderedRows } from '../../infra/pagination/capped-walk';
import { countSql, KeysetQuery, parentRows } from '../../infra/pagination/keyset';
import { HEALTH_COLUMNS } from '../health/health.loaders';

/** Deal pages as the single statement returns them: rows as PostgreSQL's JSON renders them. */
export interface DealPageRows {
  /** First `first + 1` deals of each parent, in page order, with `__parent` and sort keys `__k<i>`. */
  deals: Record<string, unknown>[] | null;
  /** Matching deals per parent id; absent when totalCount is not asked for. */
  counts?: Record<string, number> | null;
  owners?: Record<string, unknown>[] | null;
  leads?: Record<string, unknown>[] | null;
  /** Each deal's health (HEALTH_COLUMNS); absent when `health` is not asked for. */
  health?: Record<string, unknown>[] | null;
}

/** What the statement loads besides the pages. */
export interface PageNeeds {
  totalCount: boolean;
  owner: boolean;
  lead: boolean;
  /** Whether each deal's health is asked for (computed in the same statement). */
  health: boolean;
  /** Whether to return the sort keys that cursors are made of (a cursor is read: an edge's, or the page info's). */
  cursors: boolean;
  /** The columns to return of deals, owners and leads; null: whole rows. */
  dealColumns: string[] | null;
  ownerColumns: string[] | null;
  leadColumns: string[] | null;
}

/** `t.*`, or the given columns of alias `t`. */
const columnList = (alias: string, columns: string[] | null) => (columns ? columns.map((c) => `${alias}."${c}"`) : [`${alias}.*`]);

/**
 * The `page` CTE and the parts built on it: the first page of deals of each parent (with the
 * same conditions, order and cursor keys as the general path's keyset pages), the counts,
 * owners and leads. `parents` is a subquery of the parent ids (`id`), matched as the query
 * says (`parentRows`); each page and each count is an index walk per parent.
 */
export function pageParts(query: KeysetQuery, params: SqlParams, workspace: string, needs: PageNeeds, parents: string) {
  const columns = columnList('t', needs.dealColumns);
  const keyColumns = needs.cursors ? query.sort.map((k, i) => `(${k.sql})::text AS __k${i}`) : [];
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  const limit = params.add(query.first + 1);
  const { bounds, checked } = parentRows(query, 's.id', params);
  // A count per parent, each an index walk (a join over a CTE would scan every deal), read
  // before its page, which then knows how many rows it looks for (`orderedRows`' `matches`).
  const counted = needs.totalCount ? `counted AS (SELECT s.id, ${countSql(query, 's.id', params)} AS n FROM (${parents}) s)` : undefined;
  const rows = orderedRows(query, params, bounds, limit, { keys: needs.cursors, checked, matches: counted && 's.n' });

  const page = `${counted ? `${counted}, ` : ''}page AS (SELECT s.id AS __parent, p.* FROM ${counted ? 'counted' : `(${parents})`} s CROSS JOIN LATERAL (
      SELECT ${[...columns, ...keyColumns].join(', ')}, row_number() OVER (ORDER BY ${orderBy}) AS __n
      FROM (${rows}) t) p)`;
  const parts = ['(SELECT json_agg(page ORDER BY page.__parent, page.__n) FROM page) AS deals'];
  if (counted) parts.push('(SELECT json_object_agg(s.id, s.n) FROM counted s) AS counts');
  if (needs.owner) {
    parts.push(`(SELECT json_agg(u) FROM (SELECT ${columnList('u', needs.ownerColumns).join(', ')} FROM users u
      WHERE u.id IN (SELECT owner_id FROM page) AND u.workspace_id = ${workspace}) u) AS owners`);
  }
  if (needs.lead) {
    parts.push(`(SELECT json_agg(l) FROM (SELECT ${columnList('l', needs.leadColumns).join(', ')} FROM leads l
      WHERE l.id IN (SELECT lead_id FROM page) AND l.workspace_id = ${workspace}) l) AS leads`);
  }
  if (needs.health) {
    parts.push(`(SELECT json_agg(h) FROM (SELECT ${HEALTH_COLUMNS} FROM deals t
      WHERE t.id IN (SELECT id FROM page) AND t.workspace_id = ${workspace}) h) AS health`);
  }
  return { page, parts };
}

/** The first page of the workspace's deals list with its count, owners and leads: one statement. */
export function dealListStatement(workspaceId: string, query: KeysetQuery, needs: PageNeeds) {
  const params = new SqlParams();
  const workspace = params.add(workspaceId);
  const { page, parts } = pageParts(query, params, workspace, needs, `SELECT ${workspace}::text AS id`);
  const sql = `WITH ${page}
    SELECT ${parts.join(',\n    ')}`;
  return { sql, params: params.values };
}
