import { SqlParams } from '../../infra/db/sql-params';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { BoardSelection } from './board-selection';

/** The board as the single statement returns it: rows as PostgreSQL's JSON renders them. */
export interface BoardRows {
  pipeline: Record<string, unknown> | null;
  stages: Record<string, unknown>[] | null;
  /** First `first + 1` deals of each stage, in page order, with `__parent` and sort keys `__k<i>`. */
  deals: Record<string, unknown>[] | null;
  /** Matching deals per stage id; absent when totalCount is not asked for. */
  counts?: Record<string, number> | null;
  owners?: Record<string, unknown>[] | null;
  leads?: Record<string, unknown>[] | null;
}

/**
 * A pipeline, its stages, the first page of deals of each stage (with the same conditions,
 * order and cursor keys as the general path's keyset pages), their counts, owners and leads:
 * one statement, each part an index walk, and one JSON value per part so that a single row
 * carries the whole board.
 */
export function boardStatement(pipelineId: string, workspaceId: string, query: KeysetQuery, selection: BoardSelection) {
  const params = new SqlParams();
  const pipeline = params.add(pipelineId);
  const workspace = params.add(workspaceId);
  const conditions = query.where(params).join(' AND ');
  const keyColumns = query.sort.map((k, i) => `(${k.sql})::text AS __k${i}`).join(', ');
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  const limit = params.add(query.first + 1);

  const parts = [
    `(SELECT row_to_json(pipeline) FROM pipeline) AS pipeline`,
    `(SELECT json_agg(stage ORDER BY stage.position, stage.id) FROM stage) AS stages`,
    `(SELECT json_agg(page ORDER BY page.__parent, page.__n) FROM page) AS deals`,
  ];
  if (selection.totalCount) {
    // A count per stage, each an index walk; a join over the CTE would scan every deal.
    parts.push(`(SELECT json_object_agg(s.id, (SELECT count(*)::int FROM deals t WHERE t.stage_id = s.id AND ${conditions}))
      FROM stage s) AS counts`);
  }
  if (selection.owner) {
    parts.push(`(SELECT json_agg(u) FROM users u WHERE u.id IN (SELECT owner_id FROM page) AND u.workspace_id = ${workspace}) AS owners`);
  }
  if (selection.lead) {
    parts.push(`(SELECT json_agg(l) FROM leads l WHERE l.id IN (SELECT lead_id FROM page) AND l.workspace_id = ${workspace}) AS leads`);
  }

  const sql = `WITH pipeline AS (SELECT * FROM pipelines WHERE id = ${pipeline} AND workspace_id = ${workspace}),
    stage AS (SELECT * FROM stages WHERE pipeline_id IN (SELECT id FROM pipeline) AND workspace_id = ${workspace}),
    page AS (SELECT s.id AS __parent, p.* FROM stage s CROSS JOIN LATERAL (
      SELECT t.*, ${keyColumns}, row_number() OVER (ORDER BY ${orderBy}) AS __n FROM deals t
      WHERE t.stage_id = s.id AND ${conditions} ORDER BY ${orderBy} LIMIT ${limit}) p)
    SELECT ${parts.join(',\n    ')}`;
  return { sql, params: params.values };
}
