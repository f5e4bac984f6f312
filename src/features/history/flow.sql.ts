import { SqlParams } from '../../infra/db/sql-params';
import { ResolvedRange } from '../reports/report-range';
import { FlowKind } from './flow.types';
import { ClosingWindow, closingConditions, scopedPipeline } from './state-at.sql';
import { ValuePageArgs, valuePageSql } from './value-page';

/** Cursors of a flow's pages hold (value, deal id): one may page any movement of the flow on from it. */
export const FLOW_ORDERING = 'flow';

/** The changes that set a deal's status or end the deal (a creation aside). */
const STATUS_CHANGES = ['WON', 'LOST', 'REOPENED', 'DELETED'];

/**
 * CTEs classifying the deals of a pipeline between `range.from` and `range.to` (see FlowKind)
 * from index ranges alone, with no lookup per deal:
 *
 * - `steady`: the deals in the pipeline whose last change came before `from`
 *   (`deals_open_by_stage`). Unchanged since, they are in at both ends with the same value, so
 *   they count in `start` and `end`, move nowhere, and are summed, never joined.
 * - `at_start`: the deals that existed at `from` and changed since, with their status then and
 *   their value when in the pipeline: the `deal_history` row holding `from` (`deal_history_by_time`,
 *   rows ending at or after `from`). A deal changed since `from` with no such row did not exist then.
 * - `at_end`: the deals in the pipeline at `to` that changed since `from`: the history row
 *   holding `to`, or (last change in [from, to)) the deal row itself (`deals_open_by_stage`).
 * - `fate`: each deal's last WON, LOST, REOPENED or DELETED change in [from, to): only these
 *   changes set the status or end a deal, so the latest tells how a deal that left stood at `to`
 *   (REOPENED: open, so its close date left the window).
 *
 * `moved` holds one row per deal changed since `from` and in the pipeline at either end:
 * `start_value`, `end_value` (null where it was not in), its `kind` (null when in at both ends
 * with the same value) and the `amount` it moved. Materialised, so it is classified once however
 * many figures and pages read it.
 */
export function flowCtes(params: SqlParams, pipeline: string, range: ResolvedRange, closing?: ClosingWindow | null): string {
  const from = `${params.add(range.from)}::timestamptz`;
  const to = `${params.add(range.to)}::timestamptz`;
  const window = closingConditions(params, closing);
  const openDeals = `FROM deals d WHERE d.pipeline_id = ${pipeline} AND d.status = 'OPEN' AND d.deleted_at IS NULL${window('d')}`;
  const history = `FROM deal_history h WHERE h.pipeline_id = ${pipeline} AND h.status IS NOT NULL`;
  return `steady AS (SELECT count(*)::int AS n, coalesce(sum(d.value), 0) AS v ${openDeals} AND d.updated_at < ${from}),
    at_start AS (
      SELECT h.deal_id, h.status, CASE WHEN h.status = 'OPEN'${window('h')} THEN h.value END AS value
      ${history} AND h.valid_to >= ${from} AND h.valid_from < ${from}),
    at_end AS (
      SELECT h.deal_id, h.value ${history} AND h.valid_to >= ${to} AND h.valid_from < ${to} AND h.status = 'OPEN'${window('h')}
      UNION ALL
      SELECT d.id, d.value ${openDeals} AND d.updated_at >= ${from} AND d.updated_at < ${to}),
    status_changes AS (
      SELECT h.deal_id, h.valid_to, h.type
      ${history} AND h.valid_to >= ${from} AND h.valid_to < ${to} AND h.type IN (${STATUS_CHANGES.map((type) => `'${type}'`).join(', ')})
        -- The same types as an index range (they are adjacent in deal_event_type, whose order never
        -- changes), so the scan skips the other changes inside the index.
        AND h.type BETWEEN 'WON' AND 'DELETED'),
    -- Each deal's last status change in [from, to) (an anti-join: no later one), cheaper than aggregating them.
    fate AS (
      SELECT c.deal_id, c.type FROM status_changes c
      WHERE NOT EXISTS (SELECT FROM status_changes l WHERE l.deal_id = c.deal_id AND l.valid_to > c.valid_to)),
    moved AS MATERIALIZED (
      SELECT coalesce(s.deal_id, e.deal_id) AS deal_id, s.value AS start_value, e.value AS end_value,
        CASE
          WHEN s.value IS NULL THEN CASE WHEN s.deal_id IS NULL THEN 'CREATED' WHEN s.status = 'OPEN' THEN 'PULLED_IN' ELSE 'REOPENED' END
          WHEN e.value IS NULL THEN
            CASE f.type WHEN 'DELETED' THEN 'DELETED' WHEN 'WON' THEN 'WON' WHEN 'LOST' THEN 'LOST' ELSE 'PUSHED_OUT' END
          WHEN e.value > s.value THEN 'INCREASED'
          WHEN e.value < s.value THEN 'DECREASED'
        END AS kind,
        coalesce(abs(e.value - s.value), e.value, s.value) AS amount
      FROM at_start s FULL JOIN at_end e ON e.deal_id = s.deal_id LEFT JOIN fate f ON f.deal_id = s.deal_id
      WHERE s.value IS NOT NULL OR e.deal_id IS NOT NULL)`;
}

/** A page of a movement's deals asked for: size, and the cursor it follows. */
export type FlowPageSpec = ValuePageArgs;

/**
 * The statement of a flow: `known` (the pipeline is the workspace's), start, end and each
 * movement's figures on every row, and, for each of `pages`, the first deals of every movement
 * beside them (`page_spec` its index, `page_kind`, `amount`, `deal_id` and the deal's
 * columns; one row with nulls there when no page has a deal). The pages read the same
 * classification as the figures, so asking for them costs a sort of the deals that moved.
 */
export function flowSql(workspaceId: string, pipelineId: string, range: ResolvedRange, closing: ClosingWindow | null,
  pages: FlowPageSpec[] = []): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const ctes = flowCtes(params, scopedPipeline(params, pipelineId, workspaceId), range, closing);
  const figures = Object.values(FlowKind).map((kind) => `count(*) FILTER (WHERE kind = '${kind}')::int AS "n_${kind}",
    coalesce(sum(amount) FILTER (WHERE kind = '${kind}'), 0)::text AS "v_${kind}"`);
  const known = `EXISTS (SELECT FROM pipelines WHERE id = ${params.add(pipelineId)}::uuid AND workspace_id = ${params.add(workspaceId)})`;
  // Per movement, its first deals by a top-N scan of `moved` (a sort of every deal that moved costs more).
  const kinds = `(VALUES ${Object.values(FlowKind).map((kind) => `('${kind}')`).join(', ')}) k(kind)`;
  const ranked = pages.map((page, i) => {
    const { after, limit } = valuePageSql(params, workspaceId, FLOW_ORDERING, page);
    return `SELECT ${i} AS spec, k.kind, r.deal_id, r.amount FROM ${kinds} CROSS JOIN LATERAL (
      SELECT deal_id, amount FROM moved WHERE kind = k.kind AND ${after} ORDER BY amount DESC, deal_id LIMIT ${limit}) r`;
  });
  const sql = `WITH ${ctes},
    figures AS (SELECT ${known} AS known,
      (SELECT n FROM steady) + count(start_value)::int AS start_n, ((SELECT v FROM steady) + coalesce(sum(start_value), 0))::text AS start_v,
      (SELECT n FROM steady) + count(end_value)::int AS end_n, ((SELECT v FROM steady) + coalesce(sum(end_value), 0))::text AS end_v,
      ${figures.join(', ')}
      FROM moved)
    SELECT f.*${ranked.length ? `, p.spec AS page_spec, p.kind AS page_kind, p.amount::text AS amount, p.deal_id, d.*` : ''}
    FROM figures f${ranked.length ? `
    LEFT JOIN (${ranked.join(' UNION ALL ')}) p ON true
    -- Each deal by key (OFFSET 0 keeps the planner from hashing every deal for a few dozen rows).
    LEFT JOIN LATERAL (SELECT * FROM deals WHERE id = p.deal_id OFFSET 0) d ON true
    ORDER BY p.spec, p.kind, p.amount DESC, p.deal_id` : ''}`;
  return { sql, params: params.values };
}
