import { DataSource } from 'typeorm';

/** The window the wallboard's figures cover by default (PipelineMetrics' range). */
const WINDOW_DAYS = 90;
/** How far a live win's age may lie from the mean sales cycle. */
const CYCLE_TOLERANCE = 0.15;
/** How far a win may take the won value per cycle day (velocity's other parts) from where the demo started. */
const VELOCITY_TOLERANCE = 0.03;

/** The closed deals of the wallboard's window: what its cycle, win rate and velocity are made of. */
export interface WindowFigures { winRate: number | null; won: number; wonValue: number; cycleDays: number }

/**
 * Where six months of history left the wallboard's figures, read when the live demo starts:
 * the live team closes deals so that the figures keep to it instead of drifting (deals won
 * minutes after they were created would shorten the sales cycle and inflate velocity).
 */
export interface DemoPace {
  /** A deal may be won live only at an age (days since created) in this band, around the mean cycle. */
  winAgeDays: { low: number; high: number };
  /** won ÷ (won + lost): the live team wins while the window's rate is at or below it, loses above. */
  winRate: number;
  /** Mean won value ÷ mean cycle: a win may not move it more than VELOCITY_TOLERANCE away. */
  valuePerCycleDay: number;
  /** Open deals when the demo started: new deals keep the board at this size, so velocity keeps its scale. */
  openDeals: number;
}

type Db = Pick<DataSource, 'query'>;

/** The closed deals of the wallboard's window now. */
export async function windowFigures(db: Db, workspaceId: string, pipelineId: string): Promise<WindowFigures> {
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE status = 'WON')::float8 / nullif(count(*), 0) AS win_rate,
       count(*) FILTER (WHERE status = 'WON')::int AS won,
       coalesce(sum(value) FILTER (WHERE status = 'WON'), 0)::float8 AS won_value,
       coalesce(sum(extract(epoch FROM closed_at - created_at) / 86400) FILTER (WHERE status = 'WON'), 0)::float8 AS cycle_days
     FROM deals
     WHERE workspace_id = $1 AND pipeline_id = $2 AND deleted_at IS NULL AND status IN ('WON', 'LOST')
       AND closed_at >= now() - make_interval(days => $3)`,
    [workspaceId, pipelineId, WINDOW_DAYS],
  );
  return { winRate: row.win_rate === null ? null : Number(row.win_rate), won: row.won, wonValue: row.won_value, cycleDays: row.cycle_days };
}

/** The pace of a pipeline as the demo finds it; null when its window has no won deal to take it from. */
export async function readPace(db: Db, workspaceId: string, pipelineId: string): Promise<DemoPace | null> {
  const window = await windowFigures(db, workspaceId, pipelineId);
  if (window.won === 0 || window.winRate === null) return null;
  const [{ open }] = await db.query(
    "SELECT count(*)::int AS open FROM deals WHERE workspace_id = $1 AND pipeline_id = $2 AND status = 'OPEN' AND deleted_at IS NULL",
    [workspaceId, pipelineId],
  );
  const cycle = window.cycleDays / window.won;
  return {
    winAgeDays: { low: cycle * (1 - CYCLE_TOLERANCE), high: cycle * (1 + CYCLE_TOLERANCE) },
    winRate: window.winRate,
    valuePerCycleDay: window.wonValue / window.cycleDays,
    openDeals: open,
  };
}

/**
 * Of the deals that may be won now, the one whose win keeps the window's won value per cycle
 * day nearest where the demo started; none when every one would take it too far.
 */
export function nextToWin<T extends { value: number; ageDays: number }>(candidates: T[], window: WindowFigures, pace: DemoPace): T | undefined {
  const drift = (deal: T) => Math.abs((window.wonValue + deal.value) / (window.cycleDays + deal.ageDays) / pace.valuePerCycleDay - 1);
  const allowed = candidates.filter((deal) => drift(deal) <= VELOCITY_TOLERANCE);
  return allowed.length === 0 ? undefined : allowed.reduce((best, deal) => (drift(deal) < drift(best) ? deal : best));
}
