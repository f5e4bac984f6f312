import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DealEventRow } from '../../src/features/realtime/log/deal-event.type';
import { EventRelay, PipelineWork } from '../../src/features/realtime/log/event-relay';
import { JetStreamBus, PipelineUpdate } from '../../src/features/realtime/log/jetstream-bus';
import { LogSession } from '../../src/features/realtime/log/log-session';
import { dropScratchDatabase, sql } from '../helpers/database';
import { deleteStream, NATS_URL, natsDatabase, until } from './nats-fixtures';

/**
 * The relay's work after a batch (a pipeline's live metrics, a query that takes hundreds of
 * milliseconds on a busy database) runs beside its log reads: events committed meanwhile are
 * published at once, not after it, and the work's result still follows the batches it reflects.
 */
jest.setTimeout(60_000);

let url: string;
const logger = pino({ level: 'silent' });
beforeAll(async () => {
  url = await natsDatabase('relay_work');
}, 180_000);
afterAll(async () => {
  await deleteStream(url);
  await dropScratchDatabase(url);
});

test('events committed while a batch\'s metrics are computed are published before them; the metrics follow', async () => {
  const workspaceId = `relay-work-${randomUUID()}`;
  const pipelineId = randomUUID();
  await sql('INSERT INTO workspaces (id, name) VALUES ($1, $1)', [workspaceId], url);
  const append = async () => (await sql<{ seq: string }>(
    `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, occurred_at, txid)
     VALUES ($1, $2, $3, 'UPDATED', NULL, $4, NULL, '{}', now(), pg_current_xact_id()::text::bigint) RETURNING seq::text AS seq`,
    [workspaceId, pipelineId, randomUUID(), randomUUID()], url))[0].seq;

  // Each batch's work waits until the test lets it finish.
  const finish: (() => void)[] = [];
  const prepare = async (rows: DealEventRow[]): Promise<PipelineWork[]> => [{
    workspaceId, pipelineId, work: () => new Promise((resolve) => finish.push(() => resolve({ after: rows.at(-1)!.seq }))),
  }];
  const bus = await JetStreamBus.open(NATS_URL, url, 30, logger);
  const session = new LogSession(url, () => undefined, logger);
  const relay = new EventRelay({ run: session.run, databaseUrl: url, bus, logger, pollMs: 60_000, prepare });
  const seen: string[] = [];
  try {
    relay.start();
    await until(async () => relay.leader && (await bus.last()).streamSeq > 0, 20_000, 'the relay marking the stream\'s head');
    await bus.follow((await bus.last()).streamSeq, (rows) => seen.push(...rows.map((r) => `event ${r.seq}`)),
      (update: PipelineUpdate) => seen.push(`metrics after ${(update.work as { after: string }).after}, stored ${update.seq}`), logger);

    const first = await append();
    relay.wake();
    await until(() => seen.length === 1 && finish.length === 1, 10_000, 'the first event');
    const second = await append();
    relay.wake();
    // Before the change the relay waited here for the first batch's work.
    await until(() => seen.length === 2, 10_000, 'the event committed while the first batch\'s metrics were computed');
    expect(seen).toEqual([`event ${first}`, `event ${second}`]);

    // The second batch's work waits for the first's (one at a time per pipeline), then runs too.
    finish.shift()!();
    await until(() => seen.length === 3 && finish.length === 1, 10_000, 'the first metrics, then the second run');
    finish.shift()!();
    await until(() => seen.length === 4, 10_000, 'the second metrics');
    expect(seen).toEqual([
      `event ${first}`, `event ${second}`, `metrics after ${first}, stored ${second}`, `metrics after ${second}, stored ${second}`,
    ]);
  } finally {
    finish.forEach((f) => f());
    await relay.stop();
    await bus.close();
    await session.close();
  }
});
