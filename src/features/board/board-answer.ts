import { FieldNode, getArgumentValues, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { DomainError } from '../../infra/errors/domain-errors';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { DealListArgs, dealListQuery } from '../deals/deal.query';
import { Deal } from '../deals/deal.entity';
import { Lead } from '../leads/lead.entity';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { answerRootField, leaf, NotThisShape, plainFields, Reader, related, typeOf } from './answer-fields';
import { JsonField, jsonObject, responseKey } from './json-fields';

/** A deal field: plain, or its owner or lead with plain fields (alias `t`). */
export function dealNode(r: Reader, field: FieldNode): JsonField {
  if (field.name.value === 'owner') return related(r, field, User, 'User', 'users', 't.owner_id');
  if (field.name.value === 'lead') return related(r, field, Lead, 'Lead', 'leads', 't.lead_id');
  return leaf(r, Deal, 'Deal', field, 't');
}

/** A column: `totalCount` and `nodes` of the first page, as the general path's keyset page. */
function column(r: Reader, field: FieldNode): JsonField {
  const args = getArgumentValues(typeOf(r, 'Stage').getFields().deals, field, r.variables) as DealListArgs;
  if (args.after) throw new NotThisShape();
  let query: KeysetQuery;
  try {
    query = dealListQuery(r.ctx.viewer, 'stage_id', args);
  } catch (err) {
    if (err instanceof DomainError) throw new NotThisShape(); // the general path reports it, at its field
    throw err;
  }
  const conditions = [`t.stage_id = st.id`, ...query.where(r.params)].join(' AND ');
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  const fields = plainFields(field.selectionSet).map((f): JsonField => {
    const key = responseKey(f);
    if (f.name.value === 'totalCount' && !f.selectionSet) return { key, sql: `(SELECT count(*)::int FROM deals t WHERE ${conditions})` };
    if (f.name.value === '__typename') return { key, sql: `'DealConnection'` };
    if (f.name.value !== 'nodes') throw new NotThisShape();
    const node = jsonObject(plainFields(f.selectionSet).map((n) => dealNode(r, n)));
    return {
      key,
      sql: `(SELECT coalesce(json_agg(${node} ORDER BY ${orderBy}), '[]'::json)
        FROM (SELECT t.* FROM deals t WHERE ${conditions} ORDER BY ${orderBy} LIMIT ${r.params.add(query.first)}) t)`,
    };
  });
  // PostgreSQL refuses a statement whose parameters it never reads: the conditions must be used.
  if (!fields.some((f) => f.sql.includes(conditions))) throw new NotThisShape();
  return { key: responseKey(field), sql: jsonObject(fields) };
}

function stages(r: Reader, field: FieldNode): JsonField {
  if (field.arguments?.length) throw new NotThisShape();
  const selections = plainFields(field.selectionSet);
  // Every column with the same arguments: one `deals` field at most.
  if (selections.filter((f) => f.name.value === 'deals').length > 1) throw new NotThisShape();
  const fields = selections.map((f) => (f.name.value === 'deals' ? column(r, f) : leaf(r, Stage, 'Stage', f, 'st')));
  return {
    key: responseKey(field),
    sql: `(SELECT coalesce(json_agg(${jsonObject(fields)} ORDER BY st.position, st.id), '[]'::json)
      FROM stages st WHERE st.pipeline_id = pl.id AND st.workspace_id = ${r.workspace})`,
  };
}

/**
 * The board's answer built by PostgreSQL: for a query whose only field is `pipeline(id)`
 * with plain fields, its `stages` and their `deals(...) { totalCount nodes { ... } }` (plain
 * deal fields, and owner and lead with plain fields), one statement returns the `data`
 * object itself, field for field as graphql-js would serialise it, and graphql-js has
 * nothing left to do. Null for any other document, a pipeline that is not there, or
 * arguments the general path refuses: the general path then answers (and reports errors).
 */
export function answerBoard(ctx: Context, schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown> | undefined) {
  return answerRootField(ctx, schema, operation, inputs, 'pipeline', (r, root, args) => {
    const pipelineId = r.params.add(parseId(args.id as string, 'pipeline', 'id'));
    const fields = plainFields(root.selectionSet).map((f) => (f.name.value === 'stages' ? stages(r, f) : leaf(r, Pipeline, 'Pipeline', f, 'pl')));
    return `SELECT ${jsonObject(fields)} AS answer FROM pipelines pl WHERE pl.id = ${pipelineId} AND pl.workspace_id = ${r.workspace}`;
  });
}
