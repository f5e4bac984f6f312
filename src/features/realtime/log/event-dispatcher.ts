import type { Logger } from 'pino';
import type { Loaders } from '../../../loaders';
import { Viewer } from '../../workspaces/viewer';
import { DealEventRow } from './deal-event.type';
import { fanOut, TouchedPipeline } from './event-fanout';
import { SqlRunner } from '../../../infra/db/sql-runner';
import { readFinal, startPosition } from './event-log';
import { HeadReads } from './head-reads';
import { GapRetry, LogCursor } from './log-cursor';
import { EventListener, SubscriberRegistry } from './subscriber-registry';

export interface DispatcherOptions {
  run: SqlRunner;
  /** A fresh loader set (one per workspace per tick). */
  loadersFor: (viewer: Viewer) => Loaders;
  logger: Logger;
  /** Poll interval: the longest a lost wake-up hint delays delivery. */
  pollMs: number;
  /** Rows read per statement; a longer backlog takes several ticks back to back. Default 500. */
  batchSize?: number;
  /** How long catching up on a backlog waits per batch for subscribers to drain. Default 100 ms. */
  paceMs?: number;
  /** Runs after each tick that delivered events, with the pipelines they touched. */
  afterTick?: (touched: TouchedPipeline[]) => void;
  /** Observes each tick's deliveries (events × subscribers) and the events' ages in seconds. */
  onDelivered?: (deliveries: number, ageSeconds: number[]) => void;
  /** Counts each statement run on the event log for delivery (`dealstream_event_log_reads_total`). */
  onLogRead?: () => void;
  /** Counts each read of the log's head for subscriptions starting on an instance fed from JetStream. */
  onStartRead?: () => void;
  /** Whether anything besides event listeners follows the ticks now (live metrics). */
  othersFollow?: () => boolean;
  /** Fills an event's loaders from the rows that came with it: the relay's work (JetStream) or the log read's. */
  prime?: (loaders: Loaders, row: DealEventRow) => void;
}

/**
 * One per app instance: reads the event log once per tick (woken by a commit or a hint, or by
 * the poll) and hands each event to the local subscribers of its workspace's pipeline. The
 * statements per tick do not depend on the number of subscribers. While nobody follows,
 * commits do not wake it (the poll keeps its position near the head); a new subscriber waits
 * for a read of its own (`upToDate`).
 */
export class EventDispatcher {
  private cursor?: LogCursor;
  private readonly subscribers = new SubscriberRegistry();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wanted = false;
  private stopped = false;
  /** Fed by `receive` (JetStream) instead of reading the log. */
  private fed = false;
  /** Called when the next tick to start has read (true) or failed (false). */
  private readWaiters: ((read: boolean) => void)[] = [];
  /** The highest seq the last read saw, delivered or held behind a gap. */
  private seenHead = 0n;
  /** Fed from JetStream: the log's head that starting subscriptions wait for the stream to reach. */
  private readonly heads: HeadReads;
  private gapRetry?: GapRetry;
  /** Log reads so far; a benchmark and a test check it does not grow with subscribers. */
  reads = 0;
  /** Ticks that delivered at least one event. */
  deliveringTicks = 0;

  constructor(private readonly options: DispatcherOptions) {
    this.heads = new HeadReads(options.run, options.logger, options.onStartRead);
  }

  async start(): Promise<void> {
    this.options.onLogRead?.();
    this.cursor = new LogCursor(await startPosition(this.options.run));
    this.gapRetry = new GapRetry(this.options.pollMs, () => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
  }

  /** Starts fed from outside (`receive`, from JetStream) at `position`: it never reads the log. */
  startFed(position: bigint): void {
    this.fed = true;
    this.cursor = new LogCursor(position);
  }

  /** The last seq handed to subscribers; everything up to it is final. */
  get position(): bigint {
    if (!this.cursor) throw new Error('The event dispatcher has not started');
    return this.cursor.position;
  }

  /**
   * Registers a listener and returns the position at that instant: the listener gets every
   * event after it, and nothing at or before it.
   */
  subscribe(workspaceId: string, pipelineId: string, listener: EventListener): bigint {
    this.subscribers.add(workspaceId, pipelineId, listener);
    return this.position;
  }

  unsubscribe(workspaceId: string, pipelineId: string, listener: EventListener): void {
    this.subscribers.remove(workspaceId, pipelineId, listener);
  }

  /** The pipelines (`pipelineKey`) local subscribers follow. */
  watchedPipelines(): string[] {
    return this.subscribers.keys();
  }

  /** Local subscribers, over every pipeline. */
  get subscriberCount(): number {
    return this.subscribers.count;
  }

  /** A commit (here, or hinted by another instance): a tick, if anybody follows now. */
  committed(): void {
    if (this.fed) return;
    if (this.subscribers.any || this.options.othersFollow?.()) this.wake();
  }

  /**
   * Resolves once every event committed before the call has been handed out, so that a new
   * subscriber's position lies past them: a read that starts after the call, then the reads
   * that settle a gap below the head it saw. Fed from JetStream, it reads the log's head and
   * waits for the stream to bring it. A transaction still open below that head is waited for
   * at most `maxWaitMs`; its event then comes live. Subscribers arriving together share the reads.
   */
  async upToDate(maxWaitMs = 1_000): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    let head: bigint;
    if (this.fed) {
      const read = this.stopped || !this.cursor ? undefined : await this.heads.read();
      if (read === undefined) return;
      head = read;
    } else {
      if (!(await this.freshRead())) return;
      head = this.seenHead;
    }
    for (let pause = 2; this.cursor!.position < head && Date.now() < deadline && !this.stopped; pause = Math.min(pause * 2, 50)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      if (!this.fed && !(await this.freshRead())) return;
    }
  }

  /** Resolves after a tick that started after the call: true when it read the log. */
  private freshRead(): Promise<boolean> {
    if (this.stopped || !this.cursor) return Promise.resolve(false);
    return new Promise((resolve) => {
      this.readWaiters.push(resolve);
      this.wake();
    });
  }

  /** Asks for a tick soon; calls during a tick cause exactly one more. */
  wake(): void {
    if (this.stopped || !this.cursor || this.fed) return;
    this.wanted = true;
    this.running ??= this.loop().finally(() => { this.running = undefined; });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.gapRetry?.stop();
    await this.running;
    for (const waiter of this.readWaiters.splice(0)) waiter(false);
  }

  private async loop(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        if (await this.tick()) {
          this.wanted = true;
          await this.pace();
        }
      } catch (err) {
        this.options.logger.warn({ err }, 'event log read failed; retrying at the next poll');
      }
    }
  }

  /**
   * Catching up on a backlog reads far faster than sockets send: before the next batch, wait
   * (briefly) until every subscriber has less than a batch queued. A subscriber that does not
   * drain in time is not waited for; its queue fills and it is cut off.
   */
  private async pace(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const deadline = Date.now() + (this.options.paceMs ?? 100);
    while (!this.stopped && Date.now() < deadline && this.subscribers.busiestBacklog() >= batchSize) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Reads and delivers one batch; true when more may be waiting. */
  private async tick(): Promise<boolean> {
    const waiters = this.readWaiters;
    this.readWaiters = [];
    let read = false;
    try {
      // The events of watched pipelines bring their deal, stages and actor: the frame is ready
      // one round trip after the log read, not two.
      const watched = this.subscribers.pipelineIds();
      const { ready, more, held, head } = await readFinal(this.options.run, this.cursor!, this.options.batchSize ?? 500, () => {
        this.reads++;
        this.options.onLogRead?.();
      }, watched.length > 0 ? watched : undefined);
      read = true;
      this.seenHead = head ?? this.cursor!.position;
      this.dispatch(ready);
      if (this.subscribers.any || this.options.othersFollow?.()) this.gapRetry?.after(held);
      return more;
    } finally {
      for (const waiter of waiters) waiter(read);
    }
  }

  /**
   * Events read elsewhere (JetStream), in seq order: those past the position go to the local
   * subscribers, as if read here; a repeat (a publish retried, a consumer recreated) is dropped.
   */
  receive(rows: readonly DealEventRow[]): void {
    if (this.stopped || !this.cursor) return;
    const fresh = rows.filter((row) => BigInt(row.seq) > this.cursor!.position);
    if (fresh.length === 0) return;
    this.cursor.position = BigInt(fresh[fresh.length - 1].seq);
    this.dispatch(fresh);
  }

  private dispatch(ready: readonly DealEventRow[]): void {
    if (ready.length === 0) return;
    this.deliveringTicks++;
    const { deliveries, ageSeconds, touched } = fanOut(ready, this.subscribers, this.options.loadersFor, this.options.prime);
    if (deliveries > 0) this.options.onDelivered?.(deliveries, ageSeconds);
    this.options.afterTick?.(touched);
  }
}
