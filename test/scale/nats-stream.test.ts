import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { JetStreamBus } from '../../src/features/realtime/log/jetstream-bus';
import { deleteStream, NATS_URL } from './nats-fixtures';

/**
 * Instances that start together on a database whose stream does not exist yet (a deployment's
 * first start, a scale-out) all race to create it: one does, and every other one must find it
 * made and start, not fail.
 */
test('instances starting together on a new stream all start', async () => {
  // A database no other run names: only its name is read, for the stream's.
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/stream_race_${randomUUID().replace(/-/g, '')}`;
  const logger = pino({ level: 'silent' });
  try {
    const opened = await Promise.allSettled(Array.from({ length: 8 }, () => JetStreamBus.open(NATS_URL, databaseUrl, 30, logger)));
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : undefined)));
    expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
  } finally {
    await deleteStream(databaseUrl);
  }
});
