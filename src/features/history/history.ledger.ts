/** Tracked state columns of `deal_history`, named as in `deals`. */
export const STATE_COLUMNS = ['title', 'value', 'stage_id', 'status', 'owner_id', 'expected_close_date', 'lost_reason', 'stage_entered_at'];

/**
 * Records in `deal_history` each event of `event` (rows just inserted into `deal_events`,
 * RETURNING *) with the deal's state before it: `before` names a relation of the deal rows as
 * they were (the locked rows of a write, matched to their events by id), or is null for a creation
 * (no state, empty interval).
 */
export function appendFieldHistory(event: string, before: string | null): string {
  const state = STATE_COLUMNS.map((c) => (before ? `${before}.${c}` : 'NULL')).join(', ');
  return `INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, seq, type, actor_id,
      from_stage_id, to_stage_id, changes, ${STATE_COLUMNS.join(', ')})
    SELECT e.deal_id, e.occurred_at, ${before ? `${before}.updated_at` : 'e.occurred_at'}, e.workspace_id, e.pipeline_id, e.seq,
      e.type, e.actor_id, e.from_stage_id, e.to_stage_id, e.changes, ${state}
    FROM ${event} e${before ? ` JOIN ${before} ON ${before}.id = e.deal_id` : ''}`;
}
