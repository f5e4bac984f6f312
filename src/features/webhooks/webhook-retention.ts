import type { SqlRunner } from '../../infra/db/sql-runner';

/** How often an instance removes settled attempts that outlived the event log's retention. */
export const PRUNE_EVERY_MS = 60_000;

/** Attempts removed per statement at most: a short transaction, a few row locks. */
const BATCH = 1_000;

/**
 * Removes settled attempts (DELIVERED, FAILED) older than `retentionDays`, the event log's
 * retention: an attempt is kept as long as the event it carried, so the table does not grow
 * without end. Pending attempts are never removed. Each webhook's oldest rows are found through
 * its (webhook_id, at) index. Two instances pruning at once only delete the same rows once.
 */
export async function pruneDeliveries(run: SqlRunner, retentionDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ removed }] = await run(
      `WITH old AS (
         SELECT d.id FROM webhooks w CROSS JOIN LATERAL (
           SELECT id FROM webhook_deliveries d
           WHERE d.webhook_id = w.id AND d.at < now() - $1::float8 * interval '1 second' AND d.status <> 'PENDING'
           ORDER BY d.at LIMIT $2) d
         LIMIT $2),
       gone AS (DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM old) RETURNING 1)
       SELECT count(*)::int AS removed FROM gone`,
      [retentionDays * 86_400, BATCH],
    );
    total += removed as number;
    if ((removed as number) < BATCH) return total;
  }
}
