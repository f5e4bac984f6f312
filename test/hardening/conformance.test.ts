import { serverAudits } from 'graphql-http';
import { startTestApp, TestApp } from '../helpers/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

/**
 * The audit is a non-browser client: it sends a header a browser could only send after a
 * CORS preflight, which is what CSRF prevention asks of GETs. Browsers stay protected.
 */
const nonBrowserFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('apollo-require-preflight', 'true');
  return fetch(input, { ...init, headers });
};

test('the GraphQL-over-HTTP audit of graphql-http passes with no error and no warning', async () => {
  const audits = serverAudits({ url: () => t.url, fetchFn: nonBrowserFetch });
  const results = [];
  for (const audit of audits) results.push(await audit.fn());
  const failing = results.filter((r) => r.status !== 'ok').map((r) => `${r.status}: ${r.name}${'reason' in r ? ` (${r.reason})` : ''}`);
  expect(failing).toEqual([]);
  expect(results.length).toBeGreaterThan(30);
});
