import { App } from '../app';
import { contextFor } from '../context';
import { Role } from '../features/workspaces/role';
import { COMPANIES, DEMO_PIPELINES, DEMO_REPS, LOST_REASONS, PRODUCTS, SOURCES } from './demo-data';
import { DEMO_WORKSPACE } from './demo-tokens';

/** How often the demo's sales team does something, by default. */
export const DEMO_ACTIVITY_INTERVAL_MS = 4_000;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

/**
 * Keeps the demo workspace's New business board moving, so that a first look at the
 * wallboard shows it live: every few seconds a deal advances, is won or lost, or a new lead
 * turns into a deal. Everything goes through the services and commits like a real request
 * (events, metrics, subscriptions). Returns a function that stops it and resolves once a
 * step under way has finished.
 */
export function startDemoActivity(app: App, options: { intervalMs?: number; workspaceId?: string } = {}): () => Promise<void> {
  const { intervalMs = DEMO_ACTIVITY_INTERVAL_MS, workspaceId = DEMO_WORKSPACE } = options;
  const { services, dataSource } = app;
  let current: Promise<void> | undefined;
  const step = async () => {
    const viewer = await services.identity.viewerFor({ sub: 'demo-manager', wid: workspaceId, role: Role.MANAGER, name: 'Morgan Manager' });
    const ctx = contextFor({ dataSource, services, afterCommit: app.realtime.afterCommit }, viewer);
    const [pipeline] = await dataSource.query('SELECT id FROM pipelines WHERE workspace_id = $1 AND name = $2 LIMIT 1',
      [workspaceId, DEMO_PIPELINES.newBusiness.name]);
    if (!pipeline) return;
    const open: { id: string; stageId: string }[] = await dataSource.query(
      `SELECT d.id, d.stage_id AS "stageId" FROM deals d
       WHERE d.workspace_id = $1 AND d.pipeline_id = $2 AND d.status = 'OPEN' AND d.deleted_at IS NULL`,
      [workspaceId, pipeline.id],
    );
    if (open.length < 12 || Math.random() < 0.25) {
      const company = pick(COMPANIES);
      await ctx.write(async (em) => {
        const lead = await services.leads.create(em, viewer, { name: `New contact at ${company}`, company, source: pick(SOURCES), ownerId: pick(DEMO_REPS).sub });
        await services.leads.convert(em, viewer, lead.id, { pipelineId: pipeline.id, title: `${company} ${pick(PRODUCTS)}`, value: 1_000 * (3 + Math.floor(Math.random() * 60)) });
      });
      return;
    }
    const deal = pick(open);
    const stages: { id: string; kind: string }[] = await dataSource.query(
      "SELECT id, kind FROM stages WHERE pipeline_id = $1 AND kind = 'OPEN' ORDER BY position", [pipeline.id]);
    const at = stages.findIndex((s) => s.id === deal.stageId);
    const roll = Math.random();
    await ctx.write(async (em) => {
      if (roll < 0.15) return services.deals.lose(em, viewer, deal.id, pick(LOST_REASONS));
      if (at === stages.length - 1) return services.deals.win(em, viewer, deal.id);
      return services.deals.move(em, viewer, deal.id, stages[at + 1].id);
    });
  };
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
