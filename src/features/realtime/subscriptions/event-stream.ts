import type { Loaders } from '../../../loaders';
import { Viewer } from '../../workspaces/viewer';
import { DealEvent, toDealEvent } from '../log/deal-event.type';
import { EventDispatcher } from '../log/event-dispatcher';
import { EventListener } from '../log/subscriber-registry';
import { ReplayReader } from '../log/replay-reader';
import { LiveSource } from '../ws/live-source';
import { CloseCodes, Connection } from '../ws/subscription-context';

const REPLAY_PAGE = 500;

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
  private queue: DealEvent[] = [];
  private head = 0;
  private replay: DealEvent[] = [];
  private replayHead = 0;
  private replayFrom: bigint;
  private readonly replayUpTo: bigint;
  private readonly floor: bigint;
  private reading = false;

  constructor(private readonly options: EventStreamOptions) {
    super();
    const { dispatcher, viewer, pipelineId, after } = options;
    this.viewer = viewer;
    const position = dispatcher.subscribe(viewer.workspaceId, pipelineId, this);
    this.replayUpTo = position;
    this.replayFrom = after ?? position;
    // A client may come back with a seq this instance has not reached yet.
    this.floor = after !== undefined && after > position ? after : position;
  }

  peek(): DealEvent | undefined {
    if (this.ended) return undefined;
    if (this.replayHead < this.replay.length) return this.replay[this.replayHead];
    if (this.replayFrom < this.replayUpTo) {
      this.readReplayPage();
      return undefined;
    }
    return this.head < this.queue.length ? this.queue[this.head] : undefined;
  }

  peekAhead(offset: number): DealEvent | undefined {
    if (this.ended) return undefined;
    const inReplay = this.replay.length - this.replayHead;
    if (offset < inReplay) return this.replay[this.replayHead + offset];
    if (inReplay > 0 || this.replayFrom < this.replayUpTo) return undefined;
    return this.queue[this.head + offset];
  }

  shift(): void {
    if (this.replayHead < this.replay.length) {
      if (++this.replayHead === this.replay.length) {
        this.replay = [];
        this.replayHead = 0;
      }
      return;
    }
    this.head++;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Live events of one tick, in seq order, from the dispatcher. */
  deliver(events: DealEvent[]): void {
    if (this.ended) return;
    for (const event of events) if (event.position > this.floor) this.queue.push(event);
    if (this.queue.length - this.head > this.options.maxQueue) {
      this.close();
      this.options.connection.close(CloseCodes.TryAgainLater, 'Subscriber fell behind; resubscribe with after = the last seq received');
      return;
    }
    this.consumer?.wake();
  }

  backlog(): number {
    return this.queue.length - this.head;
  }

  close(): void {
    if (this.ended) return;
    const { dispatcher, viewer, pipelineId } = this.options;
    dispatcher.unsubscribe(viewer.workspaceId, pipelineId, this);
    this.queue = [];
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
      if (this.ended) return;
      const loaders = loadersFor(viewer);
      this.replay = rows.map((row) => toDealEvent(row, loaders));
      this.replayHead = 0;
      this.replayFrom = last || rows.length === 0 ? this.replayUpTo : BigInt(rows[rows.length - 1].seq);
      this.consumer?.wake();
    }, (error: unknown) => {
      this.reading = false;
      if (this.ended) return;
      const { dispatcher } = this.options;
      dispatcher.unsubscribe(viewer.workspaceId, pipelineId, this);
      this.queue = [];
      this.end(error instanceof Error ? error : new Error(String(error)));
    });
  }
}
