/** What the reading statement saw of running transactions (`pg_current_snapshot()`). */
export interface LogSnapshot {
  /** Every transaction id below this had ended when the rows were read. */
  xmin: bigint;
}

/**
 * The dispatcher's place in the event log: the last `seq` delivered, advanced only over a
 * prefix that can no longer change.
 *
 * Sequence numbers commit out of order: T1 takes 10, T2 takes 11, T2 commits first. A reader
 * that passes 11 skips 10 for ever. Comparing each row's `txid` with the snapshot's xmin is
 * not enough when rows are delivered in `seq` order, because a transaction that started
 * earlier can take a later number. So a missing number stops delivery until it is either
 * seen (committed late) or proven abandoned (rolled back). Its holder already had a
 * transaction id when it drew the number (the ledger writes the deal row before the event),
 * so an id below the *next* id to be assigned once the gap is seen (the horizon; the
 * snapshot's xmax is not enough, it is only the latest completed id plus one). Once a
 * snapshot's xmin reaches the horizon, the holder has ended, and a number still missing
 * never comes.
 */
export class LogCursor {
  private gap?: { seq: bigint; horizon?: bigint };

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
        if (this.gap.horizon === undefined || snapshot.xmin < this.gap.horizon) break;
      }
      deliverable.push(row);
      this.position = seq;
      this.gap = undefined;
    }
    return deliverable;
  }

  /** True when a gap was found and its horizon must be fetched (`setHorizon`). */
  get needsHorizon(): boolean {
    return this.gap !== undefined && this.gap.horizon === undefined;
  }

  /** The next transaction id, read after the gap was seen. */
  setHorizon(nextXid: bigint): void {
    if (this.gap) this.gap.horizon ??= nextXid;
  }
}
