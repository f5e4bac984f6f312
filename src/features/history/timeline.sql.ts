/**
 * A deal's timeline entries, read by its loader and by the answer built in SQL. Each entry has
 * its time `at`, its `rank` (a change before an activity at the same moment) and its tie-break
 * `k` (the seq, zero-padded, or the activity's id); newest first is `TIMELINE_ORDER`. A change
 * carries the event's columns (`occurred_at` = `at`); an activity only its `activity_id`.
 *
 * Changes come from the durable field history, which keeps every change after the event log has
 * pruned it; those the history does not hold (that change no field, such as STALLED) come from
 * the log while it keeps them.
 *
 * `dealCondition` picks the deals over a table's alias (`h.deal_id = t.id`, or `= ANY(...)`);
 * `workspace` is the parameter of the viewer's workspace.
 */
export function timelineEntriesSql(dealCondition: (alias: string) => string, workspace: string): string {
  return `SELECT h.deal_id, h.valid_to AS at, 1 AS rank, lpad(h.seq::text, 20, '0') AS k, h.seq, h.type, h.workspace_id, h.pipeline_id,
        h.from_stage_id, h.to_stage_id, h.actor_id, h.valid_to AS occurred_at, h.changes, NULL::uuid AS activity_id
      FROM deal_history h WHERE ${dealCondition('h')} AND h.workspace_id = ${workspace} AND h.seq IS NOT NULL
    UNION ALL
    SELECT e.deal_id, e.occurred_at, 1, lpad(e.seq::text, 20, '0'), e.seq, e.type, e.workspace_id, e.pipeline_id,
        e.from_stage_id, e.to_stage_id, e.actor_id, e.occurred_at, e.changes, NULL
      FROM deal_events e WHERE ${dealCondition('e')} AND e.workspace_id = ${workspace}
       AND NOT EXISTS (SELECT FROM deal_history h WHERE h.deal_id = e.deal_id AND h.valid_to = e.occurred_at)
    UNION ALL
    SELECT a.deal_id, coalesce(a.done_at, a.created_at), 0, a.id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.id
      FROM activities a WHERE ${dealCondition('a')} AND a.workspace_id = ${workspace}`;
}

/** Newest first: the timeline's order, over an entry's `at`, `rank` and `k`. */
export const TIMELINE_ORDER = 'at DESC, rank DESC, k DESC';

/** The timeline as a list a cursor belongs to (`listIdentity`): one per deal. */
export const TIMELINE_LIST = { table: 'deal_timeline', parentColumn: 'deal_id', list: '' };
