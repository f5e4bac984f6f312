import { SqlParams } from '../../infra/db/sql-params';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { DealPageRows, PageNeeds, pageParts } from '../deals/deal-pages.query';

/** The board adds its pipeline and stages. */
export interface BoardRows extends DealPageRows {
  pipeline: Record<string, unknown> | null;
  stages: Record<string, unknown>[] | null;
}

/**
 * A pipeline, its stages, and the first page of deals of each stage with their counts,
 * owners and leads: one statement, one JSON value per part, so a single row carries the
 * whole board.
 */
export function boardStatement(pipelineId: string, workspaceId: string, query: KeysetQuery, needs: PageNeeds) {
  const params = new SqlParams();
  const pipeline = params.add(pipelineId);
  const workspace = params.add(workspaceId);
  const { page, parts } = pageParts(query, params, workspace, needs, 'SELECT id FROM stage');
  const sql = `WITH pipeline AS (SELECT * FROM pipelines WHERE id = ${pipeline} AND workspace_id = ${workspace}),
    stage AS (SELECT * FROM stages WHERE pipeline_id IN (SELECT id FROM pipeline) AND workspace_id = ${workspace}),
    ${page}
    SELECT (SELECT row_to_json(pipeline) FROM pipeline) AS pipeline,
    (SELECT json_agg(stage ORDER BY stage.position, stage.id) FROM stage) AS stages,
    ${parts.join(',\n    ')}`;
  return { sql, params: params.values };
}
