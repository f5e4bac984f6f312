import { createHash, randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream, JetStreamClient, JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { ConsumerMessages, StreamConfig } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { DealEventRow } from './deal-event.type';
import { JetStreamReplay } from './jetstream-replay';
import { Watching } from './watched-pipelines';

/** What the relay worked out for one pipeline after a batch of events (its live metrics), as the stream carries it. */
export interface PipelineUpdate {
  workspace_id: string;
  pipeline_id: string;
  /** The last event stored before it, and its time: the stream's seqs only grow. */
  seq: string;
  occurred_at: Date | string;
  /** The work (subscriptions/relayed-work.ts); absent when it could not be done. */
  work?: unknown;
}

/** How long JetStream refuses a second publish of the same seq (`Nats-Msg-Id`): longer than any takeover. */
const DUPLICATE_WINDOW_NS = 2 * 60 * 1e9;

/** The stream and subject names of one database's events: deployments on other databases may share the server. */
export function streamNames(databaseUrl: string): { stream: string; subjects: string } {
  const url = new URL(databaseUrl);
  const key = createHash('sha256').update(`${url.hostname}:${url.port || 5432}/${url.pathname.slice(1)}`).digest('hex').slice(0, 16);
  return { stream: `DEALSTREAM_EVENTS_${key}`, subjects: `dealstream.${key}.events` };
}

/**
 * Makes the stream `name` unless it exists. Instances starting together race to make it, and
 * JetStream may refuse all but one ("subjects overlap with an existing stream", or another
 * configuration): a refused instance takes the stream another one made, and fails only when
 * there is none.
 */
export async function ensureStream(jsm: JetStreamManager, name: string, config: Partial<StreamConfig>): Promise<void> {
  if (await jsm.streams.info(name).then(() => true, () => false)) return;
  await jsm.streams.add({ ...config, name }).catch(async (err) => {
    if (!(await jsm.streams.info(name).then(() => true, () => false))) throw err;
  });
}

/** Workspace ids are any string; a subject token may not hold `.`, `*`, `>` or spaces. */
const workspaceToken = (workspaceId: string) => createHash('sha256').update(workspaceId).digest('hex').slice(0, 20);

/**
 * The event log's copy in NATS JetStream: one stream per database, one subject per workspace
 * and pipeline, each message one event (the row as JSON, with the relay's work for it) with `Nats-Msg-Id` = its seq, so a
 * second relay publishing the same event (a takeover) is dropped by the stream. The stream
 * keeps events as long as the log does. Connections reconnect for ever: while NATS is away
 * the relay waits and delivery pauses; nothing is lost.
 */
export class JetStreamBus {
  private followers: ConsumerMessages[] = [];
  /** Names this instance's hints, so that it does not wake for its own. */
  private readonly instance = randomUUID();
  private closed = false;
  /** Replays one pipeline's events from the stream, where it holds them. */
  readonly replay: JetStreamReplay;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    private readonly subjects: string,
    retentionDays: number,
    /** Outside the stream's subjects: announcements are not events, and only the latest matter. */
    private readonly watchingSubject = subjects.replace(/\.events$/, '.watching'),
    /** Outside the stream too: a hint only says "read the log now", and a lost one waits for the relay's poll. */
    private readonly logGrewSubject = subjects.replace(/\.events$/, '.log-grew'),
  ) {
    this.replay = new JetStreamReplay(js, jsm, stream, (workspaceId, pipelineId) => this.subjectOf(workspaceId, pipelineId), retentionDays);
  }

  /** The subject of one workspace's pipeline. */
  private subjectOf(workspaceId: string, pipelineId: string): string {
    return `${this.subjects}.${workspaceToken(workspaceId)}.${pipelineId}`;
  }

  static async open(natsUrl: string, databaseUrl: string, retentionDays: number, logger: Logger): Promise<JetStreamBus> {
    const { stream, subjects } = streamNames(databaseUrl);
    const nc = await connect({
      servers: natsUrl.split(',').map((s) => s.trim().replace(/^nats:\/\//, '')),
      name: 'dealstream', reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 500, waitOnFirstConnect: true,
    });
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect' || status.type === 'reconnect') logger.warn({ nats: status.type }, `NATS ${status.type}`);
      }
    })();
    const jsm = await jetstreamManager(nc);
    const maxAge = Math.round(retentionDays * 86_400 * 1e9);
    // JetStream refuses a duplicate window longer than the stream keeps messages (a retention of seconds).
    const config = { subjects: [`${subjects}.>`], max_age: maxAge, duplicate_window: Math.min(DUPLICATE_WINDOW_NS, maxAge) };
    await ensureStream(jsm, stream, config);
    return new JetStreamBus(nc, jetstream(nc), jsm, stream, subjects, retentionDays);
  }

  /**
   * Tells the relay what this instance's subscribers watch. Plain NATS, not the stream: a lost
   * announcement is repeated by the next one, and the relay's work is only a shortcut.
   */
  announce(watching: Watching): void {
    if (!this.closed && !this.nc.isClosed()) this.nc.publish(this.watchingSubject, JSON.stringify(watching));
  }

  /** Hears every instance's announcements (this one's too). */
  hearWatching(heard: (watching: Watching) => void): void {
    this.nc.subscribe(this.watchingSubject, {
      callback: (err, message) => {
        if (!err) heard(message.json<Watching>());
      },
    });
  }

  /**
   * Tells the relay that this instance committed events: it reads the log now rather than at
   * its next poll. Through NATS, not PostgreSQL's NOTIFY: waking the relay costs the database
   * nothing, however many instances write.
   */
  hintLogGrew(): void {
    if (!this.closed && !this.nc.isClosed()) this.nc.publish(this.logGrewSubject, this.instance);
  }

  /** Hears the other instances' hints (this one wakes its relay itself when it commits). */
  hearLogGrew(heard: () => void): void {
    this.nc.subscribe(this.logGrewSubject, {
      callback: (err, message) => {
        if (!err && message.string() !== this.instance) heard();
      },
    });
  }

  /** Publishes events in seq order and resolves once the stream has stored every one. */
  async publish(rows: readonly DealEventRow[]): Promise<void> {
    // Sent in order on one connection, so stored in order; the acks are awaited together.
    await Promise.all(rows.map((row) => this.js.publish(
      this.subjectOf(row.workspace_id, row.pipeline_id), JSON.stringify(row), { msgID: row.seq },
    )));
  }

  /**
   * Publishes what the relay worked out for a pipeline after a batch (its live metrics), once
   * the batch's events are stored. It carries the seq and time of the last event stored, as
   * every message does, so the stream's seqs still only grow (replay and `last` read them).
   * Without a `Nats-Msg-Id`: two updates of a pipeline may follow the same last event (its
   * figures computed again for a batch stored before the first were published), and a
   * repeated update is harmless.
   */
  async publishUpdate(update: PipelineUpdate): Promise<void> {
    const subject = `${this.subjects}.updates.${workspaceToken(update.workspace_id)}.${update.pipeline_id}`;
    await this.js.publish(subject, JSON.stringify(update));
  }

  /**
   * Marks where a relay starting on an empty stream begins (the log's head): instances
   * starting meanwhile begin there too, so none waits for events that will never be published.
   */
  async publishHead(seq: bigint): Promise<void> {
    await this.js.publish(`${this.subjects}.head`, JSON.stringify({ seq: seq.toString() }), { msgID: `head-${seq}` });
  }

  /** The stream's last message: its stream sequence and the event seq it carries (0s when empty). */
  async last(): Promise<{ streamSeq: number; eventSeq: bigint }> {
    const { state } = await this.jsm.streams.info(this.stream);
    if (state.last_seq === 0 || state.messages === 0) return { streamSeq: state.last_seq, eventSeq: 0n };
    const message = await this.jsm.streams.getMessage(this.stream, { seq: state.last_seq });
    return { streamSeq: state.last_seq, eventSeq: message ? BigInt(message.json<DealEventRow>().seq) : 0n };
  }

  /**
   * Hands every event stored after stream sequence `afterStreamSeq` to `receive`, in order,
   * in batches of what arrived together, through an ordered consumer. Should the consumer end
   * (NATS restarted, the consumer lost), a new one starts after the last message received.
   */
  async follow(afterStreamSeq: number, receive: (rows: DealEventRow[]) => void, receiveUpdate: (update: PipelineUpdate) => void, logger: Logger): Promise<void> {
    let last = afterStreamSeq;
    let batch: DealEventRow[] = [];
    const flush = () => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      receive(rows);
    };
    const updates = `${this.subjects}.updates.`;
    const consumeFrom = async () => {
      // No filter: the stream holds this database's subjects only (a filter needs NATS 2.10 here).
      const consumer = await this.js.consumers.get(this.stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: last + 1 });
      // A callback, not the iterator: the messages of one read from the socket are handed over
      // together as soon as it is parsed (a microtask), where a flush scheduled with
      // setImmediate waited for a turn of this instance's fan-out in progress first.
      const messages = await consumer.consume({
        callback: (message) => {
          last = message.seq;
          if (message.subject.endsWith('.head')) return;
          if (message.subject.startsWith(updates)) {
            // After the events it follows, which are handed over first.
            if (batch.length > 0) flush();
            receiveUpdate(message.json<PipelineUpdate>());
            return;
          }
          if (batch.length === 0) queueMicrotask(flush);
          batch.push(message.json<DealEventRow>());
        },
      });
      this.followers.push(messages);
      const ended = await messages.closed();
      if (ended instanceof Error) throw ended;
    };
    void (async () => {
      while (!this.closed) {
        await consumeFrom().catch((err) => logger.warn({ err }, 'JetStream consumer failed; following again'));
        if (!this.closed) await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
  }

  /** Deletes this database's stream (tests, which create one per scratch database). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const messages of this.followers) await messages.close();
    await this.nc.close();
  }
}
