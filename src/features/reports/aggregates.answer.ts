import { GraphQLSchema } from 'graphql';
import type { Context } from '../../context';
import { SelectedField } from '../../infra/graphql/selection';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { AnswerRequest, hasArguments, isLeaf, leaf, NotThisShape, Reader } from '../../infra/sql-answers/answer-fields';
import { answerRootField } from '../../infra/sql-answers/answer-roots';
import { jsonObject } from '../../infra/sql-answers/json-fields';
import { DealFilter } from '../deals/deal.filters';
import { DealGroupField } from './aggregates.types';
import { dealAggregatesQuery } from './aggregates.service';

type Row = Record<string, unknown>;
type Build = (row: Row) => unknown;

/** The statistics of a group as GraphQL serialises them (money and means as float8, like `num`). */
const STATISTICS: Record<string, string> = {
  count: 'g.count', sum: 'g.sum::float8', avg: 'g.avg::float8', min: 'g.min::float8', max: 'g.max::float8',
  wonCount: 'g.won_count', lostCount: 'g.lost_count', winRate: 'g.win_rate', averageSalesCycleDays: 'g.average_sales_cycle_days::float8',
};

/** The plain keys of a group, set only when grouped by. */
const PLAIN_KEYS: Record<string, { by: DealGroupField; sql: string }> = {
  status: { by: DealGroupField.STATUS, sql: 'g.status::text' },
  leadSource: { by: DealGroupField.LEAD_SOURCE, sql: 'g.lead_source::text' },
  createdMonth: { by: DealGroupField.CREATED_MONTH, sql: 'g.created_month' },
  closedMonth: { by: DealGroupField.CLOSED_MONTH, sql: 'g.closed_month' },
  createdQuarter: { by: DealGroupField.CREATED_QUARTER, sql: 'g.created_quarter' },
  closedQuarter: { by: DealGroupField.CLOSED_QUARTER, sql: 'g.closed_quarter' },
  expectedCloseMonth: { by: DealGroupField.EXPECTED_CLOSE_MONTH, sql: 'g.expected_close_month' },
};

/** The columns of the statement, and how a row becomes the answer's object. */
class Plan {
  readonly columns: string[] = [];

  constructor(private readonly r: Reader, private readonly groupBy: DealGroupField[]) {}

  /** A value the statement computes: its column, read back from each row. */
  column(sql: string): Build {
    const name = `c${this.columns.length}`;
    this.columns.push(`${sql} AS ${name}`);
    return (row) => row[name];
  }

  object(fields: readonly SelectedField[], build: (field: SelectedField) => Build): Build {
    const parts = fields.map((f) => [f.key, build(f)] as const);
    return (row) => {
      const value: Row = {};
      for (const [key, part] of parts) value[key] = part(row);
      return value;
    };
  }

  /** The group's stage, owner or pipeline, joined as `alias` when grouped by it, as the by-id loaders find it. */
  related(field: SelectedField, by: DealGroupField, entity: Function, type: string, alias: string): Build {
    if (!this.groupBy.includes(by)) return () => null;
    // Its fields' JSON as the node readers write it, one text per group.
    const value = this.column(`CASE WHEN ${alias}.id IS NOT NULL THEN ${jsonObject(field.below.fields.map((f) => leaf(this.r, entity, type, f, alias)))} END`);
    return (row) => {
      const text = value(row);
      return typeof text === 'string' ? JSON.parse(text) : null;
    };
  }

  groupField = (field: SelectedField): Build => {
    const { name } = field;
    if (hasArguments(field)) throw new NotThisShape();
    if (name === '__typename') return () => 'DealGroup';
    if (name === 'stage') return this.related(field, DealGroupField.STAGE, Stage, 'Stage', 'gs');
    if (name === 'owner') return this.related(field, DealGroupField.OWNER, User, 'User', 'gu');
    if (name === 'pipeline') return this.related(field, DealGroupField.PIPELINE, Pipeline, 'Pipeline', 'gp');
    const plain = PLAIN_KEYS[name];
    if (!plain || !isLeaf(field)) throw new NotThisShape();
    return this.groupBy.includes(plain.by) ? this.column(plain.sql) : () => null;
  };

  aggregateField = (field: SelectedField): Build => {
    const { name } = field;
    if (hasArguments(field)) throw new NotThisShape();
    if (name === '__typename') return () => 'DealAggregate';
    if (name === 'group') return this.object(field.below.fields, this.groupField);
    if (!STATISTICS[name] || !isLeaf(field)) throw new NotThisShape();
    return this.column(STATISTICS[name]);
  };
}

/**
 * `dealAggregates` without graphql-js's per-field work: thousands of groups cost it a
 * resolver call per field. For a query of plain fields, the report's own statement, with the
 * group's stage, owner and pipeline joined (as the loaders would find them), in any spelling, returns exactly the
 * values asked for, in the report's order, and each row becomes its object here, under the report timeout. Null for
 * any other document or shape: graphql-js answers.
 */
export function answerDealAggregates(ctx: Context, schema: GraphQLSchema, request: AnswerRequest) {
  let build: Build = () => null;
  return answerRootField(ctx, schema, request, 'dealAggregates', (r, root, args) => {
    const groupBy = [...new Set(args.groupBy as DealGroupField[])];
    const report = dealAggregatesQuery(ctx.viewer, args.filter as DealFilter | null, groupBy, r.params, r.workspace);
    const plan = new Plan(r, groupBy);
    build = plan.object(root.below.fields, plan.aggregateField);
    // The report's own rows, joins and order (the joins its order reads are the ones asked for here).
    return `SELECT ${plan.columns.join(', ') || 'true'} FROM ${report.from} ${report.orderBy}`;
  }, {}, async (sql, values) => {
    const rows: Row[] = await ctx.services.reports.query(ctx.db, sql, values);
    return [{ answer: rows.map(build) as unknown as Record<string, unknown> }];
  });
}
