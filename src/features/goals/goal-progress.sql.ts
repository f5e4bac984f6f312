/**
 * Every goal of a workspace with the raw figures of its period, pipeline and owner, in one
 * statement: a lateral aggregate per goal over the deals that were created or closed in the
 * period, and for WON_VALUE goals a second over the deals that decide its outlook: OPEN ones
 * expected to close between now and the period's end, and those closed in the 90 days
 * before now (their win rate). $1 workspace, $2 pipeline or null, $3 owner (internal id) or null, $4 whether an
 * owner was asked for (so that an unknown owner matches nothing rather than everything).
 */
export const GOAL_PROGRESS_SQL = `
SELECT g.*, a.*, o.*, now() AS computed_at
FROM goals g
CROSS JOIN LATERAL (
  SELECT count(*) FILTER (WHERE d.status = 'WON' AND d.closed_at >= g.starts_at AND d.closed_at < g.ends_at)::int AS won_count,
         count(*) FILTER (WHERE d.status = 'LOST' AND d.closed_at >= g.starts_at AND d.closed_at < g.ends_at)::int AS lost_count,
         coalesce(sum(d.value) FILTER (WHERE d.status = 'WON' AND d.closed_at >= g.starts_at AND d.closed_at < g.ends_at), 0) AS won_value,
         avg(d.value) FILTER (WHERE d.status = 'WON' AND d.closed_at >= g.starts_at AND d.closed_at < g.ends_at) AS average_deal_size,
         avg(extract(epoch FROM d.closed_at - d.created_at)) FILTER (WHERE d.status = 'WON' AND d.closed_at >= g.starts_at AND d.closed_at < g.ends_at) / 86400
           AS average_sales_cycle_days,
         count(*) FILTER (WHERE d.created_at >= g.starts_at AND d.created_at < g.ends_at)::int AS new_deals
  FROM deals d
  WHERE d.workspace_id = g.workspace_id AND d.deleted_at IS NULL
    AND (g.pipeline_id IS NULL OR d.pipeline_id = g.pipeline_id)
    AND (g.owner_id IS NULL OR d.owner_id = g.owner_id)
    AND ((d.closed_at >= g.starts_at AND d.closed_at < g.ends_at) OR (d.created_at >= g.starts_at AND d.created_at < g.ends_at))
) a
CROSS JOIN LATERAL (
  SELECT coalesce(sum(d.value) FILTER (WHERE d.status = 'OPEN'), 0) AS pipeline_value,
         count(*) FILTER (WHERE d.status = 'WON')::int AS recent_won,
         count(*) FILTER (WHERE d.status = 'LOST')::int AS recent_lost
  FROM deals d
  WHERE g.metric = 'WON_VALUE' AND d.workspace_id = g.workspace_id AND d.deleted_at IS NULL
    AND (g.pipeline_id IS NULL OR d.pipeline_id = g.pipeline_id)
    AND (g.owner_id IS NULL OR d.owner_id = g.owner_id)
    AND ((d.status = 'OPEN' AND d.expected_close_date >= now() AND d.expected_close_date < g.ends_at)
      OR (d.status <> 'OPEN' AND d.closed_at >= now() - interval '2160 hours' AND d.closed_at < now()))
) o
WHERE g.workspace_id = $1
  AND ($2::uuid IS NULL OR g.pipeline_id = $2)
  AND (NOT $4::boolean OR g.owner_id = $3)
ORDER BY g.starts_at, g.created_at, g.id`;
