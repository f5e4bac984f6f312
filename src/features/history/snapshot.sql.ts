import { SqlParams } from '../../infra/db/sql-params';
import { openStatesAt, scopedPipeline } from './state-at.sql';
import { ValuePageArgs, valuePageSql } from './value-page';

/** Cursors of a snapshot's pages hold (value, deal id): one may page any stage of the snapshot on from it. */
export const SNAPSHOT_ORDERING = 'snapshot';

/** The tracked fields a snapshot's deal shows, as they stood: from its history row, or its deal row. */
const SHOWN = ['title', 'owner_id', 'expected_close_date', 'stage_entered_at'];

/**
 * The statement of a snapshot: per OPEN stage in position order, the stage's row, the deals open
 * in it at `asOf`, their value and weighted value, and the totals; and, for each of `pages`, the
 * first of those deals beside their stage's row (`page_spec` its index, `page_deal_id`, `amount`,
 * `page_<field>` as they stood and `page_deal`, the deal row as JSON; nulls there when a stage has
 * none), by a top-N read per stage.
 */
export function snapshotSql(workspaceId: string, pipelineId: string, asOf: Date, pages: ValuePageArgs[] = []) {
  const params = new SqlParams();
  const pipeline = scopedPipeline(params, pipelineId, workspaceId);
  const ranked = pages.map((page, i) => {
    const { after, limit } = valuePageSql(params, workspaceId, SNAPSHOT_ORDERING, page);
    return `SELECT ${i} AS spec, r.* FROM st CROSS JOIN LATERAL (
      SELECT * FROM (SELECT stage_id, deal_id, value AS amount, valid_to FROM state) s
      WHERE s.stage_id = st.id AND ${after} ORDER BY amount DESC, deal_id LIMIT ${limit}) r`;
  });
  // Each page's deal by key, as it is now (`page_deal`), and its fields then: from its history row, or (valid_to
  // infinity) its deal row (OFFSET 0: a few rows, no hash of every deal).
  const shown = SHOWN.map((c) => `CASE WHEN p.valid_to = 'infinity' THEN d.${c} ELSE h.${c} END AS page_${c}`);
  const workspace = ranked.length ? params.add(workspaceId) : null;
  const sql = `WITH st AS (SELECT * FROM stages WHERE pipeline_id = ${pipeline} AND kind = 'OPEN'),
     state AS (${openStatesAt(params, pipeline, asOf)}),
     tally AS (SELECT stage_id, count(*)::int AS n, sum(value) AS v FROM state GROUP BY stage_id),
     figures AS (
       SELECT st.*, st.id AS stage_id, coalesce(tally.n, 0) AS n, coalesce(tally.v, 0)::text AS v,
              (coalesce(tally.v, 0) * st.probability)::text AS w,
              (sum(coalesce(tally.v, 0)) OVER ())::text AS total_v, (sum(coalesce(tally.v, 0) * st.probability) OVER ())::text AS total_w
       FROM st LEFT JOIN tally ON tally.stage_id = st.id)
     SELECT f.*${ranked.length ? `, p.spec AS page_spec, p.deal_id AS page_deal_id, p.amount::text AS amount, ${shown.join(', ')},
       CASE WHEN d.id IS NOT NULL THEN row_to_json(d) END AS page_deal` : ''}
     FROM figures f${ranked.length ? `
     LEFT JOIN (${ranked.join(' UNION ALL ')}) p ON p.stage_id = f.stage_id
     LEFT JOIN LATERAL (SELECT * FROM deals WHERE id = p.deal_id AND workspace_id = ${workspace} OFFSET 0) d ON true
     LEFT JOIN LATERAL (SELECT * FROM deal_history WHERE deal_id = p.deal_id AND valid_to = p.valid_to OFFSET 0) h ON true` : ''}
     ORDER BY f.position${ranked.length ? ', p.spec, p.amount DESC, p.deal_id' : ''}`;
  return { sql, params: params.values };
}
