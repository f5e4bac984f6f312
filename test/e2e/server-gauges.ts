/**
 * Waits until the app at `graphqlUrl` reports `count` running subscriptions on /metrics: a
 * subscription without `after` only sees changes made after it has started on the server.
 */
export async function subscriptionsRunning(graphqlUrl: string, count: number, timeoutMs = 30_000): Promise<void> {
  const metricsUrl = `${graphqlUrl.replace(/\/graphql$/, '')}/metrics`;
  const wanted = new RegExp(`^dealstream_ws_active_subscriptions ${count}$`, 'm');
  const deadline = Date.now() + timeoutMs;
  while (!wanted.test(await (await fetch(metricsUrl)).text())) {
    if (Date.now() > deadline) throw new Error(`${count} subscriptions did not start within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
