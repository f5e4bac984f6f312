import { startDemoActivity } from '../../src/demo/demo-activity';
import { ensureDemoWorkspace } from '../../src/demo/demo-workspace';
import { PipelineMetricsDocument, PipelinesDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { sql } from '../helpers/database';
import { newWorkspace } from '../helpers/test-app';
import { appOnItsOwnDatabase } from '../helpers/own-database';

/**
 * The live demo stays true to its own history: however long it runs, the wallboard's sales
 * cycle, velocity and win rate stay within the range they took month by month over the six
 * months the demo was seeded with, and the moves are made by the team, not by one person.
 */
const DAY = 86_400_000;
const FIGURES = ['averageSalesCycleDays', 'winRate', 'velocityPerDay'] as const;
/** Deal events the demo's team writes before the figures are read again: hours of a live demo. */
const EVENTS = 400;

/** A database of its own: the demo is seeded in one long transaction (see scratchDatabase). */
const own = appOnItsOwnDatabase('demo_drift');

async function eventsSince(workspaceId: string, seq: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM deal_events WHERE workspace_id = $1 AND seq > $2', [workspaceId, seq], own.url);
  return n;
}

test('demo activity keeps sales cycle, velocity and win rate within the ranges of its history, moved by several users', async () => {
  const ws = newWorkspace();
  await ensureDemoWorkspace(own.app.app, ws.id);
  const analyst = ws.token('ANALYST');
  const pipelineId = ok(await gql(own.app.url, analyst, PipelinesDocument)).pipelines.find((p) => p.name === 'New business')!.id;
  const metrics = async (range?: { from: string; to: string }) =>
    ok(await gql(own.app.url, analyst, PipelineMetricsDocument, { pipelineId, range })).pipelineMetrics;

  // Each figure's range over the six months of history, one month at a time.
  const now = Date.now();
  const months: Awaited<ReturnType<typeof metrics>>[] = [];
  for (let k = 0; k < 6; k += 1) {
    months.push(await metrics({ from: new Date(now - (k + 1) * 30 * DAY).toISOString(), to: new Date(now - k * 30 * DAY).toISOString() }));
  }
  const ranges = FIGURES.map((figure) => {
    const values = months.map((m) => m[figure]).filter((v): v is number => v !== null && v !== undefined);
    expect(values.length).toBeGreaterThanOrEqual(4);
    return { figure, low: Math.min(...values), high: Math.max(...values) };
  });

  const [{ seq }] = await sql<{ seq: string }>('SELECT coalesce(max(seq), 0)::text AS seq FROM deal_events', [], own.url);
  const stop = startDemoActivity(own.app.app, { intervalMs: 1, workspaceId: ws.id });
  try {
    while ((await eventsSince(ws.id, seq)) < EVENTS) await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await stop();
  }

  const live = await metrics();
  for (const { figure, low, high } of ranges) {
    const value = live[figure];
    // The figure, its value and the range show together when it fails.
    const within = typeof value === 'number' && value >= low && value <= high;
    expect({ figure, value, low, high, within }).toEqual({ figure, value, low, high, within: true });
  }
  // Moves, wins and losses come from the demo's team: every rep, not one user for all.
  const actors = await sql<{ name: string; moves: number }>(
    `SELECT u.name, count(*)::int AS moves FROM deal_events e JOIN users u ON u.id = e.actor_id
     WHERE e.workspace_id = $1 AND e.seq > $2 AND e.type IN ('MOVED', 'WON', 'LOST') GROUP BY u.name`,
    [ws.id, seq], own.url);
  expect(actors.length).toBeGreaterThanOrEqual(3);
}, 300_000);
