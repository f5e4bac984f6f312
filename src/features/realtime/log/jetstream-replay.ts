import { AckPolicy, DeliverPolicy, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { DealEventRow } from './deal-event.type';
import type { ReplayBatch } from './replay-reader';

/** A stream message's payload: an event row, or a relay's head marker (`seq` alone). */
type Stored = Pick<DealEventRow, 'seq'> & { occurred_at?: string };

/** How much younger than the retention an event must be to be surely still in the log (clocks differ a little). */
const AGE_MARGIN_MS = 60_000;

/**
 * Replays one pipeline's events from the JetStream stream, where the stream can answer
 * exactly as the log would, without reading the log.
 *
 * The stream holds the log's events from its first message on, with none missing in between
 * (the relay publishes every final event, in order, from where the stream ends), unless its
 * front was trimmed (age, limits, a purge). So the events after `after` are all there when
 * the stream holds the event just before the first of them, or that first event is
 * `after + 1` itself. And the log still holds them, so that the log would not answer
 * `EVENTS_EXPIRED`, when that event (at or before `after + 1`) is younger than the retention:
 * retention removes only a prefix of expired events. When either is unsure, the caller reads
 * the log, which decides.
 */
export class JetStreamReplay {
  private readonly trustedAgeMs: number;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly subjectOf: (workspaceId: string, pipelineId: string) => string,
    retentionDays: number,
  ) {
    const retentionMs = retentionDays * 86_400_000;
    this.trustedAgeMs = retentionMs - Math.min(AGE_MARGIN_MS, retentionMs / 10);
  }

  /** A page of the pipeline's events with `after < seq <= upTo`, or undefined when the log must answer. */
  async page(workspaceId: string, pipelineId: string, after: bigint, upTo: bigint, limit: number): Promise<ReplayBatch | undefined> {
    const { state } = await this.jsm.streams.info(this.stream);
    if (state.messages === 0) return undefined;
    const seen = new Map<number, Stored | null>();
    const at = async (streamSeq: number) => {
      if (!seen.has(streamSeq)) {
        const message = await this.jsm.streams.getMessage(this.stream, { seq: streamSeq });
        seen.set(streamSeq, message ? message.json<Stored>() : null);
      }
      return seen.get(streamSeq)!;
    };
    // The first message past `after`: event seqs only grow along the stream.
    let low = state.first_seq;
    let high = state.last_seq + 1;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      const message = await at(middle);
      if (!message) return undefined; // a message deleted inside the stream: not a trimmed front
      if (BigInt(message.seq) > after) high = middle;
      else low = middle + 1;
    }
    if (low > state.last_seq) return undefined;
    const first = (await at(low))!;
    const before = low > state.first_seq ? await at(low - 1) : null;
    const kept = (message: Stored | null) => message?.occurred_at !== undefined
      && Date.now() - Date.parse(message.occurred_at) < this.trustedAgeMs;
    if (!kept(before) && !(BigInt(first.seq) === after + 1n && kept(first))) return undefined;
    return this.read(this.subjectOf(workspaceId, pipelineId), low, after, upTo, limit);
  }

  /** The subject's events from stream sequence `from`, after `after` and up to `upTo`, through a consumer of its own. */
  private async read(subject: string, from: number, after: bigint, upTo: bigint, limit: number): Promise<ReplayBatch> {
    const info = await this.jsm.consumers.add(this.stream, {
      filter_subject: subject, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from,
      ack_policy: AckPolicy.None, mem_storage: true, inactive_threshold: 30_000 * 1e6,
    });
    const rows: DealEventRow[] = [];
    let last = after;
    let pending = info.num_pending;
    try {
      const consumer = this.js.consumers.getConsumerFromInfo(info);
      while (rows.length < limit && pending > 0) {
        const messages = await consumer.fetch({ max_messages: Math.min(limit - rows.length, pending), expires: 5_000 });
        let got = 0;
        for await (const message of messages) {
          got++;
          pending = message.info.pending;
          const row = message.json<DealEventRow>();
          const seq = BigInt(row.seq);
          if (seq > upTo) return { rows, last: true };
          // A repeat (published again after the stream's duplicate window) is dropped.
          if (seq > last) {
            rows.push(row);
            last = seq;
          }
        }
        if (got === 0) throw new Error(`JetStream delivered none of the ${pending} messages pending on ${subject}`);
      }
      return { rows, last: pending === 0 };
    } finally {
      await this.jsm.consumers.delete(this.stream, info.name).catch(() => undefined);
    }
  }
}
