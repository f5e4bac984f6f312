import { SqlParams } from '../../infra/db/sql-params';

/** Bounds on the expected close date of the deals counted: half-open, either end optional. */
export interface ClosingWindow {
  from?: Date | null;
  to?: Date | null;
}

/**
 * The deals of a pipeline that are OPEN at `t`, as two `FROM … WHERE …` clauses, one per
 * place their state at t is kept:
 *
 * - `unchanged` (alias `d`): a deal's row in `deals` when its last change came before t (a
 *   deleted deal is never in that state: its deletion was its last change);
 *   `deals_open_by_stage`, whose order (pipeline, stage, value) also reads a stage's largest first.
 * - `held` (alias `h`): else the `deal_history` row whose interval (validFrom, validTo] holds
 *   t; `deal_history_by_time` (validTo ≥ t).
 *
 * Kept apart rather than as one union: each half is aggregated where it is read, and a
 * stage's largest unchanged deals come from the index in order, so that only the held rows,
 * fewer, need ranking.
 */
export function openAt(params: SqlParams, pipeline: string, t: Date): { unchanged: string; held: string } {
  const at = `${params.add(t)}::timestamptz`;
  return {
    unchanged: `FROM deals d WHERE d.pipeline_id = ${pipeline} AND d.status = 'OPEN' AND d.deleted_at IS NULL AND d.updated_at < ${at}`,
    held: `FROM deal_history h WHERE h.pipeline_id = ${pipeline} AND h.status = 'OPEN' AND h.valid_to >= ${at} AND h.valid_from < ${at}`,
  };
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
