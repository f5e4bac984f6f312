import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { SelectedField } from '../../infra/graphql/selection';
import { leaf, objectOf, Reader, related, relatedList, RootStatement } from '../../infra/sql-answers/answer-fields';
import { jsonArray, JsonField } from '../../infra/sql-answers/json-fields';
import { dealConnection } from '../deals/deal-list.answer';
import { Pipeline } from './pipeline.entity';
import { Stage } from './stage.entity';

/**
 * A stage field over row alias `row`: plain, its pipeline, or its deals (a first page, as
 * `dealConnection` builds it, which reads the app's viewer: the app's readers run with its context).
 */
export function stageNode(r: Reader, field: SelectedField, row: string): JsonField {
  switch (field.name) {
    case 'pipeline': return related(r, field, 'Pipeline', 'pipelines', `${row}.pipeline_id`);
    case 'deals': return dealConnection(r as Reader<Context>, field, { column: 'stage_id', id: `${row}.id` });
    default: return leaf(r, Stage, 'Stage', field, row);
  }
}

/** A pipeline field over row alias `row`: plain, its stages (by position), or its own deals lists. */
export function pipelineNode(r: Reader, field: SelectedField, row: string): JsonField {
  switch (field.name) {
    case 'stages': return relatedList(r, field, 'Stage', 'stages',
      { where: (st) => `${st}.pipeline_id = ${row}.id`, orderBy: (st) => `${st}.position, ${st}.id` });
    case 'deals': return dealConnection(r as Reader<Context>, field, { column: 'pipeline_id', id: `${row}.id` });
    default: return leaf(r, Pipeline, 'Pipeline', field, row);
  }
}

/**
 * The board's answer built by PostgreSQL: `pipeline(id)` with the fields the node readers
 * answer (its stages and their first pages of deals, its own deals lists, and what those lead
 * to), in any spelling, as one SQL value, field for field as graphql-js would serialise it.
 * No row for a pipeline that is not there: the general path answers NOT_FOUND.
 */
export const boardStatement: RootStatement<Context> = (r, root, args) => {
  const pipelineId = r.params.add(parseId(args.id as string, 'pipeline', 'id'));
  return `SELECT ${objectOf(r, 'Pipeline', root, 'pl')} AS answer FROM pipelines pl WHERE pl.id = ${pipelineId} AND pl.workspace_id = ${r.workspace}`;
};

/** `pipelines`: every pipeline of the workspace, oldest first (as the resolver lists them), each as `pipeline(id)` answers it. */
export const pipelinesStatement: RootStatement<Context> = (r, root) => `SELECT ${jsonArray(objectOf(r, 'Pipeline', root, 'pl'),
  'pl.created_at, pl.id')} AS answer FROM pipelines pl WHERE pl.workspace_id = ${r.workspace}`;
