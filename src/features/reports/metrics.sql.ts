import { STALLED_SQL } from '../deals/stalled';

/**
 * The whole of PipelineMetrics in one statement: one row per stage, in position order, with
 * the pipeline's figures repeated on each row. Parameters: $1 workspace, $2 pipeline,
 * $3 range start (included), $4 range end (excluded). Money is summed in numeric and
 * leaves as text; the caller turns it into numbers at the edge.
 *
 * The ledger figures need each visit's exit (the deal's next stage change) and the highest
 * stage a deal reached later, so they read the whole history of the deals that had a stage
 * change in the range, and only of those: other deals cannot enter, leave or advance in it.
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
  SELECT into_lost.from_stage_id AS stage_id, count(*) AS lost_count
  FROM deals d
  CROSS JOIN LATERAL (
    SELECT sc.from_stage_id FROM stage_changes sc
    WHERE sc.deal_id = d.id AND sc.to_stage_id = d.stage_id
    ORDER BY sc.changed_at DESC, sc.id DESC LIMIT 1
  ) into_lost
  WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.deleted_at IS NULL
    AND d.status = 'LOST' AND d.closed_at >= $3 AND d.closed_at < $4
  GROUP BY into_lost.from_stage_id
),
active AS (
  SELECT DISTINCT sc.deal_id FROM stage_changes sc JOIN st ON st.id = sc.to_stage_id
  WHERE sc.workspace_id = $1 AND sc.changed_at >= $3 AND sc.changed_at < $4
),
ledger AS (
  SELECT sc.deal_id, sc.to_stage_id, sc.changed_at, s.position,
         lead(sc.changed_at) OVER w AS exited_at,
         max(s.position) FILTER (WHERE s.kind <> 'LOST') OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS later_position
  FROM active a
  JOIN deals d ON d.id = a.deal_id AND d.deleted_at IS NULL
  JOIN stage_changes sc ON sc.deal_id = a.deal_id AND sc.workspace_id = $1
  JOIN st s ON s.id = sc.to_stage_id
  WINDOW w AS (PARTITION BY sc.deal_id ORDER BY sc.changed_at, sc.id)
),
visits AS (
  SELECT l.to_stage_id AS stage_id,
         avg(extract(epoch FROM l.exited_at - l.changed_at)) FILTER (WHERE l.exited_at >= $3 AND l.exited_at < $4) / 86400 AS average_days,
         count(DISTINCT l.deal_id) FILTER (WHERE l.changed_at >= $3 AND l.changed_at < $4) AS entered,
         count(DISTINCT l.deal_id) FILTER (WHERE l.changed_at >= $3 AND l.changed_at < $4 AND l.later_position > l.position) AS advanced
  FROM ledger l
  GROUP BY l.to_stage_id
)
SELECT st.*,
       coalesce(o.deal_count, 0)::int AS stage_deal_count,
       coalesce(o.value, 0) AS stage_value,
       coalesce(o.weighted_value, 0) AS stage_weighted_value,
       coalesce(o.stalled_count, 0)::int AS stage_stalled_count,
       v.average_days AS stage_average_days,
       CASE WHEN st.kind = 'OPEN' AND v.entered > 0 THEN v.advanced::numeric / v.entered END AS stage_conversion_rate,
       coalesce(lf.lost_count, 0)::int AS stage_lost_count,
       (sum(coalesce(o.deal_count, 0)) OVER ())::int AS open_deal_count,
       sum(coalesce(o.value, 0)) OVER () AS open_value,
       sum(coalesce(o.weighted_value, 0)) OVER () AS weighted_open_value,
       c.won_count::int, c.lost_count::int, c.won_value, c.average_deal_size, c.average_sales_cycle_days,
       now() AS computed_at
FROM st
CROSS JOIN closed c
LEFT JOIN open_deals o ON o.stage_id = st.id
LEFT JOIN visits v ON v.stage_id = st.id
LEFT JOIN lost_from lf ON lf.stage_id = st.id
ORDER BY st.position, st.id`;
