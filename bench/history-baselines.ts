/**
 * Hand-written SQL for the answers bench/history.ts asks through GraphQL: what someone who knows
 * the schema and its indexes would send to get the same figures and deals, nothing more (only
 * the columns the query shows). $1 pipeline, $2 workspace, $3 the moment.
 *
 * The open deals at a moment are the deal rows unchanged since (`deals_open_by_stage`) and the
 * history rows holding it (`deal_history_by_time`). Tried and slower for the same answers: one
 * union of both halves tallied once (13.2 against 11.7 ms of backend CPU), and for the deal
 * pages a top-N per stage over all its deals then (33 ms) or a window over them (sorting every
 * deal): a stage's first unchanged deals come in order from the index, so only the history rows
 * that can still rank among them need sorting.
 */

const OPEN_THEN = `
  pipeline AS (SELECT id FROM pipelines WHERE id = $1::uuid AND workspace_id = $2),
  held AS (SELECT deal_id, stage_id, value, valid_to FROM deal_history
    WHERE pipeline_id = (SELECT id FROM pipeline) AND status = 'OPEN' AND valid_to >= $3 AND valid_from < $3),
  tally AS MATERIALIZED (SELECT stage_id, sum(n) AS n, sum(v) AS v FROM (
      SELECT stage_id, count(*) AS n, sum(value) AS v FROM deals
      WHERE pipeline_id = (SELECT id FROM pipeline) AND status = 'OPEN' AND deleted_at IS NULL AND updated_at < $3 GROUP BY stage_id
      UNION ALL
      SELECT stage_id, count(*), sum(value) FROM held GROUP BY stage_id) halves GROUP BY stage_id)`;

/** pipelineSnapshot's figures: per OPEN stage, count, value and weighted value then, and the totals. */
export const SNAPSHOT_FIGURES = `WITH ${OPEN_THEN}
SELECT s.id, coalesce(t.n, 0)::int AS n, coalesce(t.v, 0)::text AS v, (coalesce(t.v, 0) * s.probability)::text AS w,
  (sum(coalesce(t.v, 0)) OVER ())::text AS total_v, (sum(coalesce(t.v, 0) * s.probability) OVER ())::text AS total_w
FROM stages s LEFT JOIN tally t ON t.stage_id = s.id
WHERE s.pipeline_id = (SELECT id FROM pipeline) AND s.kind = 'OPEN' ORDER BY s.position`;

/**
 * pipelineSnapshot's count and value per stage and in all, with each stage's first 10 deals then
 * (largest first, then id): title then, value then, id. Per stage: its 10 largest unchanged
 * deals from the index, and the held rows not below the 10th of them; the title from the deal
 * row or the history row that holds the state.
 */
export const SNAPSHOT_WITH_DEALS = `WITH ${OPEN_THEN},
  st AS (SELECT id, position FROM stages WHERE pipeline_id = (SELECT id FROM pipeline) AND kind = 'OPEN'),
  unchanged AS MATERIALIZED (SELECT r.* FROM st CROSS JOIN LATERAL (
    SELECT id AS deal_id, stage_id, value, 'infinity'::timestamptz AS valid_to FROM deals
    WHERE pipeline_id = (SELECT id FROM pipeline) AND stage_id = st.id AND status = 'OPEN' AND deleted_at IS NULL AND updated_at < $3
    ORDER BY value DESC, id LIMIT 10) r),
  bar AS MATERIALIZED (SELECT stage_id, min(value) AS value FROM unchanged GROUP BY stage_id HAVING count(*) = 10),
  candidates AS MATERIALIZED (SELECT * FROM unchanged UNION ALL
    SELECT h.* FROM held h LEFT JOIN bar ON bar.stage_id = h.stage_id WHERE bar.value IS NULL OR h.value >= bar.value),
  page AS MATERIALIZED (SELECT r.* FROM st CROSS JOIN LATERAL (
    SELECT * FROM candidates WHERE stage_id = st.id ORDER BY value DESC, deal_id LIMIT 10) r)
SELECT (SELECT sum(n) FROM tally)::int AS total_n, (SELECT sum(v) FROM tally)::text AS total_v,
  st.id, coalesce(t.n, 0)::int AS n, coalesce(t.v, 0)::text AS v, p.deal_id, p.value::text AS deal_value,
  coalesce((SELECT title FROM deals WHERE id = p.deal_id AND p.valid_to = 'infinity'),
    (SELECT title FROM deal_history WHERE deal_id = p.deal_id AND valid_to = p.valid_to AND p.valid_to <> 'infinity')) AS title
FROM st LEFT JOIN tally t ON t.stage_id = st.id LEFT JOIN page p ON p.stage_id = st.id
ORDER BY st.position, p.value DESC, p.deal_id`;
