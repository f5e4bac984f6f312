import { print } from 'graphql';
import { DealEventSeqsDocument } from '../generated/graphql';
import { createDeal, createPipeline } from '../factories/pipeline.factory';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { connectionsOf, retainedHeapMb, until } from './memory';
import { rawSocket } from './raw-socket';

const INIT_TIMEOUT_MS = 1_000;
/** Heap growth allowed after everything is closed: 1,000 leaked sockets would be about 15 MB. */
const HEAP_SLACK_MB = 5;
/**
 * How long the server may take to let go of what it holds. A leak never lets go, so a loaded
 * machine (where thousands of sockets take minutes) gets the time without weakening the test.
 */
const SETTLE_MS = 60_000;
const CHURN_TIMEOUT_MS = 600_000;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ WS_INIT_TIMEOUT_MS: String(INIT_TIMEOUT_MS) });
});
afterAll(() => t.stop());

test('1,000 sockets that never send connection_init are all closed with 4408 by the init timeout; memory returns', async () => {
  // Warm-up, as in the test below: the first sockets compile and cache what every later one
  // reuses, which is not retained per socket and must not count as growth.
  const warmUp = Array.from({ length: 100 }, () => rawSocket(t.url));
  await Promise.all(warmUp.map((s) => s.closed));
  await until(async () => (await connectionsOf(t.app.httpServer)) === 0, SETTLE_MS, 'warm-up sockets to be dropped');
  const baseline = await retainedHeapMb();
  const closes: Promise<{ code: number; lateMs: number }>[] = [];
  for (let batch = 0; batch < 10; batch++) {
    const sockets = Array.from({ length: 100 }, () => rawSocket(t.url));
    await Promise.all(sockets.map((s) => s.opened));
    for (const s of sockets) {
      // The server runs in this process: a timer set here now fires when its init timer does,
      // however late a loaded machine runs both. Lateness is counted from this timer.
      const due = new Promise<number>((resolve) => setTimeout(() => resolve(Date.now()), INIT_TIMEOUT_MS));
      const closed = s.closed.then(({ code }) => ({ code, at: Date.now() }));
      closes.push(Promise.all([closed, due]).then(([{ code, at }, dueAt]) => ({ code, lateMs: at - dueAt })));
    }
  }
  const results = await Promise.all(closes);
  expect(results.filter((r) => r.code !== 4408)).toEqual([]);
  // Each closed by its own timer: none waits for a sweep or for the client to give up.
  expect(Math.max(...results.map((r) => r.lateMs))).toBeLessThan(1_000);
  await until(async () => (await connectionsOf(t.app.httpServer)) === 0, SETTLE_MS, 'the server to drop every connection');
  expect(await retainedHeapMb()).toBeLessThan(baseline + HEAP_SLACK_MB);
}, CHURN_TIMEOUT_MS);

test('2,000 connect, subscribe and drop cycles leave no subscriber, socket or memory behind', async () => {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  const pipeline = await createPipeline(t.url, admin, 2);
  await createDeal(t.url, admin, { pipelineId: pipeline.id, title: 'Replayed to every subscriber', value: 1 });
  const query = print(DealEventSeqsDocument);

  /** One cycle: init, subscribe from the start, get the replayed event (so it is registered), drop. */
  const cycle = async () => {
    const socket = rawSocket(t.url);
    await socket.opened;
    socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${admin}` } });
    await socket.next('connection_ack', SETTLE_MS);
    socket.send({ id: 's', type: 'subscribe', payload: { query, variables: { pipelineId: pipeline.id, after: '0' } } });
    await socket.next('next', SETTLE_MS);
    socket.ws.terminate();
    await socket.closed;
  };

  await Promise.all(Array.from({ length: 20 }, () => cycle())); // warm-up: loaders, caches, JIT
  await until(() => t.app.realtime.dispatcher.subscriberCount === 0, SETTLE_MS, 'warm-up subscribers to leave');
  const baseline = await retainedHeapMb();

  for (let round = 0; round < 100; round++) await Promise.all(Array.from({ length: 20 }, () => cycle()));

  await until(() => t.app.realtime.dispatcher.subscriberCount === 0, SETTLE_MS, 'every subscriber to leave the dispatcher');
  await until(async () => (await connectionsOf(t.app.httpServer)) === 0, SETTLE_MS, 'the server to drop every connection');
  expect(await retainedHeapMb()).toBeLessThan(baseline + HEAP_SLACK_MB);
}, CHURN_TIMEOUT_MS);
