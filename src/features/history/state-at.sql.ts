import { SqlParams } from '../../infra/db/sql-params';

/** Bounds on the expected close date of the deals counted: half-open, either end optional. */
export interface ClosingWindow {
  from?: Date | null;
  to?: Date | null;
}

/**
 * SQL selecting the deals of a pipeline that are OPEN at `t` (and, with `closing`, whose
 * expected close date at t lies in it): `deal_id, stage_id, value, expected_close_date, valid_to`
 * (`valid_to` infinity for a deal's current row, else the key of its `deal_history` row).
 *
 * The state at t of a deal is its row in `deals` when its last change came before t (a deleted
 * deal is never in that state: its deletion was its last change), else the `deal_history` row
 * whose interval (validFrom, validTo] holds t. Both halves are index ranges:
 * `deals_open_by_stage` for the first, `deal_history_open` (validTo ≥ t) for the second.
 */
export function openStatesAt(params: SqlParams, pipeline: string, t: Date, closing?: ClosingWindow | null): string {
  const at = `${params.add(t)}::timestamptz`;
  const window = closingConditions(params, closing);
  return `SELECT d.id AS deal_id, d.stage_id, d.value, d.expected_close_date, 'infinity'::timestamptz AS valid_to
      FROM deals d WHERE d.pipeline_id = ${pipeline} AND d.status = 'OPEN' AND d.deleted_at IS NULL AND d.updated_at < ${at}${window('d')}
    UNION ALL
    SELECT h.deal_id, h.stage_id, h.value, h.expected_close_date, h.valid_to
      FROM deal_history h WHERE h.pipeline_id = ${pipeline} AND h.status = 'OPEN' AND h.valid_to >= ${at} AND h.valid_from < ${at}${window('h')}`;
}

/** Conditions `AND …` on a row alias's expected close date keeping it in `closing` (none without one). */
export function closingConditions(params: SqlParams, closing: ClosingWindow | null | undefined): (alias: string) => string {
  if (!closing) return () => '';
  const from = closing.from ? `${params.add(closing.from)}::timestamptz` : null;
  const to = closing.to ? `${params.add(closing.to)}::timestamptz` : null;
  return (alias) => {
    const terms = [`${alias}.expected_close_date IS NOT NULL`];
    if (from) terms.push(`${alias}.expected_close_date >= ${from}`);
    if (to) terms.push(`${alias}.expected_close_date < ${to}`);
    return terms.map((term) => ` AND ${term}`).join('');
  };
}

/**
 * SQL naming a pipeline only when it belongs to the workspace (else NULL, which matches no
 * row): history reads start from the pipeline's deals, so the workspace is checked once, here.
 */
export function scopedPipeline(params: SqlParams, pipelineId: string, workspaceId: string): string {
  return `(SELECT id FROM pipelines WHERE id = ${params.add(pipelineId)}::uuid AND workspace_id = ${params.add(workspaceId)})`;
}
