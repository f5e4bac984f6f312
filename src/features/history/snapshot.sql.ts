import { SqlParams } from '../../infra/db/sql-params';
import { openAt, scopedPipeline } from './state-at.sql';
import { ValuePageArgs, valuePageSql } from './value-page';

/** Cursors of a snapshot's pages hold (value, deal id): one may page any stage of the snapshot on from it. */
export const SNAPSHOT_ORDERING = 'snapshot';

/** The tracked fields a snapshot's deal shows, as they stood: from its history row, or its deal row. */
const SHOWN = ['title', 'owner_id', 'expected_close_date', 'stage_entered_at'];

/**
 * Page `i` of every stage: `ctes` naming its candidates (`best<i>`), and `rows`, the page's rows
 * (spec, stage_id, deal_id, amount, valid_to). A stage's candidates are its first unchanged deals,
 * read in order from the index, and those of the held rows (`past`) that can still rank among
 * them: not below the last of a full page of unchanged deals. So the ranking sorts a few rows
 * per stage, not every deal the stage held.
 */
function stagePages(params: SqlParams, workspaceId: string, unchanged: string, page: ValuePageArgs, i: number) {
  const { after, limit } = valuePageSql(params, workspaceId, SNAPSHOT_ORDERING, page);
  const ctes = `top${i} AS MATERIALIZED (SELECT r.* FROM st CROSS JOIN LATERAL (
      SELECT * FROM (SELECT d.id AS deal_id, d.stage_id, d.value AS amount, 'infinity'::timestamptz AS valid_to ${unchanged}
        AND d.stage_id = st.id) s
      WHERE ${after} ORDER BY amount DESC, deal_id LIMIT ${limit}) r),
    bar${i} AS MATERIALIZED (SELECT stage_id, min(amount) AS amount FROM top${i} GROUP BY stage_id HAVING count(*) = ${limit}),
    best${i} AS MATERIALIZED (SELECT * FROM top${i} UNION ALL
      SELECT c.* FROM (SELECT * FROM past WHERE ${after}) c LEFT JOIN bar${i} b ON b.stage_id = c.stage_id
      WHERE b.amount IS NULL OR c.amount >= b.amount)`;
  const rows = `SELECT ${i} AS spec, r.* FROM st CROSS JOIN LATERAL (
      SELECT * FROM best${i} WHERE stage_id = st.id ORDER BY amount DESC, deal_id LIMIT ${limit}) r`;
  return { ctes, rows };
}

/**
 * The statement of a snapshot: per OPEN stage in position order, the stage's row, the deals open
 * in it at `asOf`, their value and weighted value, and the totals; and, for each of `pages`, the
 * first of those deals beside their stage's row (`page_spec` its index, `page_deal_id`, `amount`,
 * `page_<field>` as they stood and, with `dealRows`, `page_deal`, the deal row as JSON; nulls there
 * when a stage has none), by a top-N read per stage of its candidates.
 */
export function snapshotSql(workspaceId: string, pipelineId: string, asOf: Date, pages: ValuePageArgs[] = [], dealRows = true) {
  const params = new SqlParams();
  const pipeline = scopedPipeline(params, pipelineId, workspaceId);
  const { unchanged, held } = openAt(params, pipeline, asOf);
  const lists = pages.map((page, i) => stagePages(params, workspaceId, unchanged, page, i));
  const ranked = lists.map((list) => list.rows);
  // Each page's deal's fields then: from its history row, or (valid_to infinity) its deal row, read by key (OFFSET 0:
  // a few rows, no hash of every deal); with `dealRows`, every page's deal row, as it is now (`page_deal`).
  const shown = SHOWN.map((c) => `CASE WHEN p.valid_to = 'infinity' THEN d.${c} ELSE h.${c} END AS page_${c}`);
  const workspace = ranked.length ? params.add(workspaceId) : null;
  // `past` is inlined into the tally when no page reads it, else materialised once for both.
  const sql = `WITH st AS (SELECT * FROM stages WHERE pipeline_id = ${pipeline} AND kind = 'OPEN'),
    past AS (SELECT h.deal_id, h.stage_id, h.value AS amount, h.valid_to ${held}),
    tally AS MATERIALIZED (SELECT stage_id, sum(n)::int AS n, sum(v) AS v FROM (
        SELECT d.stage_id, count(*) AS n, sum(d.value) AS v ${unchanged} GROUP BY d.stage_id
        UNION ALL
        SELECT stage_id, count(*), sum(amount) FROM past GROUP BY stage_id) halves GROUP BY stage_id),
    figures AS (
      SELECT st.*, st.id AS stage_id, coalesce(tally.n, 0) AS n, coalesce(tally.v, 0)::text AS v,
             (coalesce(tally.v, 0) * st.probability)::text AS w,
             (sum(coalesce(tally.v, 0)) OVER ())::text AS total_v, (sum(coalesce(tally.v, 0) * st.probability) OVER ())::text AS total_w
      FROM st LEFT JOIN tally ON tally.stage_id = st.id)${lists.map((list) => `,\n    ${list.ctes}`).join('')}${ranked.length ? `,
    -- Ranked once, then joined to its stage's row (inlined, the ranking could run again for each stage).
    paged AS MATERIALIZED (${ranked.join(' UNION ALL ')})` : ''}
    SELECT f.*${ranked.length ? `, p.spec AS page_spec, p.deal_id AS page_deal_id, p.amount::text AS amount, ${shown.join(', ')}${
      dealRows ? ', CASE WHEN d.id IS NOT NULL THEN row_to_json(d) END AS page_deal' : ''}` : ''}
    FROM figures f${ranked.length ? `
    LEFT JOIN paged p ON p.stage_id = f.stage_id
    LEFT JOIN LATERAL (SELECT * FROM deals WHERE id = p.deal_id AND workspace_id = ${workspace}${dealRows ? '' : ` AND p.valid_to = 'infinity'`}
      OFFSET 0) d ON true
    LEFT JOIN LATERAL (SELECT * FROM deal_history WHERE deal_id = p.deal_id AND valid_to = p.valid_to AND p.valid_to <> 'infinity'
      OFFSET 0) h ON true` : ''}
    ORDER BY f.position${ranked.length ? ', p.spec, p.amount DESC, p.deal_id' : ''}`;
  return { sql, params: params.values };
}
