import { SqlParams } from '../../infra/db/sql-params';
import { ResolvedRange } from '../reports/report-range';
import { ClosingWindow, openStatesAt, statusAt } from './state-at.sql';

/**
 * CTEs classifying the deals of a pipeline between `range.from` and `range.to` (see FlowKind):
 * `moved` holds one row per deal in the pipeline at either end, with `start_value`,
 * `end_value` (null where it was not in), its `kind` (null when in at both ends with the same
 * value) and the `amount` it moved. Materialised, so each deal is classified once, however
 * many figures read it.
 *
 * A deal in at one end alone is classified from its row in `deals` where that suffices: it did
 * not exist at `from` when created at or after it; without `closingIn`, an existing deal that
 * was not in at `from` was closed then (REOPENED); a deal unchanged since `to` had, at `to`, the
 * status (or deletion) it has now. Only the rest read their history row, one index probe each.
 */
export function flowCtes(params: SqlParams, pipeline: string, range: ResolvedRange, closing?: ClosingWindow | null): string {
  const from = `${params.add(range.from)}::timestamptz`;
  const to = `${params.add(range.to)}::timestamptz`;
  const closedAtStart = closing ? `CASE ${statusAt('d.id', from)} WHEN 'OPEN' THEN 'PULLED_IN' ELSE 'REOPENED' END` : `'REOPENED'`;
  const statusAtEnd = `CASE WHEN d.updated_at < ${to} THEN CASE WHEN d.deleted_at IS NULL THEN d.status::text ELSE 'NONE' END
    ELSE ${statusAt('d.id', to)} END`;
  return `a AS (${openStatesAt(params, pipeline, range.from, closing)}),
    b AS (${openStatesAt(params, pipeline, range.to, closing)}),
    ends AS MATERIALIZED (
      SELECT coalesce(a.deal_id, b.deal_id) AS deal_id, a.value AS start_value, b.value AS end_value
      FROM a FULL JOIN b ON a.deal_id = b.deal_id),
    moved AS MATERIALIZED (
      SELECT e.*,
        CASE
          WHEN e.start_value IS NULL THEN CASE WHEN d.created_at >= ${from} THEN 'CREATED' ELSE ${closedAtStart} END
          WHEN e.end_value IS NULL THEN
            CASE ${statusAtEnd} WHEN 'NONE' THEN 'DELETED' WHEN 'WON' THEN 'WON' WHEN 'LOST' THEN 'LOST' ELSE 'PUSHED_OUT' END
          WHEN e.end_value > e.start_value THEN 'INCREASED'
          WHEN e.end_value < e.start_value THEN 'DECREASED'
        END AS kind,
        coalesce(abs(e.end_value - e.start_value), e.end_value, e.start_value) AS amount
      -- By primary key, and only for a deal in at one end (OFFSET 0 keeps the planner from a pass over every deal).
      FROM ends e LEFT JOIN LATERAL (SELECT id, created_at, updated_at, deleted_at, status FROM deals
        WHERE id = e.deal_id AND (e.start_value IS NULL OR e.end_value IS NULL) OFFSET 0) d ON true)`;
}
