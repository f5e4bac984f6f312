import { EntityManager } from 'typeorm';
import { SqlRunner } from '../../../infra/db/sql-runner';
import { DealEventRow, EVENT_COLUMNS } from './deal-event.type';
import { LogCursor, LogSnapshot } from './log-cursor';
import { OLDEST_SEQ_SQL } from './retention';

/** Rows read in one statement, with what that statement's snapshot says of the suspects. */
export interface TailRead {
  snapshot: LogSnapshot;
  rows: DealEventRow[];
}

/**
 * The rows an event's delivery reads (its deal, the stages it names and the deal's stage, its
 * actor) as `row_to_json` renders them, for events of the pipelines in `$4`: the delivery then
 * executes its subscribers' operations without another round trip. Read in the log read's
 * snapshot, so the deal is at least as new as the event.
 */
const RELATED_ROWS = `LEFT JOIN LATERAL (
       SELECT json_build_object(
         'deal', row_to_json(d),
         'stages', (SELECT json_agg(row_to_json(st)) FROM stages st
                    WHERE st.id IN (deal_events.from_stage_id, deal_events.to_stage_id, d.stage_id) AND st.workspace_id = deal_events.workspace_id),
         'users', (SELECT json_agg(row_to_json(u)) FROM users u WHERE u.id = deal_events.actor_id AND u.workspace_id = deal_events.workspace_id)
       ) AS related
       FROM (SELECT 1) one LEFT JOIN deals d ON d.id = deal_events.deal_id AND d.workspace_id = deal_events.workspace_id
       WHERE deal_events.pipeline_id = ANY($4::uuid[])) r ON true`;

/**
 * The log after `after`, every workspace, in seq order, at most `limit` rows, and whether
 * every suspect transaction had ended as of the same snapshot (committed and visible, or
 * rolled back): one statement per dispatcher tick, however many subscribers. Events of the
 * pipelines in `relatedFor` come with the rows their delivery reads (`related`).
 */
export async function readTail(run: SqlRunner, after: bigint, limit: number, suspects?: readonly string[], relatedFor?: readonly string[]): Promise<TailRead> {
  const related = relatedFor !== undefined;
  const rows = await run(
    `SELECT (SELECT count(*) FROM unnest($3::text[]) x
             WHERE NOT (pg_visible_in_snapshot(x::xid8, s.snap) OR pg_xact_status(x::xid8) = 'aborted'))::int AS suspects_running, e.*
     FROM (SELECT pg_current_snapshot() AS snap) s
     LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS}${related ? ', r.related' : ''} FROM deal_events ${related ? RELATED_ROWS : ''}
                        WHERE seq > $1 ORDER BY deal_events.seq LIMIT $2) e ON true
     ORDER BY e.seq::bigint`,
    [after.toString(), limit, suspects ?? [], ...(related ? [relatedFor] : [])],
  );
  const snapshot = { suspects, suspectsEnded: suspects !== undefined && rows[0].suspects_running === 0 };
  return { snapshot, rows: rows.filter((r) => r.seq !== null).map(withoutEmptyRelated) as unknown as DealEventRow[] };
}

/** Drops `related` where it was not read (an event of a pipeline not asked for); embedded drivers may hand JSON over as text. */
function withoutEmptyRelated(row: Record<string, unknown>): Record<string, unknown> {
  if (!('related' in row)) return row;
  const { related, ...rest } = row;
  if (related === null || related === undefined) return rest;
  return { ...rest, related: typeof related === 'string' ? JSON.parse(related) : related };
}

/**
 * The transactions of this database that are writing the event log now, as 64-bit ids: those
 * holding the writers' shared advisory lock (7216537), which a trigger takes before any row
 * draws its seq (migration GuardEventLogWriters). A long transaction that writes no event,
 * here or in another database, never holds delivery up. `backend_xid` is 32-bit: it is widened against the snapshot's
 * xmax, which lies within 2^31 of every running id. Runs only when a gap is found.
 */
export async function runningTransactions(run: SqlRunner): Promise<string[]> {
  const [row] = await run(
    `WITH s AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax)
     SELECT coalesce(array_agg((s.xmax - (((((s.xmax % 4294967296) - a.backend_xid::text::bigint) % 4294967296) + 6442450944) % 4294967296 - 2147483648))::text), '{}') AS running
     FROM pg_stat_activity a, s
     WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
       AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'
                   AND l.classid = 0 AND l.objid = 7216537 AND l.objsubid = 1 AND l.granted)`,
  );
  return row.running as string[];
}

/**
 * One guarded read past the cursor: the rows now final (the cursor advanced over them),
 * whether more may be waiting, whether rows are held behind a gap (`held`), and the highest
 * seq read (`head`). `counted` is called for each statement run; events of the
 * pipelines in `relatedFor` come with the rows their delivery reads.
 */
export async function readFinal(
  run: SqlRunner, cursor: LogCursor, batchSize: number, counted: () => void, relatedFor?: readonly string[],
): Promise<{ ready: DealEventRow[]; more: boolean; held: boolean; head?: bigint }> {
  counted();
  const { snapshot, rows } = await readTail(run, cursor.position, batchSize, cursor.suspects, relatedFor);
  const ready = cursor.advance(rows, snapshot);
  if (cursor.needsSuspects) {
    counted();
    cursor.setSuspects(await runningTransactions(run));
  }
  const head = rows.length > 0 ? BigInt(rows[rows.length - 1].seq) : undefined;
  return { ready, more: ready.length === rows.length && rows.length === batchSize, held: cursor.suspects !== undefined, head };
}

/** The highest seq committed so far (0 when the log holds none). */
export async function committedHead(run: SqlRunner): Promise<bigint> {
  const [row] = await run('SELECT coalesce(max(seq), 0)::text AS head FROM deal_events');
  return BigInt(row.head as string);
}

/**
 * Where a new dispatcher starts: just below every event written by a transaction that may
 * still have been running when it looked, so that a late commit below the head is not
 * passed over. Waits (briefly, in practice; at most `maxWaitMs`) until those have ended.
 */
export async function startPosition(run: SqlRunner, maxWaitMs = 10_000): Promise<bigint> {
  // With every event removed by retention, the head is the sequence's: a client resuming
  // after a removed event must find the replay expired, not an empty log.
  const [head] = await run(`SELECT coalesce(max(seq), (SELECT last_value FROM deal_events_seq_seq WHERE is_called), 0)::text AS head
                            FROM deal_events`);
  const suspects = await runningTransactions(run);
  const deadline = Date.now() + maxWaitMs;
  while (!(await readTail(run, 0n, 0, suspects)).snapshot.suspectsEnded && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const [row] = await run(
    'SELECT (min(seq) - 1)::text AS position FROM deal_events WHERE seq <= $1 AND txid = ANY($2::bigint[])',
    [head.head, suspects],
  );
  return row.position === null ? BigInt(head.head as string) : BigInt(row.position as string);
}

/** A page of a replay, and the oldest seq the log kept as of the same snapshot. */
export interface ReplayPage {
  rows: DealEventRow[];
  oldest: bigint;
}

/**
 * A page of one pipeline's events with `after < seq <= upTo`, in order, for a subscriber
 * that resumes. Rows up to the dispatcher's position are final, so this reads no guard.
 * The oldest kept seq comes from the same snapshot: when it is above `after + 1`, retention
 * removed some of the page's events, and the replay must not pass over them.
 */
export async function readPipelineEvents(
  em: EntityManager, workspaceId: string, pipelineId: string, after: bigint, upTo: bigint, limit: number,
): Promise<ReplayPage> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT (${OLDEST_SEQ_SQL})::text AS oldest, e.* FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM deal_events
       WHERE workspace_id = $1 AND pipeline_id = $2 AND seq > $3 AND seq <= $4
       ORDER BY deal_events.seq LIMIT $5) e ON true
     ORDER BY e.seq::bigint`,
    [workspaceId, pipelineId, after.toString(), upTo.toString(), limit],
  );
  return { oldest: BigInt(rows[0].oldest as string), rows: rows.filter((r) => r.seq !== null) as unknown as DealEventRow[] };
}
