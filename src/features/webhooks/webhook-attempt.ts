import type { SqlRunner } from '../../infra/db/sql-runner';
import { WebhookBody } from './webhook-body';
import { PostOutcome, WebhookHttp } from './webhook-http';
import { ClaimedAttempt, releaseClaims } from './webhook-queue';
import { signatureHeader } from './webhook-signature';
import { WebhookDb } from './webhook-db';

/** Attempts per event: the first and seven retries. */
export const MAX_ATTEMPTS = 8;

/** What became of one attempt, for the metrics. */
export type AttemptResult = 'delivered' | 'retrying' | 'failed';

/** Told of every attempt made: its result, and for a delivery the event's age in seconds. */
export interface DeliveryObserver {
  attempted(result: AttemptResult, ageSeconds?: number): void;
}

/** Wait before retry k (attempt k + 1): base × 2^(k−1). */
export const retryDelayMs = (baseMs: number, attempt: number) => baseMs * 2 ** (attempt - 1);

/**
 * Makes one claimed attempt with its body (read with its batch; none when the event left the
 * log): signs, POSTs, and records the outcome in one statement (the next attempt queued at
 * the head, or the webhook's delivered seq and failing state updated). Stopping mid-way
 * releases the claim instead. Returns what became of it.
 */
export async function makeAttempt(
  db: WebhookDb, http: WebhookHttp, claim: ClaimedAttempt, body: WebhookBody | undefined, retryBaseMs: number,
  signal: AbortSignal, observer?: DeliveryObserver,
): Promise<AttemptResult | 'released'> {
  const startedAt = new Date();
  let outcome: PostOutcome;
  if (body) {
    const raw = JSON.stringify(body);
    outcome = await http.post(claim.url, raw, {
      'dealstream-signature': signatureHeader(claim.secret, raw, startedAt),
      'dealstream-seq': claim.seq,
      'user-agent': 'Dealstream-Webhooks/1',
    }, signal);
  } else {
    const error = 'the event was removed from the log before it could be sent';
    outcome = { delivered: false, httpStatus: null, error, durationMs: 0 };
  }
  if (signal.aborted && !outcome.delivered) {
    await releaseClaims(db.run, [claim.id]);
    return 'released';
  }
  const last = !body || claim.attempt >= MAX_ATTEMPTS;
  const result: AttemptResult = outcome.delivered ? 'delivered' : last ? 'failed' : 'retrying';
  await record(db.run, claim, startedAt, outcome, result, retryBaseMs);
  observer?.attempted(result, body && outcome.delivered ? (Date.now() - Date.parse(body.occurredAt)) / 1000 : undefined);
  return result;
}

/**
 * Settles the attempt and, in the same statement (one transaction, one round trip), queues the
 * next attempt at the head, or updates the webhook's delivered seq and failing state. Nothing
 * happens when another instance settled it after this claim lapsed.
 */
async function record(
  run: SqlRunner, claim: ClaimedAttempt, startedAt: Date, outcome: PostOutcome, result: AttemptResult, retryBaseMs: number,
): Promise<void> {
  await run(
    `WITH settled AS (
       UPDATE webhook_deliveries SET status = $2, http_status = $3, error = $4, duration_ms = $5, at = $6, claimed_until = NULL
       WHERE id = $1 AND status = 'PENDING' RETURNING webhook_id, delivery_id, seq, queue_pos, attempt),
     retry AS (
       INSERT INTO webhook_deliveries (webhook_id, delivery_id, seq, queue_pos, attempt, at)
       SELECT webhook_id, delivery_id, seq, queue_pos, attempt + 1, now() + make_interval(secs => $8::float8 / 1000)
       FROM settled WHERE $7 = 'retrying')
     UPDATE webhooks w SET
       last_delivered_seq = CASE WHEN $7 = 'delivered' THEN s.seq ELSE w.last_delivered_seq END,
       failing_since = CASE WHEN $7 = 'delivered' THEN NULL ELSE coalesce(w.failing_since, now()) END
     FROM settled s WHERE w.id = s.webhook_id AND $7 <> 'retrying'`,
    [claim.id, outcome.delivered ? 'DELIVERED' : 'FAILED', outcome.httpStatus, outcome.error, outcome.durationMs, startedAt,
      result, retryDelayMs(retryBaseMs, claim.attempt)],
  );
}
