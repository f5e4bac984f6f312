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
    `SELECT pg_snapshot_xmin(s.snap)::text AS snap_xmin, pg_snapshot_xmax(s.snap)::text AS snap_xmax, e.*
     FROM (SELECT pg_current_snapshot() AS snap) s
     LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM deal_events WHERE seq > $1 ORDER BY seq LIMIT $2) e ON true
     ORDER BY e.seq`,
    [after.toString(), limit],
  );
  const snapshot = { xmin: BigInt(rows[0].snap_xmin as string), xmax: BigInt(rows[0].snap_xmax as string) };
  return { snapshot, rows: rows.filter((r) => r.seq !== null) as unknown as DealEventRow[] };
}

async function snapshotNow(run: SqlRunner): Promise<LogSnapshot & { head: bigint }> {
  const [row] = await run(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
            coalesce((SELECT max(seq) FROM deal_events), 0)::text AS head`,
  );
  return { xmin: BigInt(row.xmin as string), xmax: BigInt(row.xmax as string), head: BigInt(row.head as string) };
}

/**
 * Where a new dispatcher starts: just below every event whose transaction may still have
 * been running when it looked, so that a late commit below the head is not passed over.
 * Waits (briefly, in practice) until those transactions have ended.
 */
export async function startPosition(run: SqlRunner, maxWaitMs = 10_000): Promise<bigint> {
  const first = await snapshotNow(run);
  const deadline = Date.now() + maxWaitMs;
  let now = first;
  while (now.xmin < first.xmax && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    now = await snapshotNow(run);
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
