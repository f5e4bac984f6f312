import type { Browser } from 'playwright-core';
import { DEMO_WORKSPACE } from '../../src/demo/demo-tokens';
import { verifyToken } from '../../src/infra/auth/token';
import { Role } from '../../src/features/workspaces/role';
import { MoveDealDocument } from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace, startTestApp, TEST_JWT_SECRET, TestApp } from '../helpers/test-app';
import { describeWithBrowser, launchBrowser, screenshot } from './browser';
import { subscriptionsRunning } from './server-gauges';

/** GraphiQL served by the API from local packages: on in development, off in production unless EXPLORER=true. */
const apps: TestApp[] = [];
afterAll(async () => { for (const app of apps) await app.stop(); });
async function start(env: Record<string, string>) {
  const app = await startTestApp(env);
  apps.push(app);
  return app;
}
const asBrowser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('explorer over HTTP', () => {
  test('a browser GET of /graphql gets GraphiQL with the demo token; API GETs still get JSON', async () => {
    const t = await start({ SEED_DEMO: 'true' });
    const page = await fetch(t.url, { headers: asBrowser });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script type="module" src="/assets/explorer.js"></script>');
    // The demo ADMIN token, signed when the app started (so its iat is the app's, not ours).
    const { token } = JSON.parse(/<script id="explorer-config" type="application\/json">(.*?)<\/script>/.exec(html)![1]);
    expect(verifyToken(token, TEST_JWT_SECRET)).toMatchObject({ sub: 'demo-admin', wid: DEMO_WORKSPACE, role: Role.ADMIN });
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing from another host

    const bundle = await fetch(`${t.url.replace(/\/graphql$/, '')}/assets/explorer.js`);
    expect([bundle.status, bundle.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect((await bundle.text()).length).toBeGreaterThan(100_000); // GraphiQL and React, bundled

    const query = await fetch(`${t.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
  }, 60_000);

  test('in production the explorer is off unless EXPLORER=true', async () => {
    const off = await start({ NODE_ENV: 'production' });
    const refused = await fetch(off.url, { headers: asBrowser });
    expect(await refused.text()).not.toContain('explorer.js');
    const on = await start({ NODE_ENV: 'production', EXPLORER: 'true' });
    expect(await (await fetch(on.url, { headers: asBrowser })).text()).toContain('/assets/explorer.js');
  }, 60_000);
});

describeWithBrowser('explorer in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(() => browser?.close());

  test('runs a subscription over graphql-ws and shows the events as they come', async () => {
    const t = await start({});
    const ws = newWorkspace();
    const admin = ws.token('ADMIN');
    const pipeline = await createPipeline(t.url, admin, 2, 'Explored');
    const deal = await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'Explorer deal', value: 700 });

    const context = await browser.newContext({ viewport: { width: 1400, height: 800 } });
    const subscription = `subscription Watch { dealEvents(pipelineId: "${pipeline.id}") { type deal { title } toStage { name } } }`;
    await context.addInitScript(([query, headers]) => {
      const { localStorage } = globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } };
      localStorage.setItem('graphiql:query', query);
      localStorage.setItem('graphiql:headers', headers);
    }, [subscription, JSON.stringify({ Authorization: `Bearer ${ws.token('ANALYST')}` })] as const);
    const page = await context.newPage();
    await page.goto(t.url, { waitUntil: 'networkidle' });
    await page.click('.graphiql-execute-button');
    await subscriptionsRunning(t.url, 1); // the move must come after the subscription started

    ok(await gql(t.url, admin, MoveDealDocument, { id: deal.id, stageId: pipeline.stages[1].id }));
    await page.waitForFunction(() => /"MOVED"[\s\S]*Explorer deal[\s\S]*Stage 2/.test(
      (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } })
        .document.querySelector('.graphiql-response')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await screenshot(page, 'explorer-subscription.png');
    await context.close();
  }, 90_000);
});
