import { EntityManager } from 'typeorm';
import { App } from '../app';
import { GoalMetric } from '../features/goals/goal.enums';
import { LeadStatus } from '../features/leads/lead.enums';
import { Role } from '../features/workspaces/role';
import { Viewer } from '../features/workspaces/viewer';
import { Services } from '../services';
import { CAMPAIGNS, COMPANIES, DEMO_PIPELINES, DEMO_REPS, FIRST_NAMES, PRODUCTS, randomSource, SOURCES } from './demo-data';
import { DemoHistory } from './demo-history';
import { DEMO_WORKSPACE, demoTokenFor } from './demo-tokens';

export { DEMO_WORKSPACE } from './demo-tokens';

/** How many leads the demo starts with. */
export const DEMO_LEADS = 300;

/** A token of the demo workspace for `role`, signed with the app's secret. */
export function demoToken(app: App, role: Role = Role.ADMIN): string {
  return demoTokenFor(app.config.jwtSecret, role);
}

/** Whether the demo workspace exists already (it has pipelines). */
export async function hasDemoWorkspace(app: App, workspaceId: string = DEMO_WORKSPACE): Promise<boolean> {
  const rows = await app.dataSource.query('SELECT 1 FROM pipelines WHERE workspace_id = $1 LIMIT 1', [workspaceId]);
  return rows.length > 0;
}

/**
 * Creates the demo workspace unless it has pipelines already: three pipelines, a few hundred
 * leads across sources and campaigns, and deals with six months of history, so that every
 * report has figures. Written through the services in one transaction (all or nothing).
 * Resolves to true when it created the workspace. `workspaceId` lets tests seed one of their own.
 */
export async function ensureDemoWorkspace(app: App, workspaceId: string = DEMO_WORKSPACE): Promise<boolean> {
  const { services, dataSource } = app;
  if (await hasDemoWorkspace(app, workspaceId)) return false;
  const viewer = await services.identity.viewerFor({ sub: 'demo-admin', wid: workspaceId, role: Role.ADMIN, name: 'Ada Admin' });
  // Owners are named by their token's `sub`, as the API does.
  const owners = DEMO_REPS.map((rep) => rep.sub);
  for (const rep of DEMO_REPS) await services.identity.viewerFor({ sub: rep.sub, wid: workspaceId, role: Role.REP, name: rep.name });
  await dataSource.transaction(async (em) => {
    const history = await DemoHistory.begin(em, services, viewer, randomSource(20_261_126));
    await seed(history, em, services, viewer, owners);
  });
  return true;
}

async function seed(h: DemoHistory, em: EntityManager, services: Services, viewer: Viewer, owners: string[]): Promise<void> {
  const { rng } = h;
  const create = (def: typeof DEMO_PIPELINES.newBusiness) => services.pipelines.create(em, viewer, def);
  const newBusiness = await create(DEMO_PIPELINES.newBusiness);
  const renewals = await create(DEMO_PIPELINES.renewals);
  const onboarding = await create(DEMO_PIPELINES.onboarding);
  // Set up before any deal, in this order, so New business lists (and shows on the wallboard) first.
  for (const [i, pipeline] of [newBusiness, renewals, onboarding].entries()) await h.datePipeline(pipeline.id, h.ago(200 - i));
  // One after another: the transaction is one connection, which runs one statement at a time.
  const nbStages = await h.stagesOf(newBusiness.id);
  const renewalStages = await h.stagesOf(renewals.id);
  const onboardingStages = await h.stagesOf(onboarding.id);
  const value = (min: number, max: number) => Math.round(Math.exp(rng.between(Math.log(min), Math.log(max))) / 100) * 100;
  const won: { company: string; at: number; owner: string }[] = [];

  for (let i = 0; i < DEMO_LEADS; i += 1) {
    const company = COMPANIES[i % COMPANIES.length];
    const first = rng.pick(FIRST_NAMES);
    const owner = rng.pick(owners);
    const created = h.ago(rng.between(0.1, 182));
    const lead = await services.leads.create(em, viewer, {
      name: `${first} at ${company}`, company, email: `${first.toLowerCase()}.${i}@${company.toLowerCase().replace(/\W+/g, '')}.example`,
      source: rng.pick(SOURCES), campaign: rng.pick(CAMPAIGNS), score: rng.int(5, 98), ownerId: owner,
    });
    const fate = rng.next();
    const mql = h.plusDays(created, 1, 6);
    const sql = h.plusDays(mql, 1, 8);
    const converted = h.plusDays(sql, 0.5, 4);
    if (fate < 0.15 || mql > h.latest) {
      await h.dateLead(lead.id, created);
    } else if (fate < 0.3) {
      await services.leads.qualify(em, viewer, lead.id, fate < 0.22 ? LeadStatus.NURTURING : LeadStatus.DISQUALIFIED);
      await h.dateLead(lead.id, created);
    } else if (fate < 0.42 || sql > h.latest) {
      await services.leads.qualify(em, viewer, lead.id, LeadStatus.MQL);
      await h.dateLead(lead.id, created, mql);
    } else if (fate < 0.55 || converted > h.latest) {
      await services.leads.qualify(em, viewer, lead.id, LeadStatus.MQL);
      await services.leads.qualify(em, viewer, lead.id, LeadStatus.SQL);
      await h.dateLead(lead.id, created, mql, sql);
    } else {
      await services.leads.qualify(em, viewer, lead.id, LeadStatus.MQL);
      await services.leads.qualify(em, viewer, lead.id, LeadStatus.SQL);
      const deal = await services.leads.convert(em, viewer, lead.id, {
        pipelineId: newBusiness.id, title: `${company} ${rng.pick(PRODUCTS)}`, value: value(3_000, 150_000), ownerId: owner,
        expectedCloseDate: new Date(h.plusDays(h.now, 5, 120)),
      });
      await h.dateLead(lead.id, created, mql, sql, converted);
      const end = await h.walk(deal.id, converted, nbStages, (_step, last) => (last ? 0.35 : 0.16));
      if (end.status === 'WON') won.push({ company, at: end.at, owner });
    }
  }

  for (let i = 0; i < 40; i += 1) {
    const company = COMPANIES[(i * 7) % COMPANIES.length];
    const owner = rng.pick(owners);
    const deal = await services.deals.create(em, viewer, {
      pipelineId: renewals.id, title: `${company} annual renewal`, value: value(5_000, 90_000), ownerId: owner,
      expectedCloseDate: new Date(h.plusDays(h.now, 10, 150)),
    });
    await h.walk(deal.id, h.ago(rng.between(0.5, 170)), renewalStages, () => 0.1);
  }

  await setGoals(services, em, viewer, newBusiness.id, renewals.id, owners);

  for (const sale of won) {
    const start = h.plusDays(sale.at, 0.5, 3);
    if (start > h.latest || !rng.chance(0.8)) continue;
    const deal = await services.deals.create(em, viewer, {
      pipelineId: onboarding.id, title: `Onboard ${sale.company}`, value: value(1_000, 12_000), ownerId: sale.owner,
    });
    await h.walk(deal.id, start, onboardingStages, () => 0.05);
  }
}

/** This quarter's goals, so goalProgress has something to say: the team's, each rep's, and renewals'. */
async function setGoals(services: Services, em: EntityManager, viewer: Viewer, newBusinessId: string, renewalsId: string, owners: string[]) {
  const now = new Date();
  const quarter = Math.floor(now.getUTCMonth() / 3) * 3;
  const from = new Date(Date.UTC(now.getUTCFullYear(), quarter, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), quarter + 3, 1));
  const goal = (metric: GoalMetric, target: number, pipelineId: string, ownerId?: string) =>
    services.goals.set(em, viewer, { metric, target, from, to, pipelineId, ownerId });
  await goal(GoalMetric.WON_VALUE, 900_000, newBusinessId);
  await goal(GoalMetric.WIN_RATE, 0.4, newBusinessId);
  await goal(GoalMetric.SALES_CYCLE_DAYS, 45, newBusinessId);
  await goal(GoalMetric.NEW_DEALS, 60, newBusinessId);
  for (const owner of owners) await goal(GoalMetric.WON_COUNT, 6, newBusinessId, owner);
  await goal(GoalMetric.WON_COUNT, 15, renewalsId);
}
