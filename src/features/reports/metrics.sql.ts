import { STALLED_SQL } from '../deals/stalled';

/**
 * The whole of PipelineMetrics in one statement: one row per stage, in position order, with
 * the pipeline's figures repeated on each row. Parameters: $1 workspace, $2 pipeline,
 * $3 range start (included), $4 range end (excluded). Money is summed in numeric and
 * leaves as text; the caller turns it into numbers at the edge.
 *
 * The ledger figures read `stage_visits`, the ledger summarised per visit by triggers: each
 * row knows its exit, the deal's previous entry into the same stage (so a deal counts once
 * per stage without a DISTINCT: only its first entry in the range has none inside it) and
 * whether the deal later reached a greater stage (the first entry in the range decides).
 */
export const PIPELINE_METRICS_SQL = `
WITH st AS (
  SELECT s.* FROM stages s WHERE s.workspace_id = $1 AND s.pipeline_id = $2
),
open_deals AS (
  SELECT d.stage_id, count(*) AS deal_count, sum(d.value) AS value, sum(d.value * s.probability) AS weighted_value,
         count(*) FILTER (WHERE ${STALLED_SQL('d', 's')}) AS stalled_count
  FROM deals d JOIN st s ON s.id = d.stage_id
  WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.status = 'OPEN' AND d.deleted_at IS NULL
  GROUP BY d.stage_id
),
closed AS (
  SELECT count(*) FILTER (WHERE d.status = 'WON') AS won_count,
         count(*) FILTER (WHERE d.status = 'LOST') AS lost_count,
         coalesce(sum(d.value) FILTER (WHERE d.status = 'WON'), 0) AS won_value,
         avg(d.value) FILTER (WHERE d.status = 'WON') AS average_deal_size,
         avg(extract(epoch FROM d.closed_at - d.created_at)) FILTER (WHERE d.status = 'WON') / 86400 AS average_sales_cycle_days
  FROM deals d
  WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.deleted_at IS NULL
    AND d.status IN ('WON', 'LOST') AND d.closed_at >= $3 AND d.closed_at < $4
),
lost_from AS (
  SELECT v.from_stage_id AS stage_id, count(*) AS lost_count
  FROM deals d
  JOIN stage_visits v ON v.deal_id = d.id AND v.stage_id = d.stage_id AND v.live AND v.exited_at IS NULL
  WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.deleted_at IS NULL
    AND d.status = 'LOST' AND d.closed_at >= $3 AND d.closed_at < $4
    AND v.stage_id IN (SELECT id FROM st WHERE kind = 'LOST')
  GROUP BY v.from_stage_id
),
entered AS (
  SELECT v.stage_id, count(*) AS entered, count(*) FILTER (WHERE v.advanced) AS advanced
  FROM stage_visits v JOIN st ON st.id = v.stage_id AND st.kind = 'OPEN'
  WHERE v.live AND v.entered_at >= $3 AND v.entered_at < $4 AND (v.previous_entry_at IS NULL OR v.previous_entry_at < $3)
  GROUP BY v.stage_id
),
exited AS (
  SELECT v.stage_id, avg(extract(epoch FROM v.exited_at - v.entered_at)) / 86400 AS average_days
  FROM stage_visits v JOIN st ON st.id = v.stage_id
  WHERE v.live AND v.exited_at >= $3 AND v.exited_at < $4
  GROUP BY v.stage_id
)
SELECT st.*,
       coalesce(o.deal_count, 0)::int AS stage_deal_count,
       coalesce(o.value, 0) AS stage_value,
       coalesce(o.weighted_value, 0) AS stage_weighted_value,
       coalesce(o.stalled_count, 0)::int AS stage_stalled_count,
       x.average_days AS stage_average_days,
       CASE WHEN st.kind = 'OPEN' AND e.entered > 0 THEN e.advanced::numeric / e.entered END AS stage_conversion_rate,
       coalesce(lf.lost_count, 0)::int AS stage_lost_count,
       (sum(coalesce(o.deal_count, 0)) OVER ())::int AS open_deal_count,
       sum(coalesce(o.value, 0)) OVER () AS open_value,
       sum(coalesce(o.weighted_value, 0)) OVER () AS weighted_open_value,
       c.won_count::int, c.lost_count::int, c.won_value, c.average_deal_size, c.average_sales_cycle_days,
       now() AS computed_at
FROM st
CROSS JOIN closed c
LEFT JOIN open_deals o ON o.stage_id = st.id
LEFT JOIN entered e ON e.stage_id = st.id
LEFT JOIN exited x ON x.stage_id = st.id
LEFT JOIN lost_from lf ON lf.stage_id = st.id
ORDER BY st.position, st.id`;
