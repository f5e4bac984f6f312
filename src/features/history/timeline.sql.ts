/**
 * The newest `limit` entries of one deal's timeline at the most (fewer may follow a cursor), read
 * by its loader and by the answer built in SQL; the caller sorts them (`TIMELINE_ORDER`) and
 * keeps its page. Each entry has its time `at`, its `rank` (a change before an activity at the
 * same moment) and its tie-break `k` (the seq, zero-padded, or the activity's id). A change
 * carries the event's columns (`occurred_at` = `at`); an activity only its `activity_id`.
 *
 * Changes come from the durable field history, which keeps every change after the event log has
 * pruned it; those the history does not hold (that change no field, such as STALLED) come from
 * the log while it keeps them.
 *
 * The history is read newest first through its key (deal, time), `limit` rows. When it has that
 * many, no entry older than the last of them can be on the page, so the log and the activities
 * are read only back to it: a page costs about its size, not the deal's whole past. Each event
 * of that stretch looks its history row up by key (`OFFSET 0` keeps the look-up per event: as a
 * join, a planner that believes a deal has a few history rows hashes them all).
 *
 * `deal` is SQL of the deal's id (a column of an outer row), `workspace` the parameter of the
 * viewer's workspace, `after` SQL of a cursor's sort keys (at, rank, k), when a page follows one.
 */
export function timelineEntriesSql(deal: string, workspace: string, limit: number,
  after?: { at: string; rank: string; k: string }): string {
  const beyond = (at: string, rank: string, k: string) => (after
    ? ` AND ${at} <= ${after.at} AND (${at}, ${rank}, ${k}) < (${after.at}, ${after.rank}, ${after.k})` : '');
  const seqKey = (alias: string) => `lpad(${alias}.seq::text, 20, '0')`;
  const activityAt = 'coalesce(a.done_at, a.created_at)';
  return `WITH held AS (
      SELECT h.deal_id, h.valid_to AS at, 1 AS rank, ${seqKey('h')} AS k, h.seq, h.type, h.workspace_id, h.pipeline_id,
          h.from_stage_id, h.to_stage_id, h.actor_id, h.valid_to AS occurred_at, h.changes, NULL::uuid AS activity_id
        FROM deal_history h WHERE h.deal_id = ${deal} AND h.workspace_id = ${workspace} AND h.seq IS NOT NULL${beyond('h.valid_to', '1', seqKey('h'))}
        ORDER BY h.valid_to DESC LIMIT ${limit}),
    oldest AS (SELECT CASE WHEN count(*) = ${limit} THEN min(at) ELSE '-infinity' END AS at FROM held)
    SELECT * FROM held
    UNION ALL
    SELECT e.deal_id, e.occurred_at, 1, ${seqKey('e')}, e.seq, e.type, e.workspace_id, e.pipeline_id,
        e.from_stage_id, e.to_stage_id, e.actor_id, e.occurred_at, e.changes, NULL
      FROM deal_events e, oldest WHERE e.deal_id = ${deal} AND e.workspace_id = ${workspace} AND e.occurred_at >= oldest.at
       ${beyond('e.occurred_at', '1', seqKey('e'))}
       AND NOT EXISTS (SELECT FROM deal_history h WHERE h.deal_id = e.deal_id AND h.valid_to = e.occurred_at OFFSET 0)
    UNION ALL
    SELECT a.deal_id, ${activityAt}, 0, a.id::text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.id
      FROM activities a, oldest WHERE a.deal_id = ${deal} AND a.workspace_id = ${workspace} AND ${activityAt} >= oldest.at
       ${beyond(activityAt, '0', 'a.id::text')}`;
}

/** Newest first: the timeline's order, over an entry's `at`, `rank` and `k`. */
export const TIMELINE_ORDER = 'at DESC, rank DESC, k DESC';

/** The timeline as a list a cursor belongs to (`listIdentity`): one per deal. */
export const TIMELINE_LIST = { table: 'deal_timeline', parentColumn: 'deal_id', list: '' };
