import type { Browser, Page } from 'playwright-core';
import { CreatePipelineDocument, LoseDealDocument, SetGoalDocument, WinDealDocument } from '../generated/graphql';
import { signToken } from '../../src/infra/auth/token';
import { Role } from '../../src/features/workspaces/role';
import { createDeal, stagesOf } from '../factories/pipeline.factory';
import { signIn } from '../factories/workspace.factory';
import { sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { describeWithBrowser, launchBrowser, screenshot, waitForText } from './browser';
import { subscriptionsRunning } from './server-gauges';

/**
 * The manager's strip of the wallboard in a real (headless) Chromium: the owners' leaderboard
 * of this quarter, each goal's attainment with its coverage, and why a stalled deal needs
 * attention; a deal won through the API moves the leaderboard without a reload.
 */
describeWithBrowser('wallboard for managers', () => {
  let browser: Browser;
  let page: Page;
  let t: TestApp;

  beforeAll(async () => {
    browser = await launchBrowser();
    t = await startTestApp();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  const texts = (selector: string) => page.$$eval(selector, (items) => items.map((i) => [...i.children].map((c) => c.textContent)));

  test('leaderboard, goals with coverage, and the reasons of stalled deals, live', async () => {
    const ws = newWorkspace();
    const admin = ws.token('ADMIN');
    for (const [sub, name] of [['ada', 'Ada'], ['bob', 'Bob']]) await signIn(t, signToken({ sub, wid: ws.id, role: Role.REP, name }, TEST_JWT_SECRET));
    const pipeline = ok(await gql(t.url, admin, CreatePipelineDocument, { input: { name: 'Board', stages: stagesOf(2, 5) } })).createPipeline;
    const [s1] = pipeline.stages;
    const deal = (title: string, value: number, ownerId: string) => createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: s1.id, title, value, ownerId });
    const win = async (id: string) => ok(await gql(t.url, admin, WinDealDocument, { id }));
    // Ada won 3000 of two closed deals this quarter; Bob has won nothing yet and lost one.
    await win((await deal('Ada one', 1000, 'ada')).id);
    await win((await deal('Ada two', 2000, 'ada')).id);
    const bobs = await deal('Bob pending', 5000, 'bob');
    const lost = await deal('Bob lost', 100, 'bob');
    ok(await gql(t.url, admin, LoseDealDocument, { id: lost.id, reason: 'Price' }));
    // A deal idle for a week in a stage that rots after five days, without close date or next step.
    const idle = await deal('Idle deal', 700, 'bob');
    await sql("UPDATE deals SET stage_entered_at = now() - interval '7 days' WHERE id = $1", [idle.id]);
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString();
    ok(await gql(t.url, admin, SetGoalDocument, {
      input: { metric: 'WON_VALUE', target: 10_000, from: new Date(Date.now() - 86_400_000).toISOString(), to, pipelineId: pipeline.id },
    }));

    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    const base = t.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/wallboard#token=${ws.token('ANALYST')}&pipeline=${pipeline.id}`);

    await waitForText(page, '.leader:first-child .leader-name', 'Ada');
    expect(await texts('.leader')).toEqual([['Ada', '3K', '100% win'], ['Bob', '0', '0% win']]);
    // Won 3000 of 10,000; open pipeline due before the goal's end: none has a close date, so 0× of 1.5× needed (2 won, 1 lost).
    expect(await texts('.goal')).toEqual([['won value (Board)', '30%', 'coverage 0.0× of 1.5× needed']]);
    await waitForText(page, '.deal-stalled .deal-reasons', 'idle too long · no close date · no next step');

    // The page follows changes made after its subscriptions started on the server (deal events, live metrics).
    await subscriptionsRunning(t.url, 2);
    await win(bobs.id);
    await waitForText(page, '.leader:first-child .leader-won', '5K');
    expect(await texts('.leader')).toEqual([['Bob', '5K', '50% win'], ['Ada', '3K', '100% win']]);
    await waitForText(page, '.goal .goal-attainment', '80%');
    await screenshot(page, 'wallboard-manager.png');
  });
});
