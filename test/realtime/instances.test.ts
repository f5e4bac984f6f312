import { DealEventSeqsDocument } from '../generated/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { livePipeline, move, newDeal, sleep, subscribers } from './realtime-fixtures';

let writer: TestApp;
beforeAll(async () => {
  writer = await startTestApp();
});
afterAll(() => writer.stop());

test('a subscriber on one instance receives changes made through another, woken by NOTIFY', async () => {
  // Polling once a minute: only the NOTIFY hint can bring the events in time.
  const reader = await startTestApp({ REALTIME_POLL_MS: '60000' });
  try {
    const { admin, pipeline, stages } = await livePipeline(writer);
    const client = wsClient(reader.url, admin);
    const sub = client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
    await subscribers(reader, 1);

    const deal = await newDeal(writer, admin, pipeline.id);
    await move(writer, admin, deal.id, stages.s2);
    const events = (await sub.waitFor(2, 10_000)).map((m) => m.dealEvents);
    expect(events.map((e) => e.type)).toEqual(['CREATED', 'MOVED']);
    expect(events.every((e) => e.deal.id === deal.id)).toBe(true);
    await client.dispose();
  } finally {
    await reader.stop();
  }
});

test('stopping an instance closes its sockets with 1001 and stops its dispatcher', async () => {
  const doomed = await startTestApp();
  const { admin, pipeline } = await livePipeline(writer);
  const client = wsClient(doomed.url, admin);
  client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id });
  await subscribers(doomed, 1);

  await doomed.stop();
  expect(await client.closed()).toBe(1001);
  const reads = doomed.app.realtime.dispatcher.reads;
  await newDeal(writer, admin, pipeline.id);
  await sleep(600);
  expect(doomed.app.realtime.dispatcher.reads).toBe(reads);
  await client.dispose();
});

test('an instance nobody follows reads no log per commit; its first subscribers still start at the head', async () => {
  // No poll within the test: only a commit or a subscriber could make it read.
  const idle = await startTestApp({ REALTIME_POLL_MS: '60000' });
  try {
    const { admin, pipeline, stages } = await livePipeline(idle);
    const deal = await newDeal(idle, admin, pipeline.id);
    await sleep(100);
    const reads = idle.app.realtime.dispatcher.reads;
    await move(idle, admin, deal.id, stages.s2);
    await move(idle, admin, deal.id, stages.s3);
    await sleep(100);
    expect(idle.app.realtime.dispatcher.reads).toBe(reads);

    // Two first subscribers at once: the second waits for the read the first set off.
    const clients = [wsClient(idle.url, admin), wsClient(idle.url, admin)];
    const subs = clients.map((client) => client.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id }));
    await subscribers(idle, 2);
    expect(idle.app.realtime.dispatcher.reads).toBeGreaterThan(reads); // caught up before they registered
    await move(idle, admin, deal.id, stages.s1);
    for (const sub of subs) {
      const [{ dealEvents }] = await sub.waitFor(1, 10_000);
      expect(dealEvents).toMatchObject({ type: 'MOVED', deal: { id: deal.id } });
    }
    await sleep(300);
    expect(subs.map((sub) => sub.data.length)).toEqual([1, 1]); // nothing from before they subscribed
    for (const client of clients) await client.dispose();
  } finally {
    await idle.stop();
  }
});
