import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import { JetStreamBus, streamNames } from '../../src/features/realtime/log/jetstream-bus';
import { dropScratchDatabase } from '../helpers/database';
import { deleteStream, NATS_URL, natsDatabase, until } from './nats-fixtures';

/**
 * An instance hands the events it reads from JetStream to its subscribers as soon as the read
 * is parsed, not after the work it had already scheduled (a turn of a fan-out in progress,
 * which waits with setImmediate between turns of 500 subscribers).
 */
jest.setTimeout(60_000);

let url: string;
const logger = pino({ level: 'silent' });
beforeAll(async () => {
  url = await natsDatabase('nats_follow');
}, 180_000);
afterAll(async () => {
  await deleteStream(url);
  await dropScratchDatabase(url);
});

/** Publishes one event on the stream when told, from a thread of its own: it is stored while this thread is busy. */
const PUBLISHER = `
const { parentPort, workerData } = require('node:worker_threads');
const { connect } = require('@nats-io/transport-node');
const { jetstream } = require('@nats-io/jetstream');
(async () => {
  const nc = await connect({ servers: workerData.servers });
  parentPort.postMessage('ready');
  parentPort.once('message', async (row) => {
    await jetstream(nc).publish(workerData.subject, JSON.stringify(row), { msgID: row.seq });
    await nc.close();
    parentPort.close();
  });
})();
`;

test('events read from the stream reach the dispatcher before work the instance scheduled earlier', async () => {
  const bus = await JetStreamBus.open(NATS_URL, url, 30, logger);
  const subject = `${streamNames(url).subjects}.test.pipeline`;
  const row = (seq: string) => ({ seq, workspace_id: 'w', pipeline_id: 'p', deal_id: 'd', type: 'UPDATED', occurred_at: new Date().toISOString() });
  const worker = new Worker(PUBLISHER, { eval: true, workerData: { servers: NATS_URL.replace(/^nats:\/\//, ''), subject } });
  const order: string[] = [];
  try {
    await once(worker, 'message');
    await bus.follow(0, (rows) => order.push(...rows.map((r) => `event ${r.seq}`)), () => undefined, logger);
    // The consumer is up once a first event comes through.
    await bus.publish([row('1') as never]);
    await until(() => order.length === 1, 10_000, 'the first event');

    await new Promise<void>((resolve) => setImmediate(() => {
      // A turn of work that keeps this thread busy while the event is stored and sent here…
      worker.postMessage(row('2'));
      const busyUntil = Date.now() + 500;
      while (Date.now() < busyUntil) { /* busy, as a fan-out turn on a loaded machine */ }
      // …and the next turn, scheduled before the event is read: it comes after the event.
      setImmediate(() => {
        order.push('work scheduled earlier');
        resolve();
      });
    }));
    await until(() => order.length === 3, 10_000, 'the second event');
    expect(order).toEqual(['event 1', 'event 2', 'work scheduled earlier']);
  } finally {
    await worker.terminate();
    await bus.close();
  }
});
