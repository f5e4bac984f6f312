import type { Logger } from 'pino';
import { DealEventRow } from './deal-event.type';
import { SqlRunner } from '../../../infra/db/sql-runner';
import { readFinal, startPosition } from './event-log';
import { JetStreamBus } from './jetstream-bus';
import { GapRetry, LogCursor } from './log-cursor';
import { PipelineWorkQueue } from './pipeline-work-queue';
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
  /** Publishes to the stream one at a time, so that the seqs its messages carry only grow. */
  private turn: Promise<unknown> = Promise.resolve();
  /** The last event the stream stored from this relay: an update published now follows it. */
  private stored?: DealEventRow;
  private readonly work: PipelineWorkQueue;
  private readonly gapRetry: GapRetry;
  /** Log reads so far (zero on every instance but the relay). */
  reads = 0;

  constructor(private readonly options: RelayOptions) {
    this.gapRetry = new GapRetry(options.pollMs, () => this.wake());
    this.work = new PipelineWorkQueue((work, result) => this.publishUpdate(work, result), options.logger);
    this.lock = new RelayLock(options.databaseUrl, options.logger, (held) => {
      if (!held) return;
      this.cursor = undefined;
      this.stored = undefined;
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
    const { ready, more, held } = await readFinal(run, this.cursor, 500, counted, related.length > 0 ? related : undefined);
    this.gapRetry.after(held);
    if (ready.length > 0) {
      const after = (await this.options.prepare?.(ready)) ?? [];
      const stored = this.inTurn(async () => {
        await bus.publish(ready);
        this.stored = ready[ready.length - 1];
      });
      // The batch is final, so its work (the live metrics' statements) starts now, while the
      // batch is being stored; its result is published after the batch, and the next batch is
      // read without waiting for it.
      this.work.add(after);
      await stored;
    }
    return more;
  }

  /** Runs `publish` once every publish before it has ended. */
  private inTurn(publish: () => Promise<void>): Promise<void> {
    const done = this.turn.then(publish);
    this.turn = done.catch(() => undefined);
    return done;
  }

  /**
   * What the relay worked out for a pipeline after a batch (its live metrics), once the batch is
   * stored. It carries the seq and time of the last event stored before it, as every message
   * does, so the stream's seqs still only grow (replay and `last` read them), though later
   * batches may have been stored since the one it follows.
   */
  private publishUpdate({ workspaceId, pipelineId }: PipelineWork, result: unknown): Promise<void> {
    return this.inTurn(async () => {
      if (!this.leader || !this.stored) return;
      const { seq, occurred_at } = this.stored;
      await this.options.bus.publishUpdate({ workspace_id: workspaceId, pipeline_id: pipelineId, seq, occurred_at, work: result });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.gapRetry.stop();
    await this.running;
    await this.work.idle();
    await this.lock.stop();
  }
}
