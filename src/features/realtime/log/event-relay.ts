import type { Logger } from 'pino';
import { DealEventRow } from './deal-event.type';
import { SqlRunner } from '../../../infra/db/sql-runner';
import { readFinal, startPosition } from './event-log';
import { JetStreamBus } from './jetstream-bus';
import { LogCursor } from './log-cursor';
import { RelayLock } from './relay-lock';

export interface RelayOptions {
  /** The log session's statements (reads of the log). */
  run: SqlRunner;
  databaseUrl: string;
  bus: JetStreamBus;
  logger: Logger;
  pollMs: number;
  /** Counts each statement run on the event log (`dealstream_event_log_reads_total`). */
  onLogRead?: () => void;
  /**
   * Works out, once for every instance, what delivering a batch needs: sets each row's `work`
   * (published with it), and returns the per-pipeline work to publish once the batch is stored.
   */
  prepare?: (rows: DealEventRow[]) => Promise<PipelineWork[]>;
  /** The pipelines whose events the log read brings their related rows for (`prepare` then reads none). */
  relatedFor?: () => readonly string[];
}

/** Work on one pipeline that follows a batch of its events (its live metrics); never rejects. */
export interface PipelineWork {
  workspaceId: string;
  pipelineId: string;
  work(): Promise<unknown>;
}

/**
 * With NATS: one instance at a time reads the event log, with the same guard as the
 * dispatcher (no seq passed over while a transaction that may hold it runs), and publishes
 * each final event to JetStream, in order. Which instance is chosen through PostgreSQL (the
 * lease, relay-lock.ts), which hands it to a waiting instance within RELAY_LEASE_MS of the
 * holder's death. A new relay starts after the last event the stream holds, so events
 * committed while NATS or the relay was away are published once they are back, and
 * JetStream drops a repeat.
 */
export class EventRelay {
  private readonly lock: RelayLock;
  private cursor?: LogCursor;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wanted = false;
  private stopped = false;
  /** Log reads so far (zero on every instance but the relay). */
  reads = 0;

  constructor(private readonly options: RelayOptions) {
    this.lock = new RelayLock(options.databaseUrl, options.logger, (held) => {
      if (!held) return;
      this.cursor = undefined;
      this.options.logger.info('this instance now relays the event log to JetStream');
      this.wake();
    });
  }

  /** Whether this instance relays now. */
  get leader(): boolean {
    return this.lock.held;
  }

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.lock.start();
  }

  /** A commit (here, or hinted by another instance): a read soon, if this instance relays. */
  wake(): void {
    if (!this.leader || this.stopped) return;
    this.wanted = true;
    this.running ??= this.loop().finally(() => { this.running = undefined; });
  }

  private async loop(): Promise<void> {
    while (this.wanted && this.leader && !this.stopped) {
      this.wanted = false;
      try {
        if (await this.tick()) this.wanted = true;
      } catch (err) {
        // Where to go on from is read again from the stream: nothing is skipped.
        this.cursor = undefined;
        this.options.logger.warn({ err }, 'relaying the event log failed; retrying at the next poll');
      }
    }
  }

  /** Reads a batch of final events and publishes it; true when more may be waiting. */
  private async tick(): Promise<boolean> {
    const { run, bus } = this.options;
    const counted = () => {
      this.reads++;
      this.options.onLogRead?.();
    };
    if (!this.cursor) {
      const { eventSeq, streamSeq } = await bus.last();
      if (streamSeq > 0) this.cursor = new LogCursor(eventSeq);
      else {
        counted();
        const head = await startPosition(run);
        await bus.publishHead(head);
        this.cursor = new LogCursor(head);
      }
    }
    const related = this.options.relatedFor?.() ?? [];
    const { ready, more } = await readFinal(run, this.cursor, 500, counted, related.length > 0 ? related : undefined);
    if (ready.length > 0) {
      const after = (await this.options.prepare?.(ready)) ?? [];
      // The batch is final, so its work (the live metrics' statements) starts now, while the
      // batch is being stored, not one round trip later: each await here waits behind this
      // instance's own fan-out, and the next batch is read only after the work is published.
      const done = after.map(({ work }) => work());
      await bus.publish(ready);
      // Before the next batch: instances wait for it (a while) rather than compute it themselves.
      const { seq, occurred_at } = ready[ready.length - 1];
      await Promise.all(after.map(async ({ workspaceId, pipelineId }, i) => bus.publishUpdate({
        workspace_id: workspaceId, pipeline_id: pipelineId, seq, occurred_at, work: await done[i],
      })));
    }
    return more;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    await this.lock.stop();
  }
}
