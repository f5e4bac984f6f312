import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { STALLED_SQL } from '../deals/stalled';

/** Deals marked per statement: short transactions, whatever the backlog. */
const BATCH = 1_000;

/**
 * Marks up to $1 stage visits that have stalled and are not marked yet, and writes each one's
 * STALLED event in the same statement (so in the same transaction, as every event is). The
 * mark's key (the deal) with the visit's `stage_entered_at` makes the event once per visit:
 * a detector that races another for the same visit finds the mark the other committed (ON
 * CONFLICT waits for it) and writes nothing. Locking the deal (skipping one a write holds)
 * means the visit is still the deal's current one when it is marked. The event changes no
 * field of the deal and no version; its `changes` are none.
 */
const MARK_STALLED_SQL = `
WITH candidates AS (
  SELECT d.id, d.workspace_id, d.pipeline_id, d.stage_id, d.stage_entered_at
  FROM deals d
  JOIN stages s ON s.id = d.stage_id
  LEFT JOIN deal_stall_marks m ON m.deal_id = d.id
  WHERE d.deleted_at IS NULL AND ${STALLED_SQL('d', 's')}
    AND m.stage_entered_at IS DISTINCT FROM d.stage_entered_at
  LIMIT $1
  FOR UPDATE OF d SKIP LOCKED
),
marked AS (
  INSERT INTO deal_stall_marks (deal_id, workspace_id, stage_entered_at)
  SELECT id, workspace_id, stage_entered_at FROM candidates
  ON CONFLICT (deal_id) DO UPDATE SET stage_entered_at = EXCLUDED.stage_entered_at
    WHERE deal_stall_marks.stage_entered_at IS DISTINCT FROM EXCLUDED.stage_entered_at
  RETURNING deal_id
)
INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, occurred_at, txid)
SELECT c.workspace_id, c.pipeline_id, c.id, 'STALLED', NULL, c.stage_id, NULL, '{}'::jsonb, now(), pg_current_xact_id()::text::bigint
FROM candidates c JOIN marked ON marked.deal_id = c.id
RETURNING deal_id`;

/**
 * Writes a STALLED event when a deal crosses its stage's rotting threshold, once per stage
 * visit. Every instance runs one (with NATS, only the event relay scans: `upkeepHere`), every
 * `intervalMs` and at once on start (a moment that passed while no instance ran is caught
 * then); the marks make the instances agree, so none needs to be the only one. Found candidates are scanned from the open deals (index
 * deals_open_by_stage), so a tick costs about as much as the stage metrics of every pipeline.
 */
export class StallDetector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly intervalMs: number,
    /** Called after events were committed: wakes the event log's readers. */
    private readonly afterCommit: () => void,
    /** Whether this instance does the deployment's upkeep now. */
    private readonly upkeepHere: () => boolean = () => true,
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    const tick = () => this.upkeepHere() && void this.scan().catch((err) => this.logger.error({ err }, 'looking for stalled deals failed'));
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  /**
   * Marks every stage visit that has stalled and writes its event; returns how many. A scan
   * already running is awaited instead of overlapped.
   */
  scan(): Promise<number> {
    this.running ??= this.markAll().finally(() => { this.running = undefined; });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async markAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: unknown[] = await this.dataSource.query(MARK_STALLED_SQL, [BATCH]);
      total += rows.length;
      if (rows.length > 0) this.afterCommit();
      if (rows.length < BATCH || this.stopped) return total;
    }
  }
}
