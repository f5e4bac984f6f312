import type { SqlRunner } from '../../infra/db/sql-runner';

/**
 * The webhooks' delivery queues, in SQL. A queue is the webhook's PENDING rows in
 * `webhook_deliveries`, ordered by (`queue_pos`, `attempt`); `queue_pos` comes from one
 * sequence, drawn in `seq` order within a statement, so each webhook's events queue in order.
 */

/** How long a claimed attempt is held: the 10 s timeout and room to record the outcome. */
const CLAIM_SECONDS = 30;

/** The filters of a webhook against an event `e`, as `w`. */
const MATCHES = `w.workspace_id = e.workspace_id
  AND (w.event_types IS NULL OR e.type = ANY(w.event_types))
  AND (w.pipeline_ids IS NULL OR e.pipeline_id = ANY(w.pipeline_ids))`;

/**
 * Queues the events `after < seq <= upTo` (all committed, none still to come: the feed's
 * guard proved it) for each webhook they match and that was active when they happened.
 */
export async function queueEvents(run: SqlRunner, after: bigint, upTo: bigint): Promise<number> {
  const rows = await run(
    `WITH queued AS (
       INSERT INTO webhook_deliveries (webhook_id, delivery_id, seq, queue_pos, attempt)
       SELECT w.id, gen_random_uuid(), e.seq, nextval('webhook_queue_pos'), 1
       FROM deal_events e JOIN webhooks w ON ${MATCHES}
       WHERE e.seq > $1 AND e.seq <= $2 AND e.seq > w.from_seq AND (w.active OR e.seq <= w.until_seq)
       ORDER BY e.seq, w.id
       RETURNING 1)
     SELECT count(*)::int AS n FROM queued`,
    [after.toString(), upTo.toString()],
  );
  return rows[0].n as number;
}

/**
 * Queues again, behind whatever is pending, every event after `after` that matches the
 * webhook, up to where the feed stands (it queues what comes later). Locking the feed row
 * waits for a feed step in progress, so no event falls between the two.
 */
export async function queueReplay(run: SqlRunner, webhookId: string, after: string): Promise<void> {
  await run(
    `WITH feed AS (SELECT coalesce((SELECT position FROM webhook_feed WHERE id = 1 FOR SHARE),
                                   (SELECT max(seq) FROM deal_events), 0) AS position)
     INSERT INTO webhook_deliveries (webhook_id, delivery_id, seq, queue_pos, attempt)
     SELECT w.id, gen_random_uuid(), e.seq, nextval('webhook_queue_pos'), 1
     FROM webhooks w, feed, deal_events e
     WHERE w.id = $1 AND ${MATCHES} AND e.seq > $2 AND e.seq <= feed.position
     ORDER BY e.seq`,
    [webhookId, after],
  );
}

/** Active webhooks whose next attempt is due and unclaimed, longest waiting first, but those in `busy`. */
export async function dueWebhooks(run: SqlRunner, busy: readonly string[], limit: number): Promise<string[]> {
  const rows = await run(
    `SELECT w.id FROM webhooks w
     CROSS JOIN LATERAL (SELECT at, claimed_until FROM webhook_deliveries d
                         WHERE d.webhook_id = w.id AND d.status = 'PENDING' ORDER BY queue_pos, attempt LIMIT 1) head
     WHERE w.active AND head.at <= now() AND (head.claimed_until IS NULL OR head.claimed_until < now())
       AND NOT (w.id = ANY($1::uuid[]))
     ORDER BY head.at LIMIT $2`,
    [busy, limit],
  );
  return rows.map((row) => row.id as string);
}

/** An attempt claimed for sending, with what sending needs. */
export interface ClaimedAttempt {
  id: string;
  webhookId: string;
  deliveryId: string;
  seq: string;
  attempt: number;
  url: string;
  secret: string;
  workspaceId: string;
}

/** How long a claim is held, for the sender to decide whether one more POST fits in it. */
export const CLAIM_MS = CLAIM_SECONDS * 1000;

/**
 * Claims the head of a webhook's queue, if it is due and nobody holds it, together with up to
 * `limit - 1` attempts queued behind it, in queue order. Only the head is locked
 * (`SKIP LOCKED` on it, never on the rows behind it): that keeps two instances from sending
 * one webhook's events side by side, or out of order, and while a sender holds the head the
 * rows behind it stay its own. Rows behind the head are first attempts, due since queued (a
 * retry always takes its event's place at the head). The lease outlives a crashed sender.
 */
export async function claimHeads(run: SqlRunner, webhookId: string, limit: number): Promise<ClaimedAttempt[]> {
  const rows = await run(
    `WITH head AS (SELECT id FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'PENDING'
                   ORDER BY queue_pos, attempt LIMIT 1),
     free AS (SELECT d.id FROM webhook_deliveries d JOIN head USING (id)
              WHERE d.status = 'PENDING' AND d.at <= now() AND (d.claimed_until IS NULL OR d.claimed_until < now())
              FOR UPDATE OF d SKIP LOCKED),
     batch AS (SELECT id FROM webhook_deliveries WHERE EXISTS (SELECT 1 FROM free) AND webhook_id = $1 AND status = 'PENDING'
               ORDER BY queue_pos, attempt LIMIT $2)
     UPDATE webhook_deliveries d SET claimed_until = now() + make_interval(secs => ${CLAIM_SECONDS})
     FROM batch, webhooks w
     WHERE d.id = batch.id AND w.id = d.webhook_id AND w.active
     RETURNING d.id::text, d.webhook_id, d.delivery_id, d.seq::text, d.attempt, w.url, w.secret, w.workspace_id, d.queue_pos`,
    [webhookId, limit],
  );
  return rows
    .sort((a, b) => Number(BigInt(a.queue_pos as string) - BigInt(b.queue_pos as string)))
    .map((row) => ({
      id: row.id as string, webhookId: row.webhook_id as string, deliveryId: row.delivery_id as string,
      seq: row.seq as string, attempt: row.attempt as number, url: row.url as string, secret: row.secret as string,
      workspaceId: row.workspace_id as string,
    }));
}

/** Lets go of claims without an outcome (the instance is stopping, or the lease is running out): they are made again. */
export async function releaseClaims(run: SqlRunner, attemptIds: readonly string[]): Promise<void> {
  if (attemptIds.length === 0) return;
  await run(`UPDATE webhook_deliveries SET claimed_until = NULL WHERE id = ANY($1::bigint[]) AND status = 'PENDING'`, [attemptIds]);
}
