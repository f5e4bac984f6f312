import { GraphQLSchema } from 'graphql';
import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { DomainError } from '../../infra/errors/domain-errors';
import { SelectedField } from '../../infra/graphql/selection';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { DealListArgs, dealListQuery } from '../deals/deal.query';
import { Deal } from '../deals/deal.entity';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { AnswerRequest, answerRootField, hasArguments, leaf, NotThisShape, Reader, related } from './answer-fields';
import { JsonField, jsonObject } from './json-fields';

/** A deal field: plain, or its owner or lead with plain fields (alias `t`). */
export function dealNode(r: Reader, field: SelectedField): JsonField {
  if (field.name === 'owner') return related(r, field, User, 'User', 'users', 't.owner_id');
  if (field.name === 'lead') return related(r, field, Lead, 'Lead', 'leads', 't.lead_id');
  return leaf(r, Deal, 'Deal', field, 't');
}

/** A column: `totalCount` and `nodes` of the first page, as the general path's keyset page. */
function column(r: Reader, field: SelectedField): JsonField {
  const args = field.args<DealListArgs>();
  if (args.after) throw new NotThisShape();
  let query: KeysetQuery;
  try {
    query = dealListQuery(r.ctx.viewer, 'stage_id', args);
  } catch (err) {
    if (err instanceof DomainError) throw new NotThisShape(); // the general path reports it, at its field
    throw err;
  }
  // Built when first used: PostgreSQL refuses a statement with a parameter it never reads.
  let built: string | undefined;
  const conditions = () => (built ??= [`t.stage_id = st.id`, ...query.where(r.params)].join(' AND '));
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  const fields = field.below.fields.map((f): JsonField => {
    if (f.name === 'totalCount') return { key: f.key, sql: `(SELECT count(*)::int FROM deals t WHERE ${conditions()})` };
    if (f.name === '__typename') return { key: f.key, sql: `'DealConnection'` };
    if (f.name !== 'nodes') throw new NotThisShape();
    const node = jsonObject(f.below.fields.map((n) => dealNode(r, n)));
    return {
      key: f.key,
      sql: `(SELECT coalesce(json_agg(${node} ORDER BY ${orderBy}), '[]'::json)
        FROM (SELECT t.* FROM deals t WHERE ${conditions()} ORDER BY ${orderBy} LIMIT ${r.params.add(query.first)}) t)`,
    };
  });
  return { key: field.key, sql: jsonObject(fields) };
}

function stages(r: Reader, field: SelectedField): JsonField {
  if (hasArguments(field)) throw new NotThisShape();
  const selections = field.below.fields;
  const fields = selections.map((f) => (f.name === 'deals' ? column(r, f) : leaf(r, Stage, 'Stage', f, 'st')));
  return {
    key: field.key,
    sql: `(SELECT coalesce(json_agg(${jsonObject(fields)} ORDER BY st.position, st.id), '[]'::json)
      FROM stages st WHERE st.pipeline_id = pl.id AND st.workspace_id = ${r.workspace})`,
  };
}

/**
 * The board's answer built by PostgreSQL: for a query whose only field is `pipeline(id)`
 * with plain fields, its `stages` and their `deals(...) { totalCount nodes { ... } }` (plain
 * deal fields, and owner and lead with plain fields), in any spelling, one statement returns
 * the `data` object itself, field for field as graphql-js would serialise it, and graphql-js
 * has nothing left to do. Null for any other document, a pipeline that is not there, or
 * arguments the general path refuses: the general path then answers (and reports errors).
 */
export function answerBoard(ctx: Context, schema: GraphQLSchema, request: AnswerRequest) {
  return answerRootField(ctx, schema, request, 'pipeline', (r, root, args) => {
    const pipelineId = r.params.add(parseId(args.id as string, 'pipeline', 'id'));
    const fields = root.below.fields.map((f) => (f.name === 'stages' ? stages(r, f) : leaf(r, Pipeline, 'Pipeline', f, 'pl')));
    return `SELECT ${jsonObject(fields)} AS answer FROM pipelines pl WHERE pl.id = ${pipelineId} AND pl.workspace_id = ${r.workspace}`;
  });
}
