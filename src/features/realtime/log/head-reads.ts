import type { Logger } from 'pino';
import { SqlRunner } from '../../../infra/db/sql-runner';
import { committedHead } from './event-log';

/**
 * The log's committed head for subscriptions starting on an instance fed from JetStream: one
 * statement serves every caller waiting when it starts (a burst of subscriptions), and a
 * caller arriving during a read waits for the next, so its head is read after it asked.
 */
export class HeadReads {
  private waiters: ((head: bigint | undefined) => void)[] = [];
  private reading = false;

  constructor(private readonly run: SqlRunner, private readonly logger: Logger, private readonly counted?: () => void) {}

  /** The head, or undefined when the read failed. */
  read(): Promise<bigint | undefined> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      if (!this.reading) void this.readForWaiters();
    });
  }

  private async readForWaiters(): Promise<void> {
    this.reading = true;
    while (this.waiters.length > 0) {
      const waiters = this.waiters;
      this.waiters = [];
      this.counted?.();
      const head = await committedHead(this.run).catch((err) => {
        this.logger.warn({ err }, 'reading the event log head failed; the subscription starts where the stream is');
        return undefined;
      });
      for (const waiter of waiters) waiter(head);
    }
    this.reading = false;
  }
}
