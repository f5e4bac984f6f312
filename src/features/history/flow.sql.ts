import { SqlParams } from '../../infra/db/sql-params';
import { ResolvedRange } from '../reports/report-range';
import { ClosingWindow, openStatesAt, statusAt } from './state-at.sql';

/**
 * CTEs classifying the deals of a pipeline between `range.from` and `range.to` (see FlowKind):
 * `moved` holds one row per deal in the pipeline at either end, with `start_value`,
 * `end_value` (null where it was not in), its `kind` (null when in at both ends with the same
 * value) and the `amount` it moved. Only deals in at one end alone look up their status at
 * the other end, one index probe each.
 */
export function flowCtes(params: SqlParams, pipeline: string, range: ResolvedRange, closing?: ClosingWindow | null): string {
  const from = `${params.add(range.from)}::timestamptz`;
  const to = `${params.add(range.to)}::timestamptz`;
  return `a AS (${openStatesAt(params, pipeline, range.from, closing)}),
    b AS (${openStatesAt(params, pipeline, range.to, closing)}),
    moved AS (
      SELECT coalesce(a.deal_id, b.deal_id) AS deal_id, a.value AS start_value, b.value AS end_value,
        CASE
          WHEN a.deal_id IS NULL THEN
            CASE ${statusAt('b.deal_id', from)} WHEN 'NONE' THEN 'CREATED' WHEN 'OPEN' THEN 'PULLED_IN' ELSE 'REOPENED' END
          WHEN b.deal_id IS NULL THEN
            CASE ${statusAt('a.deal_id', to)} WHEN 'NONE' THEN 'DELETED' WHEN 'WON' THEN 'WON' WHEN 'LOST' THEN 'LOST' ELSE 'PUSHED_OUT' END
          WHEN b.value > a.value THEN 'INCREASED'
          WHEN b.value < a.value THEN 'DECREASED'
        END AS kind,
        coalesce(abs(b.value - a.value), b.value, a.value) AS amount
      FROM a FULL JOIN b ON a.deal_id = b.deal_id)`;
}
