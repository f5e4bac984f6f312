import { EntityManager } from 'typeorm';
import { DealEventRow, EVENT_COLUMNS } from './deal-event.type';
import { LogSnapshot } from './log-cursor';

/** Runs one SQL statement and returns its rows: a dedicated pg client or the app's pool. */
export type SqlRunner = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Rows read in one statement, with the snapshot that statement saw. */
export interface TailRead {
  snapshot: LogSnapshot;
  rows: DealEventRow[];
}

/**
 * The log after `after`, every workspace, in seq order, at most `limit` rows, together with
 * the statement's own snapshot: one statement per dispatcher tick, however many subscribers.
 */
export async function readTail(run: SqlRunner, after: bigint, limit: number): Promise<TailRead> {
  const rows = await run(
    `SELECT pg_snapshot_xmin(s.snap)::text AS snap_xmin, e.*
     FROM (SELECT pg_current_snapshot() AS snap) s
     LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM deal_events WHERE seq > $1 ORDER BY seq LIMIT $2) e ON true
     ORDER BY e.seq`,
    [after.toString(), limit],
  );
  const snapshot = { xmin: BigInt(rows[0].snap_xmin as string) };
  return { snapshot, rows: rows.filter((r) => r.seq !== null) as unknown as DealEventRow[] };
}

/**
 * An id above every transaction id assigned so far. The snapshot's xmax does not do: it is
 * the latest *completed* id plus one, and running transactions may hold higher ids. Taking a
 * fresh id costs a tiny commit, so this runs only when a gap is found, never per event.
 */
export async function nextTransactionId(run: SqlRunner): Promise<bigint> {
  const [row] = await run('SELECT pg_current_xact_id()::text AS xid');
  return BigInt(row.xid as string);
}

async function snapshotNow(run: SqlRunner): Promise<{ xmin: bigint; head: bigint }> {
  const [row] = await run(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, coalesce((SELECT max(seq) FROM deal_events), 0)::text AS head`,
  );
  return { xmin: BigInt(row.xmin as string), head: BigInt(row.head as string) };
}

/**
 * Where a new dispatcher starts: just below every event whose transaction may still have
 * been running when it looked, so that a late commit below the head is not passed over.
 * Waits (briefly, in practice) until those transactions have ended.
 */
export async function startPosition(run: SqlRunner, maxWaitMs = 10_000): Promise<bigint> {
  const first = await snapshotNow(run);
  const horizon = await nextTransactionId(run);
  const deadline = Date.now() + maxWaitMs;
  while ((await snapshotNow(run)).xmin < horizon && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const [row] = await run(
    'SELECT (min(seq) - 1)::text AS position FROM deal_events WHERE seq <= $1 AND txid >= $2',
    [first.head.toString(), first.xmin.toString()],
  );
  return row.position === null ? first.head : BigInt(row.position as string);
}

/**
 * A page of one pipeline's events with `after < seq <= upTo`, in order, for a subscriber
 * that resumes. Rows up to the dispatcher's position are final, so this reads no guard.
 */
export async function readPipelineEvents(
  em: EntityManager, workspaceId: string, pipelineId: string, after: bigint, upTo: bigint, limit: number,
): Promise<DealEventRow[]> {
  return em.query(
    `SELECT ${EVENT_COLUMNS} FROM deal_events
     WHERE workspace_id = $1 AND pipeline_id = $2 AND seq > $3 AND seq <= $4
     ORDER BY seq LIMIT $5`,
    [workspaceId, pipelineId, after.toString(), upTo.toString(), limit],
  );
}
