import { STALLED_SQL } from '../deals/stalled';
import { HealthReason } from './health.enums';

/**
 * Each reason as SQL over a deal row `t` (its workspace's rows only), for OPEN deals only:
 * `DealFilter.healthReasons` and `Deal.health` both read these, so a deal is listed under a
 * reason exactly when its health names it. "Now" is the statement's `now()`.
 */
export const REASON_SQL: Record<HealthReason, (t: string) => string> = {
  [HealthReason.ROTTING]: (t) =>
    `EXISTS (SELECT 1 FROM stages s WHERE s.id = ${t}.stage_id AND s.workspace_id = ${t}.workspace_id AND ${STALLED_SQL(t, 's')})`,
  [HealthReason.CLOSE_DATE_PASSED]: (t) => `${t}.expected_close_date < now()`,
  [HealthReason.NO_CLOSE_DATE]: (t) => `${t}.expected_close_date IS NULL`,
  [HealthReason.SLIPPED]: (t) => `${t}.slip_count >= 1`,
  // Reads the partial index activities_next_step: one probe per deal.
  [HealthReason.NO_NEXT_STEP]: (t) => `NOT EXISTS (SELECT 1 FROM activities a
    WHERE a.deal_id = ${t}.id AND a.done_at IS NULL AND a.due_at >= now() AND a.workspace_id = ${t}.workspace_id)`,
};

/** Whether deal row `t` shows `reason`: only an OPEN deal shows any. */
export const reasonHolds = (reason: HealthReason, t: string) => `(${t}.status = 'OPEN' AND ${REASON_SQL[reason](t)})`;

/** Days since the deal (row `t`) entered its stage, and since its latest activity (null without one). */
export const DAYS_IN_STAGE_SQL = (t: string) => `extract(epoch FROM now() - ${t}.stage_entered_at)::float8 / 86400`;
export const DAYS_SINCE_ACTIVITY_SQL = (t: string) => `extract(epoch FROM now() - ${t}.last_activity_at)::float8 / 86400`;

/** Deals (row `t`) with any of `reasons`; null when there is no condition (no reasons asked). */
export function anyReasonSql(t: string, reasons: readonly HealthReason[]): string | null {
  const distinct = [...new Set(reasons)];
  if (distinct.length === 0) return null;
  return `(${t}.status = 'OPEN' AND (${distinct.map((r) => REASON_SQL[r](t)).join(' OR ')}))`;
}
