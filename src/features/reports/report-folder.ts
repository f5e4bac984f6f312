import type { Logger } from 'pino';
import { DataSource, EntityManager } from 'typeorm';
import { queryPrepared } from '../../infra/db/prepared';

/** Backlog entries or deltas folded per transaction: short transactions, whatever the backlog. */
const BATCH = 5_000;

/**
 * FOLD-ON-READ. Folds the stage-visit backlog (every change appended since, see
 * StageVisitBacklog and src/features/reports/sql/stage-visits.sql) into the visits; returns
 * how many entries it took. Waits for a fold already running, so what was committed before
 * the call is in the visits when it returns.
 *
 * Note: writes only append to the backlog (cheap, no shared row), so every reader of
 * `stage_visits` must call this first or it reads visits that lag behind the ledger; the
 * background folder below only keeps the backlog short. `batch` null takes all of it.
 */
export async function foldVisitBacklogBeforeReading(em: EntityManager, batch: number | null = null): Promise<number> {
  const [{ taken }] = await queryPrepared<{ taken: number }>(em, 'SELECT stage_visits_catch_up($1::int) AS taken', [batch]);
  return taken;
}

/** Rows the folder deletes from the two queue tables before it vacuums them. */
const VACUUM_AFTER = 20_000;

/**
 * Keeps what the reports read folded, every `intervalMs`: first the stage-visit backlog into
 * the visits, then the stage-tally deltas (see StageTally) into the tallies. Every instance
 * runs one (with NATS, only the event relay's folds: `upkeepHere`); the database lets one fold
 * at a time. The reports are exact whether or not it runs (they catch the visits up and add
 * pending deltas): it only keeps their work small.
 *
 * Both tables are queues: every write appends a row and the fold deletes it. Every fold, and
 * every report read, first asks whether the backlog holds anything, which reads the whole
 * table, dead rows included; so the folder vacuums both itself after every `vacuumAfter`
 * rows it took, rather than leave them to grow where autovacuum is off or lags behind.
 */
export class ReportFolder {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private takenSinceVacuum = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    /** Whether this instance does the deployment's upkeep now. */
    private readonly upkeepHere: () => boolean = () => true,
    private readonly vacuumAfter = VACUUM_AFTER,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (!this.upkeepHere()) return;
      this.running ??= this.fold().then(() => undefined, (err) => this.logger.error({ err }, 'folding report data failed'))
        .finally(() => { this.running = undefined; });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Folds the whole stage-visit backlog, then every pending tally delta, a batch per transaction. */
  async fold(): Promise<void> {
    let taken;
    do {
      taken = await foldVisitBacklogBeforeReading(this.dataSource.manager, BATCH);
      this.takenSinceVacuum += taken;
    } while (taken === BATCH);
    this.takenSinceVacuum += await this.compactTallies();
    if (this.takenSinceVacuum >= this.vacuumAfter) {
      this.takenSinceVacuum = 0;
      // Outside a transaction (VACUUM refuses one); it waits for no writer and blocks none.
      await this.dataSource.query('VACUUM stage_visit_backlog, stage_tally_deltas');
    }
  }

  /** Folds every pending tally delta; returns how many it folded. */
  async compactTallies(): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ folded }] = await this.dataSource.query('SELECT stage_tallies_compact($1) AS folded', [BATCH]);
      total += folded;
      if (folded < BATCH) return total;
    }
  }
}
