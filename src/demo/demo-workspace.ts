import { App } from '../app';
import { contextFor } from '../context';
import { signToken } from '../infra/auth/token';
import { LeadSource } from '../features/leads/lead.enums';
import { StageKind } from '../features/pipelines/stage-kind';
import { Role } from '../features/workspaces/role';

export const DEMO_WORKSPACE = 'demo';

const STAGES = [
  { name: 'Lead in', kind: StageKind.OPEN, probability: 0.1, rottingAfterDays: 14 },
  { name: 'Qualified', kind: StageKind.OPEN, probability: 0.25, rottingAfterDays: 14 },
  { name: 'Proposal', kind: StageKind.OPEN, probability: 0.5, rottingAfterDays: 10 },
  { name: 'Negotiation', kind: StageKind.OPEN, probability: 0.75, rottingAfterDays: 7 },
  { name: 'Won', kind: StageKind.WON, probability: 1 },
  { name: 'Lost', kind: StageKind.LOST, probability: 0 },
];

const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Soylent', 'Tyrell', 'Cyberdyne'];
const SOURCES = Object.values(LeadSource);

/** A token of the demo workspace for `role`, signed with the app's secret. */
export function demoToken(app: App, role: Role = Role.ADMIN): string {
  const sub = `demo-${role.toLowerCase()}`;
  return signToken({ sub, wid: DEMO_WORKSPACE, role, name: `Demo ${role.toLowerCase()}` }, app.config.jwtSecret);
}

/** Creates the demo workspace through the services (so every rule applies) unless it has pipelines already. */
export async function ensureDemoWorkspace(app: App): Promise<void> {
  const { services, dataSource } = app;
  const viewer = await services.identity.viewerFor({ sub: 'demo-admin', wid: DEMO_WORKSPACE, role: Role.ADMIN, name: 'Demo admin' });
  const ctx = contextFor({ dataSource, services }, viewer);
  if ((await services.pipelines.list(ctx.db, viewer)).length > 0) return;

  const pipeline = await ctx.write((em) => services.pipelines.create(em, viewer, { name: 'New business', stages: STAGES }));
  const stages = await ctx.loaders.stagesOfPipeline.load(pipeline.id);
  for (const [i, company] of COMPANIES.entries()) {
    const lead = await ctx.write((em) => services.leads.create(em, viewer, {
      name: `${company} buying team`, company, source: SOURCES[i % SOURCES.length], campaign: i % 2 ? 'Spring webinar' : 'Outbound Q1',
    }));
    if (i % 3 === 2) continue;
    const deal = await ctx.write((em) => services.leads.convert(em, viewer, lead.id, {
      pipelineId: pipeline.id, title: `${company} platform deal`, value: 5_000 + i * 2_500,
    }));
    const target = stages[i % stages.length];
    if (target.kind === StageKind.LOST) {
      await ctx.write((em) => services.deals.lose(em, viewer, deal.id, 'Chose a competitor'));
    } else if (target.id !== deal.stageId) {
      await ctx.write((em) => services.deals.move(em, viewer, deal.id, target.id));
    }
  }
}
