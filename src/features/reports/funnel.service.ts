import type { ReportQuery } from './report-timeout';
import { LeadSource } from '../leads/lead.enums';
import { Viewer } from '../workspaces/viewer';
import { LeadFunnelRow, LeadGroupField } from './funnel.types';
import { DateRange } from './metrics.types';
import { resolveRange } from './report-range';

const GROUP_SQL: Record<LeadGroupField, { sql: string; column: string }> = {
  [LeadGroupField.SOURCE]: { sql: 'l.source', column: 'source' },
  [LeadGroupField.CAMPAIGN]: { sql: 'l.campaign', column: 'campaign' },
  [LeadGroupField.CREATED_MONTH]: { sql: "to_char(l.created_at AT TIME ZONE 'UTC', 'YYYY-MM')", column: 'created_month' },
};

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * The lead funnel of the leads created in `range` (default: the last 90 days), one row per
 * group (one row in all without `groupBy`), counted in PostgreSQL.
 */
export async function leadFunnel(
  query: ReportQuery, viewer: Viewer, range: DateRange | null | undefined, groupBy: LeadGroupField | null | undefined,
): Promise<LeadFunnelRow[]> {
  const { from, to } = resolveRange(range);
  const key = groupBy ? GROUP_SQL[groupBy] : undefined;
  const rows = await query<Record<string, number | string | null>>(`
    SELECT ${key ? `${key.sql} AS ${key.column},` : ''}
           count(*)::int AS leads,
           count(*) FILTER (WHERE coalesce(l.qualified_at, l.sales_qualified_at, l.converted_at) IS NOT NULL)::int AS mqls,
           count(*) FILTER (WHERE coalesce(l.sales_qualified_at, l.converted_at) IS NOT NULL)::int AS sqls,
           count(*) FILTER (WHERE l.converted_at IS NOT NULL)::int AS converted,
           count(*) FILTER (WHERE l.converted_at IS NOT NULL AND EXISTS (
             SELECT 1 FROM deals d WHERE d.lead_id = l.id AND d.workspace_id = l.workspace_id AND d.status = 'WON' AND d.deleted_at IS NULL))::int AS won
    FROM leads l
    WHERE l.workspace_id = $1 AND l.created_at >= $2 AND l.created_at < $3
    ${key ? 'GROUP BY 1 ORDER BY 1 NULLS LAST' : ''}`, [viewer.workspaceId, from, to]);
  return rows.map((row) => {
    const [leads, mqls, sqls, converted, won] = [row.leads, row.mqls, row.sqls, row.converted, row.won] as number[];
    return Object.assign(new LeadFunnelRow(), {
      source: (row.source as LeadSource | undefined) ?? null,
      campaign: (row.campaign as string | undefined) ?? null,
      createdMonth: (row.created_month as string | undefined) ?? null,
      leads, mqls, sqls, converted, won,
      mqlRate: rate(mqls, leads),
      sqlRate: rate(sqls, mqls),
      conversionRate: rate(converted, sqls),
      winRate: rate(won, converted),
    });
  });
}
