import { EntityManager } from 'typeorm';
import { App } from '../app';
import { GoalMetric } from '../features/goals/goal.enums';
import { Role } from '../features/workspaces/role';
import { Viewer } from '../features/workspaces/viewer';
import { Services } from '../services';
import { DEMO_PIPELINES, DEMO_REPS, randomSource } from './demo-data';
import { StoryTargets, writeStory } from './demo-history';
import { DemoPipeline, demoStory } from './demo-story';
import { DEMO_WORKSPACE, demoTokenFor } from './demo-tokens';

export { DEMO_WORKSPACE } from './demo-tokens';

const DAY = 86_400_000;

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
 * report has figures. Pipelines, people and goals are made through the services; the story
 * (demo-story.ts) is written set-based by the write path's own SQL (demo-history.ts). One
 * transaction: all or nothing. Resolves to true when it created the workspace. `workspaceId`
 * lets tests seed one of their own.
 */
export async function ensureDemoWorkspace(app: App, workspaceId: string = DEMO_WORKSPACE): Promise<boolean> {
  const { services, dataSource } = app;
  if (await hasDemoWorkspace(app, workspaceId)) return false;
  const viewer = await services.identity.viewerFor({ sub: 'demo-admin', wid: workspaceId, role: Role.ADMIN, name: 'Ada Admin' });
  // Owners are named by their token's `sub`, as the API does.
  const userIds = new Map<string, string>();
  for (const rep of DEMO_REPS) {
    userIds.set(rep.sub, (await services.identity.viewerFor({ sub: rep.sub, wid: workspaceId, role: Role.REP, name: rep.name })).userId);
  }
  const now = Date.now();
  const story = demoStory(now, randomSource(20_261_126), DEMO_REPS.map((rep) => rep.sub));
  await dataSource.transaction(async (em) => {
    const keys = Object.keys(DEMO_PIPELINES) as DemoPipeline[];
    const stages = {} as StoryTargets['stages'];
    for (const key of keys) {
      const pipeline = await services.pipelines.create(em, viewer, DEMO_PIPELINES[key]);
      stages[key] = await em.query('SELECT id, pipeline_id AS "pipelineId" FROM stages WHERE pipeline_id = $1 ORDER BY position', [pipeline.id]);
    }
    // Set up months before any deal, in this order, so New business lists (and shows on the wallboard) first.
    await em.query(
      `UPDATE pipelines p SET created_at = $2::timestamptz + n * interval '1 day'
       FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, n) WHERE p.id = o.id`,
      [keys.map((key) => stages[key][0].pipelineId), new Date(now - 201 * DAY)],
    );
    await writeStory(em, story, { workspaceId, userIds, stages });
    await setGoals(services, em, viewer, stages.newBusiness[0].pipelineId, stages.renewals[0].pipelineId, [...userIds.keys()]);
  });
  return true;
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
