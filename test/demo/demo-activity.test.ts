import { startDemoActivity } from '../../src/demo/demo-activity';
import { ensureDemoWorkspace } from '../../src/demo/demo-workspace';
import { DealEventsDocument, PipelinesDocument } from '../generated/graphql';
import { gql, ok } from '../helpers/graphql';
import { newWorkspace } from '../helpers/test-app';
import { appOnItsOwnDatabase } from '../helpers/own-database';
import { wsClient } from '../helpers/ws-client';
import { subscriptionsRunning } from '../e2e/server-gauges';

/** The demo's team keeps the New business board moving, through the same writes and events as the API. On a database of its
 * own: the demo is seeded in one long transaction (see scratchDatabase). */
const own = appOnItsOwnDatabase('demo_activity');

test('demo activity moves deals live until it is stopped', async () => {
  const ws = newWorkspace();
  await ensureDemoWorkspace(own.app.app, ws.id);
  const analyst = ws.token('ANALYST');
  const newBusiness = ok(await gql(own.app.url, analyst, PipelinesDocument)).pipelines.find((p) => p.name === 'New business')!;
  const live = wsClient(own.app.url, analyst);
  const events = live.subscribe(DealEventsDocument, { pipelineId: newBusiness.id });
  await subscriptionsRunning(own.app.url, 1); // subscribed before the first step

  const stop = startDemoActivity(own.app.app, { intervalMs: 100, workspaceId: ws.id });
  const received = await events.waitFor(3, 40_000);
  await stop();
  // The team creates, moves, wins and loses deals; it never reopens or deletes one.
  for (const { dealEvents } of received) expect(['CREATED', 'UPDATED', 'MOVED', 'WON', 'LOST']).toContain(dealEvents.type);

  await new Promise((resolve) => setTimeout(resolve, 1_000)); // events of the last step still on their way
  const settled = events.data.length;
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  expect(events.data.length).toBe(settled);
  await live.dispose();
}, 120_000);
