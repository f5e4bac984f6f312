import type { Browser, Page } from 'playwright-core';
import { MoveDealDocument, WinDealDocument } from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { describeWithBrowser, launchBrowser, screenshot, waitForText } from './browser';
import { subscriptionsRunning } from './server-gauges';

/**
 * The wallboard in a real (headless) Chromium: it renders the board from HTTP queries, then
 * follows deal movements over graphql-ws; after the server goes away and comes back, it
 * resubscribes with the last `seq` it saw and replays what it missed.
 */
describeWithBrowser('wallboard page', () => {
  let browser: Browser;
  let page: Page;
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const app = await startTestApp(env);
    apps.push(app);
    return app;
  };

  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => {
    await browser?.close();
    for (const app of apps) await app.stop().catch(() => undefined);
  });

  const count = (stageId: string) => `[data-testid="count-${stageId}"]`;
  const dealsIn = (stageId: string) => page.$$eval(`[data-stage-id="${stageId}"] .deal-title`, (items) => items.map((i) => i.textContent));
  const eventually = async <T>(read: () => Promise<T>, expected: T) => {
    for (let i = 0; i < 100 && JSON.stringify(await read()) !== JSON.stringify(expected); i += 1) await page.waitForTimeout(100);
    expect(await read()).toEqual(expected);
  };
  const tickerItems = () => page.$$eval('#ticker li', (items) => items.map((li) => [...li.children].map((c) => c.textContent).slice(1)));

  test('shows the board, follows a move live, and catches up after a server restart', async () => {
    const first = await start();
    const ws = newWorkspace();
    const admin = ws.token('ADMIN');
    const pipeline = await createPipeline(first.url, admin, 3, 'Wallboard demo');
    const [s1, s2, s3] = pipeline.stages;
    const acme = await createDeal(first.url, admin, { pipelineId: pipeline.id, stageId: s1.id, title: 'Acme rollout', value: 1000 });
    await createDeal(first.url, admin, { pipelineId: pipeline.id, stageId: s1.id, title: 'Globex pilot', value: 2500 });
    const initech = await createDeal(first.url, admin, { pipelineId: pipeline.id, stageId: s2.id, title: 'Initech expansion', value: 4000 });

    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1600, height: 900 } });
    page = await context.newPage();
    const base = first.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/wallboard#token=${ws.token('ANALYST')}&pipeline=${pipeline.id}`);

    // Initial render, from the HTTP queries.
    await waitForText(page, '#pipeline-name', 'Wallboard demo');
    await waitForText(page, count(s1.id), '2');
    await waitForText(page, count(s2.id), '1');
    await waitForText(page, count(s3.id), '0');
    await waitForText(page, '[data-metric="open"] .tile-value', '3 · 7.5K');
    await waitForText(page, '#status', 'live');
    await subscriptionsRunning(first.url, 2); // deal events and live metrics
    expect(await dealsIn(s1.id)).toEqual(['Globex pilot', 'Acme rollout']); // biggest first
    expect(await dealsIn(s2.id)).toEqual(['Initech expansion']);

    // A move through the API shows up without a reload.
    ok(await gql(first.url, admin, MoveDealDocument, { id: acme.id, stageId: s2.id }));
    await waitForText(page, count(s1.id), '1');
    await waitForText(page, count(s2.id), '2');
    await waitForText(page, '#ticker li:first-child .tick-title', 'Acme rollout');
    expect(await tickerItems()).toEqual([['moved', 'Acme rollout', 'Stage 1 → Stage 2', '1K']]);
    await eventually(() => dealsIn(s2.id), ['Initech expansion', 'Acme rollout']);
    expect(await dealsIn(s1.id)).toEqual(['Globex pilot']);
    await screenshot(page, 'wallboard-live.png');

    // The server goes away (sockets closed with 1001); a deal is won meanwhile through another instance.
    const port = new URL(first.url).port;
    await first.stop();
    await waitForText(page, '#status', 'reconnecting…');
    const other = await start();
    ok(await gql(other.url, admin, WinDealDocument, { id: initech.id }));

    // Back on the same port: the page resubscribes with `after` and replays the missed win, once.
    await start({ PORT: port });
    await waitForText(page, '#ticker li:first-child .tick-title', 'Initech expansion', 30_000);
    await waitForText(page, count(s2.id), '1');
    await waitForText(page, '[data-metric="open"] .tile-value', '2 · 3.5K');
    expect(await tickerItems()).toEqual([
      ['won', 'Initech expansion', 'Stage 2 → Won', '4K'],
      ['moved', 'Acme rollout', 'Stage 1 → Stage 2', '1K'],
    ]);
    await screenshot(page, 'wallboard-after-reconnect.png');
    await context.close();
  }, 120_000);

  test('a change committed between the board\'s load and its subscription is shown: events follow the seq read before the load', async () => {
    const app = await start();
    const ws = newWorkspace();
    const admin = ws.token('ADMIN');
    const pipeline = await createPipeline(app.url, admin, 3, 'Between load and subscription');
    const [s1, s2] = pipeline.stages;
    const acme = await createDeal(app.url, admin, { pipelineId: pipeline.id, stageId: s1.id, title: 'Acme rollout', value: 1000 });

    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: { width: 1600, height: 900 } });
    page = await context.newPage();
    // The page's WebSocket is held (its messages kept) until the move below has committed.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let opened!: () => void;
    const socketOpened = new Promise<void>((resolve) => { opened = resolve; });
    await page.routeWebSocket(/\/graphql$/, async (socket) => {
      const held: (string | Buffer)[] = [];
      let server: ReturnType<typeof socket.connectToServer> | undefined;
      socket.onMessage((message) => (server ? server.send(message) : held.push(message)));
      opened();
      await gate;
      server = socket.connectToServer();
      for (const message of held) server.send(message);
    });
    const base = app.url.replace(/\/graphql$/, '');
    await page.goto(`${base}/wallboard#token=${ws.token('ANALYST')}&pipeline=${pipeline.id}`);
    await waitForText(page, count(s1.id), '1');
    await socketOpened;

    ok(await gql(app.url, admin, MoveDealDocument, { id: acme.id, stageId: s2.id }));
    release();

    await waitForText(page, '#ticker li:first-child .tick-title', 'Acme rollout');
    await waitForText(page, count(s2.id), '1');
    expect(await tickerItems()).toEqual([['moved', 'Acme rollout', 'Stage 1 → Stage 2', '1K']]);
    await context.close();
  }, 60_000);
});
