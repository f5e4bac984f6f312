import { FieldNode, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import type { Context } from '../../context';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { answerRootField, NotThisShape, plainFields, Reader, related } from '../board/answer-fields';
import { JsonField, jsonObject, responseKey } from '../board/json-fields';
import { DealFilter } from '../deals/deal.filters';
import { DealGroupField } from './aggregates.types';
import { dealAggregatesQuery } from './aggregates.service';

/** The statistics of a group as GraphQL serialises them (money and means as float8, like `num`). */
const STATISTICS: Record<string, string> = {
  count: 'g.count', sum: 'g.sum::float8', avg: 'g.avg::float8', min: 'g.min::float8', max: 'g.max::float8',
};

/** The plain keys of a group: the column it comes back in (see GROUP_SQL), set only when grouped by. */
const PLAIN_KEYS: Record<string, { by: DealGroupField; sql: string }> = {
  status: { by: DealGroupField.STATUS, sql: 'g.status::text' },
  leadSource: { by: DealGroupField.LEAD_SOURCE, sql: 'g.lead_source::text' },
  createdMonth: { by: DealGroupField.CREATED_MONTH, sql: 'g.created_month' },
  closedMonth: { by: DealGroupField.CLOSED_MONTH, sql: 'g.closed_month' },
};

function groupField(r: Reader, field: FieldNode, groupBy: DealGroupField[]): JsonField {
  const key = responseKey(field);
  const name = field.name.value;
  if (field.arguments?.length || field.directives?.length) throw new NotThisShape();
  if (name === '__typename') return { key, sql: "'DealGroup'" };
  if (name === 'stage') {
    return groupBy.includes(DealGroupField.STAGE) ? related(r, field, Stage, 'Stage', 'stages', 'g.stage_id') : { key, sql: 'null' };
  }
  if (name === 'owner') {
    return groupBy.includes(DealGroupField.OWNER) ? related(r, field, User, 'User', 'users', 'g.owner_id') : { key, sql: 'null' };
  }
  const plain = PLAIN_KEYS[name];
  if (!plain || field.selectionSet) throw new NotThisShape();
  return { key, sql: groupBy.includes(plain.by) ? plain.sql : 'null' };
}

function aggregateField(r: Reader, field: FieldNode, groupBy: DealGroupField[]): JsonField {
  const key = responseKey(field);
  const name = field.name.value;
  if (field.arguments?.length || field.directives?.length) throw new NotThisShape();
  if (name === '__typename') return { key, sql: "'DealAggregate'" };
  if (name === 'group') return { key, sql: jsonObject(plainFields(field.selectionSet).map((f) => groupField(r, f, groupBy))) };
  if (!STATISTICS[name] || field.selectionSet) throw new NotThisShape();
  return { key, sql: STATISTICS[name] };
}

/**
 * `dealAggregates` answered by PostgreSQL: the groups of the report's own statement, each
 * turned into the JSON of the fields asked for (stage and owner as the loaders would find
 * them), in one statement under the report timeout, so that thousands of groups skip
 * graphql-js's per-field work. Null for any other document or shape: graphql-js answers.
 */
export function answerDealAggregates(ctx: Context, schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: Record<string, unknown> | undefined) {
  return answerRootField(ctx, schema, operation, inputs, 'dealAggregates', (r, root, args) => {
    const groupBy = [...new Set(args.groupBy as DealGroupField[])];
    const report = dealAggregatesQuery(ctx.viewer, args.filter as DealFilter | null, groupBy, r.params, r.workspace);
    const entry = jsonObject(plainFields(root.selectionSet).map((f) => aggregateField(r, f, groupBy)));
    const order = report.keyColumns.map((c) => `g.${c} NULLS LAST`);
    return `SELECT coalesce(json_agg(${entry}${order.length ? ` ORDER BY ${order.join(', ')}` : ''}), '[]'::json) AS answer
      FROM (${report.sql}) g`;
  }, (sql, values) => ctx.services.reports.run(ctx.db, (tx) => tx.query(sql, values)));
}
