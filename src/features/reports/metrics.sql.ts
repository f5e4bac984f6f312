import { STALLED_SQL } from '../deals/stalled';

/** A timestamptz parameter (a UTC midnight) as its UTC date. */
const utcDay = (param: string) => `(${param}::timestamptz AT TIME ZONE 'UTC')::date`;

/**
 * The whole of PipelineMetrics in one statement: one row per stage, in position order, with
 * the pipeline's figures repeated on each row. Parameters: $1 workspace, $2 pipeline,
 * $3 range start (included), $4 range end (excluded), $5 and $6 the whole UTC days inside
 * the range (`wholeDays`). Money is summed in numeric and leaves as text; the caller turns
 * it into numbers at the edge. Every part is a MATERIALIZED CTE so that each runs once,
 * whatever the planner guesses about the few stage rows.
 *
 * The ledger figures read `stage_visits`, the ledger summarised per visit by triggers: each
 * row knows its exit, the deal's previous entry into the same stage (so a deal counts once
 * per stage without a DISTINCT: only its first entry in the range has none inside it) and
 * whether the deal later reached a greater stage (the first entry in the range decides).
 * For the whole days of the range they come from `stage_tallies` (see StageTally), so the
 * visits read one by one are only those of the range's first and last partial day, the
 * re-entries, and the current visits to the LOST stage.
 */
export const PIPELINE_METRICS_SQL = `
WITH st AS MATERIALIZED (
  SELECT s.* FROM stages s WHERE s.workspace_id = $1 AND s.pipeline_id = $2
),
pipeline AS MATERIALIZED (
  -- The pipeline, if it is the workspace's: deals are scoped through it (their indexes hold no workspace).
  SELECT DISTINCT pipeline_id AS id FROM st
),
open_deals AS MATERIALIZED (
  SELECT d.stage_id, count(*) AS deal_count, sum(d.value) AS value, sum(d.value * s.probability) AS weighted_value,
         count(*) FILTER (WHERE ${STALLED_SQL('d', 's')}) AS stalled_count
  FROM deals d JOIN st s ON s.id = d.stage_id
  WHERE d.pipeline_id = (SELECT id FROM pipeline) AND d.status = 'OPEN' AND d.deleted_at IS NULL
  GROUP BY d.stage_id
),
closed AS MATERIALIZED (
  SELECT count(*) FILTER (WHERE d.status = 'WON') AS won_count,
         count(*) FILTER (WHERE d.status = 'LOST') AS lost_count,
         coalesce(sum(d.value) FILTER (WHERE d.status = 'WON'), 0) AS won_value,
         avg(d.value) FILTER (WHERE d.status = 'WON') AS average_deal_size,
         extract(epoch FROM avg(d.closed_at - d.created_at) FILTER (WHERE d.status = 'WON')) / 86400 AS average_sales_cycle_days
  FROM deals d
  WHERE d.pipeline_id = (SELECT id FROM pipeline) AND d.deleted_at IS NULL
    AND d.status IN ('WON', 'LOST') AND d.closed_at >= $3 AND d.closed_at < $4
),
lost_from AS MATERIALIZED (
  -- A lost deal's current visit is its visit to the LOST stage, entered when the deal was
  -- closed (one write sets both to the same time); it says where the deal came from.
  SELECT v.from_stage_id AS stage_id, count(*) AS lost_count
  FROM stage_visits v
  WHERE v.stage_id = (SELECT id FROM st WHERE kind = 'LOST' LIMIT 1) AND v.live AND v.exited_at IS NULL
    AND v.entered_at >= $3 AND v.entered_at < $4
  GROUP BY v.from_stage_id
),
tallied AS MATERIALIZED (
  -- The whole days of the range, per stage: the tallies and the deltas not yet folded in.
  SELECT t.stage_id, sum(t.first_entries) AS first_entries, sum(t.advanced_first_entries) AS advanced,
         sum(t.exits) AS exits, sum(t.exit_time) AS exit_time
  FROM (
    SELECT stage_id, first_entries, advanced_first_entries, exits, exit_time FROM stage_tallies
    WHERE stage_id = ANY(ARRAY(SELECT id FROM st)) AND day >= ${utcDay('$5')} AND day < ${utcDay('$6')}
    UNION ALL
    SELECT stage_id, first_entries, advanced_first_entries, exits, exit_time FROM stage_tally_deltas
    WHERE stage_id IN (SELECT id FROM st) AND day >= ${utcDay('$5')} AND day < ${utcDay('$6')}
  ) t
  GROUP BY t.stage_id
),
entered AS MATERIALIZED (
  -- A deal's first entry into a stage in the range: a first-ever entry (tallied per day, or
  -- read at the edges), or a re-entry whose previous entry lies before the range.
  SELECT stage_id, sum(entered) AS entered, sum(advanced) AS advanced
  FROM (
    SELECT stage_id, first_entries AS entered, advanced FROM tallied
    UNION ALL
    SELECT v.stage_id, 1, v.advanced::int FROM stage_visits v
    WHERE v.stage_id IN (SELECT id FROM st) AND v.live AND v.previous_entry_at IS NULL AND v.entered_at >= $3 AND v.entered_at < $5
    UNION ALL
    SELECT v.stage_id, 1, v.advanced::int FROM stage_visits v
    WHERE v.stage_id IN (SELECT id FROM st) AND v.live AND v.previous_entry_at IS NULL AND v.entered_at >= $6 AND v.entered_at < $4
    UNION ALL
    SELECT v.stage_id, 1, v.advanced::int FROM stage_visits v
    WHERE v.stage_id IN (SELECT id FROM st) AND v.live AND v.previous_entry_at IS NOT NULL
      AND v.previous_entry_at < $3 AND v.entered_at >= $3 AND v.entered_at < $4
  ) parts
  GROUP BY stage_id
),
exited AS MATERIALIZED (
  SELECT stage_id, extract(epoch FROM sum(exit_time)) / nullif(sum(exits), 0) / 86400 AS average_days
  FROM (
    SELECT stage_id, exits, exit_time FROM tallied
    UNION ALL
    SELECT v.stage_id, 1, v.exited_at - v.entered_at FROM stage_visits v
    WHERE v.stage_id IN (SELECT id FROM st) AND v.live AND v.exited_at >= $3 AND v.exited_at < $5
    UNION ALL
    SELECT v.stage_id, 1, v.exited_at - v.entered_at FROM stage_visits v
    WHERE v.stage_id IN (SELECT id FROM st) AND v.live AND v.exited_at >= $6 AND v.exited_at < $4
  ) parts
  GROUP BY stage_id
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
