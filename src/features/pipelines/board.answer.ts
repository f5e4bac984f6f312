import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { SelectedField } from '../../infra/graphql/selection';
import { hasArguments, leaf, NotThisShape, Reader, RootStatement } from '../../infra/sql-answers/answer-fields';
import { JsonField, jsonObject } from '../../infra/sql-answers/json-fields';
import { dealConnection } from '../deals/deal-list.answer';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

function stages(r: Reader<Context>, field: SelectedField): JsonField {
  if (hasArguments(field)) throw new NotThisShape();
  const fields = field.below.fields.map((f) => (f.name === 'deals'
    ? dealConnection(r, f, { column: 'stage_id', id: 'st.id' })
    : leaf(r, Stage, 'Stage', f, 'st')));
  return {
    key: field.key,
    sql: `(SELECT coalesce(json_agg(${jsonObject(fields)} ORDER BY st.position, st.id), '[]'::json)
      FROM stages st WHERE st.pipeline_id = pl.id AND st.workspace_id = ${r.workspace})`,
  };
}

/** A pipeline over row alias `pl`: plain fields, its stages with their deals, its own deals lists. */
function pipelineObject(r: Reader<Context>, field: SelectedField): string {
  return jsonObject(field.below.fields.map((f) => {
    if (f.name === 'stages') return stages(r, f);
    if (f.name === 'deals') return dealConnection(r, f, { column: 'pipeline_id', id: 'pl.id' });
    return leaf(r, Pipeline, 'Pipeline', f, 'pl');
  }));
}

/**
 * The board's answer built by PostgreSQL: `pipeline(id)` with plain fields, its `stages` and
 * their `deals(...)`, and its own `deals(...)` lists (first pages as `dealConnection` builds
 * them), in any spelling, as one SQL value, field for field as graphql-js would serialise it.
 * No row for a pipeline that is not there: the general path answers NOT_FOUND.
 */
export const boardStatement: RootStatement<Context> = (r, root, args) => {
  const pipelineId = r.params.add(parseId(args.id as string, 'pipeline', 'id'));
  return `SELECT ${pipelineObject(r, root)} AS answer FROM pipelines pl WHERE pl.id = ${pipelineId} AND pl.workspace_id = ${r.workspace}`;
};

/** `pipelines`: every pipeline of the workspace, oldest first (as the resolver lists them), each as `pipeline(id)` answers it. */
export const pipelinesStatement: RootStatement<Context> = (r, root) => `SELECT coalesce(json_agg(${pipelineObject(r, root)}
  ORDER BY pl.created_at, pl.id), '[]'::json) AS answer FROM pipelines pl WHERE pl.workspace_id = ${r.workspace}`;
