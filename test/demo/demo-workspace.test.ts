import { ensureDemoWorkspace } from '../../src/demo/demo-workspace';
import { DemoGoalsDocument, DemoLeadSourcesDocument, DemoOverviewDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace } from '../helpers/test-app';
import { appOnItsOwnDatabase } from '../helpers/own-database';

/** The demo a newcomer sees on the first start, seeded here into a workspace of the test's own. On a database of its
 * own: the demo is seeded in one long transaction (see scratchDatabase). */
const own = appOnItsOwnDatabase('demo_workspace');

test('the demo workspace has three pipelines, 300 leads and six months of history, so every health metric has a value', async () => {
  const ws = newWorkspace();
  expect(await ensureDemoWorkspace(own.app.app, ws.id)).toBe(true);
  const token = ws.token('ANALYST');

  const fiveMonthsAgo = new Date(Date.now() - 150 * 86_400_000).toISOString();
  const overview = ok(await gql(own.app.url, token, DemoOverviewDocument, { createdBefore: fiveMonthsAgo }));
  expect(overview.pipelines.map((p) => p.name)).toEqual(['New business', 'Renewals', 'Onboarding']);
  expect(overview.pipelines[0].stages).toEqual([
    { name: 'Lead in', kind: 'OPEN' }, { name: 'Qualified', kind: 'OPEN' }, { name: 'Proposal', kind: 'OPEN' },
    { name: 'Negotiation', kind: 'OPEN' }, { name: 'Won', kind: 'WON' }, { name: 'Lost', kind: 'LOST' },
  ]);
  expect(overview.leads.totalCount).toBe(300);
  expect(overview.oldDeals.totalCount).toBeGreaterThan(0); // history reaches back months, not minutes
  for (const { name, metrics } of overview.pipelines) {
    // Over the default 90 days every pipeline has open, won and lost deals, so no metric is null.
    expect({ name, open: metrics.openDealCount > 0, won: metrics.wonCount > 0, lost: metrics.lostCount > 0 })
      .toEqual({ name, open: true, won: true, lost: true });
    expect([metrics.winRate, metrics.averageDealSize, metrics.averageSalesCycleDays, metrics.velocityPerDay]).not.toContain(null);
    expect(metrics.winRate).toBeGreaterThan(0);
    expect(metrics.winRate).toBeLessThan(1);
  }

  const sources = ok(await gql(own.app.url, token, DemoLeadSourcesDocument, { from: new Date(Date.now() - 365 * 86_400_000).toISOString() })).leadFunnel;
  expect(sources.length).toBeGreaterThanOrEqual(8); // leads come from many sources
  expect(sources.reduce((sum, row) => sum + row.leads, 0)).toBe(300);

  // This quarter's goals (the team's four, one per rep, renewals') all have an actual figure.
  const goals = ok(await gql(own.app.url, token, DemoGoalsDocument)).goalProgress;
  expect(goals.map((g) => g.goal.metric).sort())
    .toEqual(['NEW_DEALS', 'SALES_CYCLE_DAYS', 'WIN_RATE', 'WON_COUNT', 'WON_COUNT', 'WON_COUNT', 'WON_COUNT', 'WON_VALUE']);
  for (const g of goals) expect(g.actual).not.toBeNull();

  // The history is dated in the past and in order: every ledger entry and event moved back,
  // each deal created when it entered its first stage, each change made by the deal's owner.
  const [history] = await sql<Record<string, string>>(
    `SELECT (SELECT count(*) FROM stage_changes WHERE workspace_id = $1 AND changed_at > now() - interval '50 minutes') AS recent_changes,
            (SELECT count(*) FROM deal_events WHERE workspace_id = $1 AND occurred_at > now() - interval '50 minutes') AS recent_events,
            (SELECT count(*) FROM deals d WHERE workspace_id = $1 AND created_at <> (
               SELECT min(changed_at) FROM stage_changes WHERE deal_id = d.id)) AS misdated_deals,
            (SELECT count(*) FROM (
               SELECT to_stage_id, lead(from_stage_id) OVER (PARTITION BY deal_id ORDER BY changed_at) AS next_from
               FROM stage_changes WHERE workspace_id = $1) c
             WHERE c.next_from IS DISTINCT FROM c.to_stage_id AND c.next_from IS NOT NULL) AS out_of_order,
            (SELECT extract(day FROM now() - min(changed_at)) FROM stage_changes WHERE workspace_id = $1) AS oldest_days,
            (SELECT count(DISTINCT actor_id) FROM deal_events WHERE workspace_id = $1 AND type IN ('MOVED', 'WON', 'LOST')) AS movers,
            (SELECT count(*) FROM deal_events e JOIN deals d ON d.id = e.deal_id
             WHERE e.workspace_id = $1 AND e.type <> 'STALLED' AND e.actor_id IS DISTINCT FROM d.owner_id) AS moved_by_others`,
    [ws.id],
    own.url,
  );
  // Each rep works their own deals: the history's changes are made by the team, not by one user.
  expect(history).toMatchObject({ recent_changes: '0', recent_events: '0', misdated_deals: '0', out_of_order: '0', moved_by_others: '0' });
  expect(Number(history.movers)).toBe(3);
  expect(Number(history.oldest_days)).toBeGreaterThan(150);
}, 120_000);

test('a second start leaves an existing demo workspace as it is', async () => {
  const ws = newWorkspace();
  expect(await ensureDemoWorkspace(own.app.app, ws.id)).toBe(true);
  expect(await ensureDemoWorkspace(own.app.app, ws.id)).toBe(false);
  const since = new Date().toISOString();
  const overview = ok(await gql(own.app.url, ws.token('ADMIN'), DemoOverviewDocument, { createdBefore: since }));
  expect(overview.pipelines).toHaveLength(3);
  expect(overview.leads.totalCount).toBe(300);
}, 120_000);
