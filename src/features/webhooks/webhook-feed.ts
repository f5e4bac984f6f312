import { readTail, runningTransactions, startPosition } from '../realtime/log/event-log';
import { LogCursor } from '../realtime/log/log-cursor';
import { WebhookDb } from './webhook-db';
import { queueEvents } from './webhook-queue';

/** Events read from the log per step. */
const BATCH = 1_000;

/** What one feed step did. */
export interface FeedStep {
  /** Attempts queued. */
  queued: number;
  /** The step read a full batch: more may be waiting. */
  more: boolean;
}

/**
 * Moves committed events from the log into the webhooks' queues, one instance at a time (the
 * one that locks the feed row), with the realtime dispatcher's guard: LogCursor advances only
 * over a prefix of the log that can no longer change, so a seq that commits late is queued,
 * never passed over. The position is saved with the queued rows, in one transaction.
 */
export class WebhookFeed {
  private cursor?: LogCursor;

  constructor(private readonly db: WebhookDb) {}

  /** Creates the feed row on the first start ever, at the log's head: earlier events precede every webhook. */
  async init(): Promise<void> {
    const [exists] = await this.db.run('SELECT 1 FROM webhook_feed WHERE id = 1');
    if (exists) return;
    const position = await startPosition(this.db.run);
    await this.db.run('INSERT INTO webhook_feed (id, position) VALUES (1, $1) ON CONFLICT DO NOTHING',
      [position.toString()]);
  }

  /** One step; nothing when another instance is feeding right now. */
  step(): Promise<FeedStep> {
    return this.db.transaction(async (run) => {
      const [feed] = await run('SELECT position::text AS position FROM webhook_feed WHERE id = 1 FOR UPDATE SKIP LOCKED');
      if (!feed) return { queued: 0, more: false };
      const position = BigInt(feed.position as string);
      // Another instance fed meanwhile (or a step of ours rolled back): start from what was saved.
      if (this.cursor?.position !== position) this.cursor = new LogCursor(position);
      const cursor = this.cursor;
      const read = await readTail(run, position, BATCH, cursor.suspects);
      cursor.advance(read.rows, read.snapshot);
      if (cursor.needsSuspects) cursor.setSuspects(await runningTransactions(run));
      if (cursor.position === position) return { queued: 0, more: false };
      const queued = await queueEvents(run, position, cursor.position);
      await run('UPDATE webhook_feed SET position = $1 WHERE id = 1', [cursor.position.toString()]);
      return { queued, more: read.rows.length === BATCH };
    });
  }
}
