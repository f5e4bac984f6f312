import type { ReportQuery } from './report-timeout';
import { SqlParams } from '../../infra/db/sql-params';
import { BadInputError } from '../../infra/errors/domain-errors';
import { DealStatus } from '../deals/deal.enums';
import { DealFilter } from '../deals/deal.filters';
import { dealConditions } from '../deals/deal.query';
import { LeadSource } from '../leads/lead.enums';
import { Viewer } from '../workspaces/viewer';
import { DealAggregate, DealGroup, DealGroupField } from './aggregates.types';
import { num } from '../../infra/db/numeric';

/**
 * Each group key: its SQL (deal alias `t`, its lead `l`), the column it comes back in, and
 * the order of its groups, null last (`g` a grouped row; `gs`, `gsp`, `gp`, `gu` the joins of
 * KEY_JOINS). Enums sort in their declared order, which is the API's.
 */
const GROUP_SQL: Record<DealGroupField, { sql: string; column: string; order: string[] }> = {
  [DealGroupField.STAGE]: {
    sql: 't.stage_id', column: 'stage_id', order: ['g.stage_id IS NULL', 'gsp.created_at', 'gsp.id', 'gs.position', 'gs.id'],
  },
  [DealGroupField.OWNER]: { sql: 't.owner_id', column: 'owner_id', order: ['g.owner_id IS NULL', 'gu.external_id COLLATE "C"', 'g.owner_id'] },
  [DealGroupField.STATUS]: { sql: 't.status', column: 'status', order: ['g.status NULLS LAST'] },
  [DealGroupField.LEAD_SOURCE]: { sql: 'l.source', column: 'lead_source', order: ['g.lead_source NULLS LAST'] },
  [DealGroupField.CREATED_MONTH]: month('t.created_at', 'created_month'),
  [DealGroupField.CLOSED_MONTH]: month('t.closed_at', 'closed_month'),
  [DealGroupField.PIPELINE]: { sql: 't.pipeline_id', column: 'pipeline_id', order: ['g.pipeline_id IS NULL', 'gp.created_at', 'gp.id'] },
  [DealGroupField.CREATED_QUARTER]: quarter('t.created_at', 'created_quarter'),
  [DealGroupField.CLOSED_QUARTER]: quarter('t.closed_at', 'closed_quarter'),
  [DealGroupField.EXPECTED_CLOSE_MONTH]: month('t.expected_close_date', 'expected_close_month'),
};

function month(time: string, column: string) {
  return { sql: `to_char(${time} AT TIME ZONE 'UTC', 'YYYY-MM')`, column, order: [`g.${column} NULLS LAST`] };
}

function quarter(time: string, column: string) {
  return { sql: `to_char(${time} AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`, column, order: [`g.${column} NULLS LAST`] };
}

/** The rows a key's order reads, joined to the grouped rows `g` in the viewer's workspace ($w). */
const KEY_JOINS: Partial<Record<DealGroupField, (w: string) => string>> = {
  [DealGroupField.STAGE]: (w) => `LEFT JOIN stages gs ON gs.id = g.stage_id AND gs.workspace_id = ${w}
    LEFT JOIN pipelines gsp ON gsp.id = gs.pipeline_id AND gsp.workspace_id = ${w}`,
  [DealGroupField.PIPELINE]: (w) => `LEFT JOIN pipelines gp ON gp.id = g.pipeline_id AND gp.workspace_id = ${w}`,
  [DealGroupField.OWNER]: (w) => `LEFT JOIN users gu ON gu.id = g.owner_id AND gu.workspace_id = ${w}`,
};

const STATISTICS = [
  'count(*)::int AS count', 'coalesce(sum(t.value), 0) AS sum', 'avg(t.value) AS avg', 'min(t.value) AS min', 'max(t.value) AS max',
  "count(*) FILTER (WHERE t.status = 'WON')::int AS won_count", "count(*) FILTER (WHERE t.status = 'LOST')::int AS lost_count",
  "(count(*) FILTER (WHERE t.status = 'WON'))::float8 / nullif(count(*) FILTER (WHERE t.status <> 'OPEN'), 0) AS win_rate",
  "avg(extract(epoch FROM t.closed_at - t.created_at)) FILTER (WHERE t.status = 'WON') / 86400 AS average_sales_cycle_days",
];

/**
 * The statement behind `dealAggregates`, groups in key order (see GROUP_SQL), with its
 * parameters: `grouped` (the aggregate itself), `from` (the grouped rows as `g` with the
 * joins their order reads) and `orderBy`; exported for the SQL-built answer and the
 * benchmark. Pass `params` (and `workspace`, a parameter holding the viewer's workspace) to
 * share a caller's parameters.
 */
export function dealAggregatesQuery(
  viewer: Viewer, filter: DealFilter | null | undefined, groupBy: readonly DealGroupField[], params = new SqlParams(), workspace?: string,
) {
  const fields = [...new Set(groupBy)];
  if (fields.some((f) => !(f in GROUP_SQL))) throw new BadInputError('groupBy holds an unknown field', 'groupBy');
  const w = workspace ?? params.add(viewer.workspaceId);
  const where = dealConditions(viewer, filter)(params, w);
  const keys = fields.map((f) => GROUP_SQL[f]);
  const joinLead = fields.includes(DealGroupField.LEAD_SOURCE)
    ? 'LEFT JOIN leads l ON l.id = t.lead_id AND l.workspace_id = t.workspace_id' : '';
  const grouped = `SELECT ${[...keys.map((k) => `${k.sql} AS ${k.column}`), ...STATISTICS].join(', ')}
FROM deals t ${joinLead}
WHERE ${where.join(' AND ')}
${keys.length ? `GROUP BY ${keys.map((_, i) => i + 1).join(', ')}` : ''}`;
  const from = `(${grouped}) g ${fields.map((f) => KEY_JOINS[f]?.(w) ?? '').join(' ')}`;
  const orderBy = keys.length ? `ORDER BY ${keys.flatMap((k) => k.order).join(', ')}` : '';
  return { sql: `SELECT g.* FROM ${from} ${orderBy}`, params: params.values, grouped, from, orderBy };
}

function group(row: Record<string, unknown>): DealGroup {
  return Object.assign(new DealGroup(), {
    stage: null,
    owner: null,
    stageId: (row.stage_id as string | undefined) ?? null,
    ownerId: (row.owner_id as string | undefined) ?? null,
    status: (row.status as DealStatus | undefined) ?? null,
    leadSource: (row.lead_source as LeadSource | undefined) ?? null,
    createdMonth: (row.created_month as string | undefined) ?? null,
    closedMonth: (row.closed_month as string | undefined) ?? null,
    pipeline: null,
    pipelineId: (row.pipeline_id as string | undefined) ?? null,
    createdQuarter: (row.created_quarter as string | undefined) ?? null,
    closedQuarter: (row.closed_quarter as string | undefined) ?? null,
    expectedCloseMonth: (row.expected_close_month as string | undefined) ?? null,
  });
}

/**
 * Count, sum, mean, min and max of deal value, won and lost counts, win rate and sales cycle
 * per group, in PostgreSQL, in key order. With no group field
 * the whole filtered set is one group (also when it is empty).
 */
export async function dealAggregates(
  query: ReportQuery, viewer: Viewer, filter: DealFilter | null | undefined, groupBy: readonly DealGroupField[],
): Promise<DealAggregate[]> {
  const { sql, params } = dealAggregatesQuery(viewer, filter, groupBy);
  const rows = await query(sql, params);
  return rows.map((row) => Object.assign(new DealAggregate(), {
    group: group(row),
    count: row.count as number,
    sum: num(row.sum) ?? 0,
    avg: num(row.avg),
    min: num(row.min),
    max: num(row.max),
    wonCount: row.won_count as number,
    lostCount: row.lost_count as number,
    winRate: row.win_rate as number | null,
    averageSalesCycleDays: num(row.average_sales_cycle_days),
  }));
}
