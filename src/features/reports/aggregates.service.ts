import { EntityManager } from 'typeorm';
import { SqlParams } from '../../infra/db/sql-params';
import { BadInputError } from '../../infra/errors/domain-errors';
import { DealStatus } from '../deals/deal.enums';
import { DealFilter } from '../deals/deal.filters';
import { dealConditions } from '../deals/deal.query';
import { LeadSource } from '../leads/lead.enums';
import { Viewer } from '../workspaces/viewer';
import { DealAggregate, DealGroup, DealGroupField } from './aggregates.types';
import { num } from './metrics.service';

/** The SQL of each group key (deal alias `t`, its lead `l`) and the column it comes back in. */
const GROUP_SQL: Record<DealGroupField, { sql: string; column: string }> = {
  [DealGroupField.STAGE]: { sql: 't.stage_id', column: 'stage_id' },
  [DealGroupField.OWNER]: { sql: 't.owner_id', column: 'owner_id' },
  [DealGroupField.STATUS]: { sql: 't.status', column: 'status' },
  [DealGroupField.LEAD_SOURCE]: { sql: 'l.source', column: 'lead_source' },
  [DealGroupField.CREATED_MONTH]: { sql: "to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM')", column: 'created_month' },
  [DealGroupField.CLOSED_MONTH]: { sql: "to_char(t.closed_at AT TIME ZONE 'UTC', 'YYYY-MM')", column: 'closed_month' },
};

/**
 * The statement behind `dealAggregates`, with its parameters and the columns of its group
 * keys (in order); exported for the SQL-built answer and the benchmark. Pass `params` (and
 * `workspace`, a parameter holding the viewer's workspace) to share a caller's parameters.
 */
export function dealAggregatesQuery(
  viewer: Viewer, filter: DealFilter | null | undefined, groupBy: readonly DealGroupField[], params = new SqlParams(), workspace?: string,
) {
  const fields = [...new Set(groupBy)];
  if (fields.some((f) => !(f in GROUP_SQL))) throw new BadInputError('groupBy holds an unknown field', 'groupBy');
  const where = dealConditions(viewer, filter)(params, workspace);
  const keys = fields.map((f) => GROUP_SQL[f]);
  const joinLead = fields.includes(DealGroupField.LEAD_SOURCE)
    ? 'LEFT JOIN leads l ON l.id = t.lead_id AND l.workspace_id = t.workspace_id' : '';
  const select = keys.map((k) => `${k.sql} AS ${k.column}`);
  const sql = `SELECT ${[...select, 'count(*)::int AS count', 'coalesce(sum(t.value), 0) AS sum', 'avg(t.value) AS avg',
    'min(t.value) AS min', 'max(t.value) AS max'].join(', ')}
FROM deals t ${joinLead}
WHERE ${where.join(' AND ')}
${keys.length ? `GROUP BY ${keys.map((_, i) => i + 1).join(', ')} ORDER BY ${keys.map((_, i) => `${i + 1} NULLS LAST`).join(', ')}` : ''}`;
  return { sql, params: params.values, keyColumns: keys.map((k) => k.column) };
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
  });
}

/**
 * Count, sum, mean, min and max of deal value per group, in PostgreSQL. With no group field
 * the whole filtered set is one group (also when it is empty).
 */
export async function dealAggregates(
  em: EntityManager, viewer: Viewer, filter: DealFilter | null | undefined, groupBy: readonly DealGroupField[],
): Promise<DealAggregate[]> {
  const { sql, params } = dealAggregatesQuery(viewer, filter, groupBy);
  const rows: Record<string, unknown>[] = await em.query(sql, params);
  return rows.map((row) => Object.assign(new DealAggregate(), {
    group: group(row),
    count: row.count as number,
    sum: num(row.sum) ?? 0,
    avg: num(row.avg),
    min: num(row.min),
    max: num(row.max),
  }));
}
