import type { Logger } from 'pino';
import { DataSource } from 'typeorm';

/** Deltas folded per transaction: short transactions, whatever the backlog. */
const BATCH = 5_000;

/**
 * Folds the stage-tally deltas that writes append (see StageTally) into the tallies, every
 * `intervalMs`, so that PipelineMetrics reads a few hundred tally rows and only a handful of
 * pending deltas. Every instance runs one; the database lets one fold at a time and the
 * others skip their turn. The sums are exact whether or not it runs: it only keeps the
 * deltas few.
 */
export class TallyCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly dataSource: DataSource, private readonly logger: Logger, private readonly intervalMs: number) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.compact().then(() => undefined, (err) => this.logger.error({ err }, 'folding stage tallies failed'))
        .finally(() => { this.running = undefined; });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Folds every pending delta, a batch per transaction; returns how many it folded. */
  async compact(): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ folded }] = await this.dataSource.query('SELECT stage_tallies_compact($1) AS folded', [BATCH]);
      total += folded;
      if (folded < BATCH) return total;
    }
  }
}
