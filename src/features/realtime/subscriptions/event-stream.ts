import { isDatabaseUnavailable, UNAVAILABLE_RETRY_MS } from '../../../infra/http/database-unavailable';
import type { Loaders } from '../../../loaders';
import { Viewer } from '../../workspaces/viewer';
import { DealEvent, toDealEvent } from '../log/deal-event.type';
import { EventDispatcher } from '../log/event-dispatcher';
import { EventListener } from '../log/subscriber-registry';
import { ReplayReader } from '../log/replay-reader';
import { LiveSource } from '../ws/live-source';
import { CloseCodes, Connection } from '../ws/subscription-context';

const REPLAY_PAGE = 500;
/** Slots an emptied queue keeps for the next events, at most. */
const EMPTY_SLOTS_KEPT = 64;

export interface EventStreamOptions {
  dispatcher: EventDispatcher;
  /** Reads the replay's pages (from JetStream or the log). */
  replay: ReplayReader;
  viewer: Viewer;
  pipelineId: string;
  /** Resume after this seq: first the log's events after it, then live. */
  after?: bigint;
  /** Live events held for a subscriber that reads slower than they come. */
  maxQueue: number;
  loadersFor: (viewer: Viewer) => Loaders;
  /** Closed with 1013 when the queue overflows; the stream then ends. */
  connection: Connection;
}

/**
 * One subscriber's `dealEvents`: the replay from `after` up to the dispatcher's position at
 * registration, then the live events beyond it. The two ranges meet exactly at that
 * position, so the seam has no gap and no duplicate. Live events wait in a bounded queue
 * (references to the events every subscriber shares); a subscriber that falls further
 * behind is cut off (it resumes with `after`).
 */
export class DealEventStream extends LiveSource<DealEvent> implements EventListener {
  readonly viewer: Viewer;
  readonly skips = false;
  /**
   * Live events waiting, from `head` to `tail`. The array is kept and its slots reused: a new
   * array per event and subscriber would be garbage that a scavenge during the fan-out copies.
   */
  private queue: (DealEvent | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private replay: DealEvent[] = [];
  private replayHead = 0;
  private replayFrom: bigint;
  private readonly replayUpTo: bigint;
  /**
   * Whether replayed events are still to be read or sent: until then live events wait. A flag,
   * so that the live path (every subscriber, every event) reads no replay fields and compares
   * no BigInts.
   */
  private replaying: boolean;
  private readonly floor: bigint;
  private reading = false;
  /** Replay reads that failed in a row because the database was away. */
  private unavailableReads = 0;

  constructor(private readonly options: EventStreamOptions) {
    super();
    const { dispatcher, viewer, pipelineId, after } = options;
    this.viewer = viewer;
    const position = dispatcher.subscribe(viewer.workspaceId, pipelineId, this);
    this.replayUpTo = position;
    this.replayFrom = after ?? position;
    this.replaying = this.replayFrom < this.replayUpTo;
    // A client may come back with a seq this instance has not reached yet.
    this.floor = after !== undefined && after > position ? after : position;
  }

  peek(): DealEvent | undefined {
    if (this.ended) return undefined;
    if (!this.replaying) return this.head < this.tail ? this.queue[this.head] : undefined;
    if (this.replayHead < this.replay.length) return this.replay[this.replayHead];
    this.readReplayPage();
    return undefined;
  }

  peekAhead(offset: number): DealEvent | undefined {
    if (this.ended) return undefined;
    if (!this.replaying) return this.head + offset < this.tail ? this.queue[this.head + offset] : undefined;
    const inReplay = this.replay.length - this.replayHead;
    return offset < inReplay ? this.replay[this.replayHead + offset] : undefined;
  }

  shift(): void {
    if (this.replaying) {
      if (++this.replayHead === this.replay.length) {
        this.replay = [];
        this.replayHead = 0;
        this.replaying = this.replayFrom < this.replayUpTo;
      }
      return;
    }
    this.queue[this.head++] = undefined;
    if (this.head === this.tail) {
      // A backlog's long array goes; the usual few slots stay for the next events.
      if (this.queue.length > EMPTY_SLOTS_KEPT) this.queue = [];
      this.head = this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      this.queue.splice(0, this.head);
      this.tail -= this.head;
      this.head = 0;
    }
  }

  /** Live events of one tick, in seq order, from the dispatcher. */
  deliver(events: DealEvent[]): void {
    if (this.ended) return;
    const queue = this.queue;
    for (const event of events) {
      if (event.position <= this.floor) continue;
      if (this.tail === queue.length) queue.push(event);
      else queue[this.tail] = event;
      this.tail++;
    }
    if (this.tail - this.head > this.options.maxQueue) {
      this.close();
      this.options.connection.close(CloseCodes.TryAgainLater, 'Subscriber fell behind; resubscribe with after = the last seq received');
      return;
    }
    this.consumer?.wake();
  }

  backlog(): number {
    return this.tail - this.head;
  }

  close(): void {
    if (this.ended) return;
    const { dispatcher, viewer, pipelineId } = this.options;
    dispatcher.unsubscribe(viewer.workspaceId, pipelineId, this);
    this.queue = [];
    this.head = this.tail = 0;
    this.replay = [];
    this.end();
  }

  /** Reads the next page of the replay; the consumer is woken when it is there. */
  private readReplayPage(): void {
    if (this.reading) return;
    this.reading = true;
    const { replay, viewer, pipelineId, loadersFor } = this.options;
    replay(viewer.workspaceId, pipelineId, this.replayFrom, this.replayUpTo, REPLAY_PAGE).then(({ rows, last }) => {
      this.reading = false;
      this.unavailableReads = 0;
      if (this.ended) return;
      const loaders = loadersFor(viewer);
      this.replay = rows.map((row) => toDealEvent(row, loaders));
      this.replayHead = 0;
      this.replayFrom = last || rows.length === 0 ? this.replayUpTo : BigInt(rows[rows.length - 1].seq);
      this.replaying = this.replay.length > 0 || this.replayFrom < this.replayUpTo;
      this.consumer?.wake();
    }, (error: unknown) => {
      this.reading = false;
      if (this.ended) return;
      if (isDatabaseUnavailable(error)) {
        // The log is away (PostgreSQL restarting): read the page again once it is back, as a
        // live event's fields are read again; the subscriber misses nothing and ends on nothing.
        const delay = UNAVAILABLE_RETRY_MS[Math.min(this.unavailableReads++, UNAVAILABLE_RETRY_MS.length - 1)];
        setTimeout(() => {
          if (!this.ended) this.readReplayPage();
        }, delay).unref();
        return;
      }
      const { dispatcher } = this.options;
      dispatcher.unsubscribe(viewer.workspaceId, pipelineId, this);
      this.queue = [];
      this.head = this.tail = 0;
      this.end(error instanceof Error ? error : new Error(String(error)));
    });
  }
}
