import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Viewer } from '../workspaces/viewer';
import { ForecastRow } from './forecast.types';
import { num } from './metrics.service';

export const DEFAULT_FORECAST_MONTHS = 12;
export const MAX_FORECAST_MONTHS = 60;

/**
 * Open deals of a pipeline by month of expectedCloseDate, from the current month (UTC) on,
 * one row per month of the window, empty months included. NOT_FOUND for a pipeline of no
 * concern to this workspace.
 */
export async function forecast(em: EntityManager, viewer: Viewer, pipelineId: string, months?: number | null): Promise<ForecastRow[]> {
  const id = parseId(pipelineId, 'pipeline', 'pipelineId');
  const count = months ?? DEFAULT_FORECAST_MONTHS;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FORECAST_MONTHS) {
    throw new BadInputError(`months must be between 1 and ${MAX_FORECAST_MONTHS}`, 'months');
  }
  const rows: Record<string, unknown>[] = await em.query(`
    WITH window_months AS (
      SELECT m AS starts, m + interval '1 month' AS ends
      FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'), date_trunc('month', now() AT TIME ZONE 'UTC') + ($3::int - 1) * interval '1 month', interval '1 month') m
      WHERE EXISTS (SELECT 1 FROM pipelines p WHERE p.id = $2 AND p.workspace_id = $1)
    ),
    open_deals AS (
      SELECT date_trunc('month', d.expected_close_date AT TIME ZONE 'UTC') AS month, count(*) AS deal_count,
             sum(d.value) AS value, sum(d.value * s.probability) AS weighted_value
      FROM deals d JOIN stages s ON s.id = d.stage_id
      WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.status = 'OPEN' AND d.deleted_at IS NULL
        AND d.expected_close_date >= (SELECT min(starts) FROM window_months) AT TIME ZONE 'UTC'
        AND d.expected_close_date < (SELECT max(ends) FROM window_months) AT TIME ZONE 'UTC'
      GROUP BY 1
    )
    SELECT to_char(w.starts, 'YYYY-MM') AS month, coalesce(o.deal_count, 0)::int AS deal_count,
           coalesce(o.value, 0) AS value, coalesce(o.weighted_value, 0) AS weighted_value
    FROM window_months w LEFT JOIN open_deals o ON o.month = w.starts
    ORDER BY w.starts`, [viewer.workspaceId, id, count]);
  if (rows.length === 0) throw new NotFoundError('pipeline', pipelineId);
  return rows.map((row) => Object.assign(new ForecastRow(), {
    month: row.month as string,
    dealCount: row.deal_count as number,
    value: num(row.value) ?? 0,
    weightedValue: num(row.weighted_value) ?? 0,
  }));
}
