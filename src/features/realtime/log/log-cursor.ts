/** What the reading statement saw, besides the rows. */
export interface LogSnapshot {
  /**
   * Whether every suspect of the current gap (the list passed to the read) had ended by the
   * reading statement's snapshot: committed and visible to it, or rolled back.
   */
  suspectsEnded: boolean;
  /** The suspects list this answer is about. */
  suspects?: readonly string[];
}

/**
 * The dispatcher's place in the event log: the last `seq` delivered, advanced only over a
 * prefix that can no longer change.
 *
 * Sequence numbers commit out of order: T1 takes 10, T2 takes 11, T2 commits first. A reader
 * that passes 11 skips 10 for ever. So a missing number stops delivery until it is either
 * seen (committed late) or proven abandoned (rolled back). Its holder already had a
 * transaction id when it drew the number (the ledger writes the deal row before the event),
 * so the holder is among the transactions running when the gap was seen: the suspects.
 * Once every suspect has ended (committed and visible to the read, or rolled back), a number
 * still missing never comes.
 *
 * Why not "deliver rows whose txid is below the snapshot's xmin": xmin is cluster-wide, so
 * one long write transaction anywhere (another database, a bulk import) would stall every
 * delivery; and a transaction that started earlier can draw a later number, so xmin alone
 * does not order rows by seq. Suspects name exactly the transactions that matter.
 */
export class LogCursor {
  private gap?: { seq: bigint; suspects?: readonly string[] };

  constructor(public position: bigint) {}

  /** The rows (read in seq order) that may be delivered now, in order. */
  advance<R extends { seq: string }>(rows: readonly R[], snapshot: LogSnapshot): R[] {
    const deliverable: R[] = [];
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq <= this.position) continue;
      if (seq !== this.position + 1n) {
        const missing = this.position + 1n;
        if (this.gap?.seq !== missing) this.gap = { seq: missing };
        const settled = this.gap.suspects !== undefined && snapshot.suspects === this.gap.suspects && snapshot.suspectsEnded;
        if (!settled) break;
      }
      deliverable.push(row);
      this.position = seq;
      this.gap = undefined;
    }
    return deliverable;
  }

  /** The suspects of the current gap, to be checked by the next read; undefined when none. */
  get suspects(): readonly string[] | undefined {
    return this.gap?.suspects;
  }

  /** True when a gap was found and its suspects must be listed (`setSuspects`). */
  get needsSuspects(): boolean {
    return this.gap !== undefined && this.gap.suspects === undefined;
  }

  /** The transactions that may hold the missing number, listed after the gap was seen. */
  setSuspects(suspects: readonly string[]): void {
    if (this.gap) this.gap.suspects ??= suspects;
  }
}

/**
 * Rows behind a gap wait until the gap's holder ends, and a rollback wakes nobody: a read that
 * held rows back is retried soon (2 ms, doubling up to `maxMs`), not at the next commit or poll.
 */
export class GapRetry {
  private delayMs = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly maxMs: number, private readonly wake: () => void) {}

  /** After each read: whether it left rows held behind a gap. */
  after(held: boolean): void {
    if (!held) {
      this.delayMs = 0;
      return;
    }
    if (this.timer) return;
    this.delayMs = Math.min(Math.max(this.delayMs * 2, 2), this.maxMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, this.delayMs);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
