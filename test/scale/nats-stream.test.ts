import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { ensureStream, JetStreamBus } from '../../src/features/realtime/log/jetstream-bus';
import { deleteStream, NATS_URL } from './nats-fixtures';

/**
 * Instances that start together on a database whose stream does not exist yet (a deployment's
 * first start, a scale-out) all race to make it: one does, and every other one must take the
 * stream made and start, not fail.
 */
const DAY_NS = 86_400 * 1e9;
const unique = () => randomUUID().replace(/-/g, '').slice(0, 16);
let connections: NatsConnection[] = [];
afterEach(async () => {
  await Promise.all(connections.map((nc) => nc.close()));
  connections = [];
});
const manager = async () => {
  const nc = await connect({ servers: NATS_URL.replace(/^nats:\/\//, '') });
  connections.push(nc);
  return jetstreamManager(nc);
};

test('instances starting together on a new stream all start', async () => {
  // A database no other run names: only its name is read, for the stream's.
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/stream_race_${unique()}`;
  const logger = pino({ level: 'silent' });
  try {
    const opened = await Promise.allSettled(Array.from({ length: 8 }, () => JetStreamBus.open(NATS_URL, databaseUrl, 30, logger)));
    await Promise.all(opened.map((o) => (o.status === 'fulfilled' ? o.value.close() : undefined)));
    expect(opened.filter((o) => o.status === 'rejected').map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);
  } finally {
    await deleteStream(databaseUrl);
  }
});

test('one refused because another made the stream meanwhile takes that stream; one refused with none made fails', async () => {
  const [mine, other] = [await manager(), await manager()];
  const name = `RACE_${unique()}`;
  const config = { subjects: [`race.${name}.>`], max_age: 30 * DAY_NS };
  try {
    // Another instance makes the stream (with another retention) after this one found none, before its own request:
    // JetStream refuses that request, the configurations differing.
    const add = mine.streams.add.bind(mine.streams);
    mine.streams.add = async (cfg) => {
      await other.streams.add({ ...cfg, max_age: 7 * DAY_NS });
      return add(cfg);
    };
    await ensureStream(mine, name, config);
    expect((await mine.streams.info(name)).config.max_age).toBe(7 * DAY_NS);

    // A stream of another name holds the subjects: the request is refused and no stream of this name exists.
    await expect(ensureStream(other, `OTHER_${unique()}`, config)).rejects.toThrow(/overlap/);
  } finally {
    await other.streams.delete(name).catch(() => undefined);
  }
});
