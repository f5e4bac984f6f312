import { STALLED_SQL } from '../deals/stalled';

/**
 * The whole of PipelineMetrics in one statement: one row per stage, in position order, with
 * the pipeline's figures repeated on each row. Parameters: $1 workspace, $2 pipeline,
 * $3 range start (included), $4 range end (excluded). Money is summed in numeric and
 * leaves as text; the caller turns it into numbers at the edge. Every part is a MATERIALIZED
 * CTE so that each runs once, whatever the planner guesses about the few stage rows. Mean
 * durations average intervals (cheap) and turn the one result into days.
 *
 * The ledger figures read `stage_visits`, the ledger summarised per visit by triggers: each
 * row knows its exit, the deal's previous entry into the same stage (so a deal counts once
 * per stage without a DISTINCT: only its first entry in the range has none inside it) and
 * whether the deal later reached a greater stage (the first entry in the range decides).
 */
export const PIPELINE_METRICS_SQL = `
WITH st AS MATERIALIZED (
  SELECT s.* FROM stages s WHERE s.workspace_id = $1 AND s.pipeline_id = $2
),
open_deals AS MATERIALIZED (
  SELECT d.stage_id, count(*) AS deal_count, sum(d.value) AS value, sum(d.value * s.probability) AS weighted_value,
         count(*) FILTER (WHERE ${STALLED_SQL('d', 's')}) AS stalled_count
  FROM deals d JOIN stages s ON s.id = d.stage_id
  WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.status = 'OPEN' AND d.deleted_at IS NULL
  GROUP BY d.stage_id
),
closed_deals AS MATERIALIZED (
  SELECT d.id, d.stage_id, d.status, d.value, d.created_at, d.closed_at
  FROM deals d
  WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.deleted_at IS NULL
    AND d.status IN ('WON', 'LOST') AND d.closed_at >= $3 AND d.closed_at < $4
),
closed AS MATERIALIZED (
  SELECT count(*) FILTER (WHERE c.status = 'WON') AS won_count,
         count(*) FILTER (WHERE c.status = 'LOST') AS lost_count,
         coalesce(sum(c.value) FILTER (WHERE c.status = 'WON'), 0) AS won_value,
         avg(c.value) FILTER (WHERE c.status = 'WON') AS average_deal_size,
         extract(epoch FROM avg(c.closed_at - c.created_at) FILTER (WHERE c.status = 'WON')) / 86400 AS average_sales_cycle_days
  FROM closed_deals c
),
lost_visits AS MATERIALIZED (
  -- A lost deal's current visit is its visit to the LOST stage; it says where the deal came from.
  SELECT v.deal_id, v.from_stage_id
  FROM stage_visits v
  WHERE v.stage_id = (SELECT id FROM st WHERE kind = 'LOST' LIMIT 1) AND v.live AND v.exited_at IS NULL
),
lost_from AS MATERIALIZED (
  -- Both sides materialized: one hash join, not one index probe per lost deal.
  SELECT lv.from_stage_id AS stage_id, count(*) AS lost_count
  FROM lost_visits lv JOIN closed_deals c ON c.id = lv.deal_id AND c.status = 'LOST'
  GROUP BY lv.from_stage_id
),
entered AS MATERIALIZED (
  SELECT v.stage_id, count(*) AS entered, count(*) FILTER (WHERE v.advanced) AS advanced
  FROM stage_visits v
  WHERE v.stage_id IN (SELECT id FROM st WHERE kind = 'OPEN') AND v.live
    AND v.entered_at >= $3 AND v.entered_at < $4 AND (v.previous_entry_at IS NULL OR v.previous_entry_at < $3)
  GROUP BY v.stage_id
),
exited AS MATERIALIZED (
  SELECT v.stage_id, extract(epoch FROM avg(v.exited_at - v.entered_at)) / 86400 AS average_days
  FROM stage_visits v
  WHERE v.stage_id IN (SELECT id FROM st) AND v.live AND v.exited_at >= $3 AND v.exited_at < $4
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
