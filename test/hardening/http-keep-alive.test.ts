import { Agent, get, IncomingMessage } from 'node:http';
import { startTestApp } from '../helpers/test-app';

/** GET `url` through `agent`: the status, and whether the request went over a connection kept from before. */
function getVia(agent: Agent, url: string): Promise<{ status?: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent }, (response: IncomingMessage) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode, reusedSocket: request.reusedSocket }));
    });
    request.on('error', reject);
  });
}

test('an idle keep-alive connection is still served after 6 s (node closes it after 5 s by default)', async () => {
  const t = await startTestApp();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const health = new URL('/healthz', t.url).toString();
  try {
    expect(await getVia(agent, health)).toEqual({ status: 200, reusedSocket: false });
    // A load balancer keeps its idle connections to the server for up to a minute and reuses them.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await getVia(agent, health)).toEqual({ status: 200, reusedSocket: true });
  } finally {
    agent.destroy();
    await t.stop();
  }
}, 30_000);
