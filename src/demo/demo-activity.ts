import { App } from '../app';
import { contextFor } from '../context';
import { ActivityType } from '../features/activities/activity.entity';
import { Role } from '../features/workspaces/role';
import { COMPANIES, DEMO_PIPELINES, DEMO_REPS, LOST_REASONS, PRODUCTS, SOURCES } from './demo-data';
import { DemoPace, nextToWin, readPace, windowFigures } from './demo-pace';
import { DEMO_WORKSPACE } from './demo-tokens';

/** How often the demo's sales team does something, by default. */
export const DEMO_ACTIVITY_INTERVAL_MS = 4_000;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/** An open deal of the board and the rep who owns it (and makes its moves). */
interface OpenDeal { id: string; stageId: string; value: number; ageDays: number; sub: string; name: string; role: Role }

/**
 * Keeps the demo workspace's New business board moving, so that a first look at the
 * wallboard shows it live: every few seconds a rep advances one of their deals, logs a call,
 * closes a deal or turns a new lead into a deal. It keeps to the pace of the board's history
 * (see DemoPace), so the sales cycle, velocity and win rate stay what six months made them.
 * Everything goes through the services and commits like a real request (events, metrics,
 * subscriptions). Returns a function that stops it and resolves once a step under way has
 * finished.
 */
export function startDemoActivity(app: App, options: { intervalMs?: number; workspaceId?: string } = {}): () => Promise<void> {
  const { intervalMs = DEMO_ACTIVITY_INTERVAL_MS, workspaceId = DEMO_WORKSPACE } = options;
  const { services, dataSource } = app;
  let board: { pipelineId: string; openStages: string[]; pace: DemoPace } | null = null;

  const asOwner = async (who: { sub: string; name: string; role: Role }) => {
    const viewer = await services.identity.viewerFor({ sub: who.sub, wid: workspaceId, role: who.role, name: who.name });
    return { viewer, ctx: contextFor({ dataSource, services, afterCommit: app.realtime.afterCommit }, viewer) };
  };

  const readBoard = async () => {
    const [pipeline] = await dataSource.query('SELECT id FROM pipelines WHERE workspace_id = $1 AND name = $2 LIMIT 1',
      [workspaceId, DEMO_PIPELINES.newBusiness.name]);
    if (!pipeline) return null;
    const pace = await readPace(dataSource, workspaceId, pipeline.id);
    const stages: { id: string }[] = await dataSource.query(
      "SELECT id FROM stages WHERE pipeline_id = $1 AND kind = 'OPEN' ORDER BY position", [pipeline.id]);
    return pace && { pipelineId: pipeline.id as string, openStages: stages.map((s) => s.id), pace };
  };

  /** A rep's new lead, qualified and turned into a deal at once (a hot inbound lead). */
  const create = async () => {
    const rep = pick(DEMO_REPS);
    const { viewer, ctx } = await asOwner({ ...rep, role: Role.REP });
    const company = pick(COMPANIES);
    const value = Math.round(Math.exp(Math.log(3_000) + Math.random() * Math.log(50)) / 100) * 100;
    await ctx.write(async (em) => {
      const lead = await services.leads.create(em, viewer, { name: `New contact at ${company}`, company, source: pick(SOURCES), ownerId: rep.sub });
      await services.leads.convert(em, viewer, lead.id, { pipelineId: board!.pipelineId, title: `${company} ${pick(PRODUCTS)}`, value });
    });
  };

  /** Advances a deal one stage, or wins it from the last open stage. */
  const advance = async (deal: OpenDeal) => {
    const { viewer, ctx } = await asOwner(deal);
    const at = board!.openStages.indexOf(deal.stageId);
    await ctx.write((em) => (at === board!.openStages.length - 1
      ? services.deals.win(em, viewer, deal.id)
      : services.deals.move(em, viewer, deal.id, board!.openStages[at + 1])));
  };

  /**
   * Closes a deal when the pace allows: a loss while the window's win rate is above the
   * history's; otherwise a deal as old as the history's deals are when won (the one that keeps
   * velocity nearest the history's) goes one step towards winning. False when nothing may close now.
   */
  const close = async (open: OpenDeal[]): Promise<boolean> => {
    const { pace, pipelineId } = board!;
    const ripe = open.filter((d) => d.ageDays >= pace.winAgeDays.low && d.ageDays <= pace.winAgeDays.high);
    const window = await windowFigures(dataSource, workspaceId, pipelineId);
    if (window.winRate !== null && window.winRate > pace.winRate) {
      // The deals that could be won are kept for winning.
      const others = open.filter((d) => !ripe.includes(d));
      const deal = pick(others.length > 0 ? others : open);
      const { viewer, ctx } = await asOwner(deal);
      await ctx.write((em) => services.deals.lose(em, viewer, deal.id, pick(LOST_REASONS)));
      return true;
    }
    const deal = nextToWin(ripe, window, pace);
    if (!deal) return false;
    await advance(deal);
    return true;
  };

  const step = async () => {
    board ??= await readBoard();
    if (!board) return;
    const open: OpenDeal[] = await dataSource.query(
      `SELECT d.id, d.stage_id AS "stageId", d.value::float8 AS value, extract(epoch FROM now() - d.created_at)::float8 / 86400 AS "ageDays",
         u.external_id AS sub, u.name, u.role
       FROM deals d JOIN users u ON u.id = d.owner_id
       WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.status = 'OPEN' AND d.deleted_at IS NULL`,
      [workspaceId, board.pipelineId],
    );
    if (open.length < board.pace.openDeals || open.length === 0) return create();
    const roll = Math.random();
    if (roll < 0.3 && (await close(open))) return;
    // A move never wins: a deal reaches the last open stage and waits there until it is of the age deals are won at.
    const lastStage = board.openStages.at(-1);
    const movable = open.filter((d) => d.stageId !== lastStage);
    if (roll < 0.8 && movable.length > 0) return advance(pick(movable));
    const deal = pick(open);
    const { viewer, ctx } = await asOwner(deal);
    await ctx.write((em) => services.activities.log(em, viewer, { type: pick([ActivityType.CALL, ActivityType.EMAIL]), subject: 'Follow-up', dealId: deal.id, doneAt: new Date() }));
  };

  let current: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (current) return;
    current = step()
      .catch((err) => app.logger.warn({ err }, 'demo activity step failed'))
      .finally(() => { current = undefined; });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
