/** What the reading statement saw of running transactions (`pg_current_snapshot()`). */
export interface LogSnapshot {
  /** Every transaction id below this had ended when the rows were read. */
  xmin: bigint;
  /** Every transaction id from this on had not started. */
  xmax: bigint;
}

/**
 * The dispatcher's place in the event log: the last `seq` delivered, advanced only over a
 * prefix that can no longer change.
 *
 * Sequence numbers commit out of order: T1 takes 10, T2 takes 11, T2 commits first. A reader
 * that passes 11 skips 10 for ever. Comparing each row's `txid` with the snapshot's xmin is
 * not enough when rows are delivered in `seq` order, because a transaction that started
 * earlier can take a later number. So a missing number stops delivery until it is either
 * seen (committed late) or proven abandoned (rolled back): its holder already had an id when
 * it drew the number (the ledger writes the deal row before the event), hence an id below
 * the xmax of the snapshot in which the gap was first seen; once a snapshot's xmin reaches
 * that xmax, the holder has ended, and a number still missing never comes.
 */
export class LogCursor {
  private gap?: { seq: bigint; until: bigint };

  constructor(public position: bigint) {}

  /** The rows (read in seq order, all above `position`) that may be delivered now, in order. */
  advance<R extends { seq: string }>(rows: readonly R[], snapshot: LogSnapshot): R[] {
    const deliverable: R[] = [];
    for (const row of rows) {
      const seq = BigInt(row.seq);
      if (seq <= this.position) continue;
      if (seq !== this.position + 1n) {
        const missing = this.position + 1n;
        if (this.gap?.seq !== missing) this.gap = { seq: missing, until: snapshot.xmax };
        if (snapshot.xmin < this.gap.until) break;
      }
      deliverable.push(row);
      this.position = seq;
      this.gap = undefined;
    }
    return deliverable;
  }

  /** True while a missing number holds delivery back. */
  get waiting(): boolean {
    return this.gap !== undefined;
  }
}
