import type { Logger } from 'pino';
import { EventsExpiredError } from '../../../infra/errors/domain-errors';
import { SqlRunner } from '../../../infra/db/sql-runner';

/** Held (per transaction) by the one instance removing expired events at a time. */
const RETENTION_LOCK = 7216617;

/** Rows looked at, and at most removed, per statement: a short transaction, a few row locks. */
const BATCH = 1_000;

/** How often each instance looks for expired events: they go within this of passing the age. */
export const RETENTION_SWEEP_MS = 5_000;

/**
 * The oldest `seq` the log keeps, as SQL: its first row, or, when retention has emptied it,
 * the seq the next event will draw (a replay after the last one removed is still whole).
 */
export const OLDEST_SEQ_SQL = `coalesce((SELECT min(seq) FROM deal_events),
  (SELECT last_value + CASE WHEN is_called THEN 1 ELSE 0 END FROM deal_events_seq_seq))`;

/**
 * The rule every replay follows (subscriptions, webhooks): replaying after `after` is whole
 * only while no event after it was removed, that is while `after >= oldest - 1`.
 */
export function assertReplayable(after: bigint, oldest: bigint): void {
  if (after < oldest - 1n) throw new EventsExpiredError(oldest);
}

/** The oldest seq the log keeps now. */
export async function oldestSeq(run: SqlRunner): Promise<bigint> {
  const [row] = await run(`SELECT (${OLDEST_SEQ_SQL})::text AS oldest`);
  return BigInt(row.oldest as string);
}

/**
 * Removes the expired prefix of the log: events in seq order up to the first one younger
 * than the retention, so the log never has a hole below its head and "everything after
 * `oldest - 1` is kept" stays true. (An event written by a transaction that began before an
 * older-looking one commits may thus stay a little longer than its age says.) Each statement
 * looks at BATCH rows through the primary key and deletes what expired of them: row locks on
 * those rows only, no table rewrite; autovacuum reclaims the space. The transaction-scoped
 * advisory lock in the same statement lets one instance at a time do it.
 */
const SWEEP_SQL = `
  WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS held),
  head AS (
    SELECT seq, occurred_at < now() - $1::float8 * interval '1 second' AS expired FROM deal_events
    WHERE (SELECT held FROM lock) ORDER BY seq LIMIT $2),
  prefix AS (SELECT seq FROM (SELECT seq, bool_and(expired) OVER (ORDER BY seq) AS all_before FROM head) h WHERE all_before),
  gone AS (DELETE FROM deal_events WHERE seq IN (SELECT seq FROM prefix) RETURNING 1)
  SELECT count(*)::int AS removed FROM gone`;

/** Removes events older than the retention, every RETENTION_SWEEP_MS, on whichever instance gets the lock. */
export class EventRetention {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
  private stopped = false;
  /** Events this instance removed so far. */
  removed = 0;

  constructor(
    private readonly run: SqlRunner,
    private readonly retentionDays: number,
    private readonly logger: Logger,
    /** Whether this instance does the deployment's upkeep now (with NATS, the relay only). */
    private readonly upkeepHere: () => boolean = () => true,
  ) {}

  start(): void {
    const sweep = () => this.upkeepHere() && void this.sweep();
    this.timer = setInterval(sweep, RETENTION_SWEEP_MS);
    this.timer.unref();
    sweep();
  }

  /** One sweep: batches back to back until a batch finds less than a full prefix to remove. */
  sweep(): Promise<number> {
    this.sweeping ??= this.removeExpired().finally(() => { this.sweeping = undefined; });
    return this.sweeping;
  }

  private async removeExpired(): Promise<number> {
    let total = 0;
    try {
      while (!this.stopped) {
        const [{ removed }] = await this.run(SWEEP_SQL, [this.retentionDays * 86_400, BATCH]);
        total += removed as number;
        if ((removed as number) < BATCH) break;
      }
    } catch (err) {
      this.logger.warn({ err }, 'removing expired events failed; retrying at the next sweep');
    }
    this.removed += total;
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
  }
}
