import type { ReportQuery } from './report-timeout';
import { parseId } from '../../infra/db/ids';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Viewer } from '../workspaces/viewer';
import { ForecastRow } from './forecast.types';
import { num } from '../../infra/db/numeric';

export const DEFAULT_FORECAST_MONTHS = 12;
export const MAX_FORECAST_MONTHS = 60;

/** What a forecast covers: one pipeline or the whole workspace, `months` months, by month or by quarter. */
export interface ForecastArgs {
  pipelineId?: string | null;
  months?: number | null;
  byQuarter?: boolean | null;
}

/**
 * The window's months ($3 of them from the current month, UTC) and each one's period: the
 * month itself, or its quarter. Open deals of the workspace ($1), of pipeline $2 when not
 * null, are summed per period by expectedCloseDate, counting only the window's months.
 */
const FORECAST_SQL = `
  WITH window_months AS (
    SELECT m AS starts, m + interval '1 month' AS ends,
           CASE WHEN $4::boolean THEN date_trunc('quarter', m) ELSE m END AS period
    FROM generate_series(date_trunc('month', now() AT TIME ZONE 'UTC'),
      date_trunc('month', now() AT TIME ZONE 'UTC') + ($3::int - 1) * interval '1 month', interval '1 month') m
  ),
  open_deals AS (
    SELECT date_trunc('month', d.expected_close_date AT TIME ZONE 'UTC') AS month, count(*) AS deal_count,
           sum(d.value) AS value, sum(d.value * s.probability) AS weighted_value
    FROM deals d JOIN stages s ON s.id = d.stage_id
    WHERE d.workspace_id = $1 AND ($2::uuid IS NULL OR d.pipeline_id = $2) AND d.status = 'OPEN' AND d.deleted_at IS NULL
      AND d.expected_close_date >= (SELECT min(starts) FROM window_months) AT TIME ZONE 'UTC'
      AND d.expected_close_date < (SELECT max(ends) FROM window_months) AT TIME ZONE 'UTC'
    GROUP BY 1
  )
  SELECT to_char(w.period, 'YYYY-MM') AS month, CASE WHEN $4::boolean THEN to_char(w.period, 'YYYY-"Q"Q') END AS quarter,
         coalesce(sum(o.deal_count), 0)::int AS deal_count,
         coalesce(sum(o.value), 0) AS value, coalesce(sum(o.weighted_value), 0) AS weighted_value
  FROM window_months w LEFT JOIN open_deals o ON o.month = w.starts
  GROUP BY w.period
  ORDER BY w.period`;

/**
 * Open deals by month (or quarter) of expectedCloseDate, over the `months` months from the
 * current month (UTC) on, one row per period the window touches, empty ones included; for one
 * pipeline, or the whole workspace without `pipelineId`. NOT_FOUND for a pipeline of no
 * concern to this workspace.
 */
export async function forecast(query: ReportQuery, viewer: Viewer, args: ForecastArgs): Promise<ForecastRow[]> {
  const id = args.pipelineId === undefined || args.pipelineId === null ? null : parseId(args.pipelineId, 'pipeline', 'pipelineId');
  const count = args.months ?? DEFAULT_FORECAST_MONTHS;
  if (!Number.isInteger(count) || count < 1 || count > MAX_FORECAST_MONTHS) {
    throw new BadInputError(`months must be between 1 and ${MAX_FORECAST_MONTHS}`, 'months');
  }
  if (id) {
    const [pipeline] = await query('SELECT 1 FROM pipelines WHERE id = $1 AND workspace_id = $2', [id, viewer.workspaceId]);
    if (!pipeline) throw new NotFoundError('pipeline', args.pipelineId!);
  }
  const rows = await query(FORECAST_SQL, [viewer.workspaceId, id, count, Boolean(args.byQuarter)]);
  return rows.map((row) => Object.assign(new ForecastRow(), {
    month: row.month as string,
    quarter: row.quarter as string | null,
    dealCount: row.deal_count as number,
    value: num(row.value) ?? 0,
    weightedValue: num(row.weighted_value) ?? 0,
  }));
}
