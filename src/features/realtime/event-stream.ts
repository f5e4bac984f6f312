import { EntityManager } from 'typeorm';
import type { Loaders } from '../../loaders';
import { Viewer } from '../workspaces/viewer';
import { DealEvent, toDealEvent } from './deal-event.type';
import { EventDispatcher } from './event-dispatcher';
import { readPipelineEvents } from './event-log';

const REPLAY_PAGE = 500;

export interface EventStreamOptions {
  dispatcher: EventDispatcher;
  db: EntityManager;
  viewer: Viewer;
  pipelineId: string;
  /** Resume after this seq: first the log's events after it, then live. */
  after?: bigint;
  /** Live events held for a subscriber that reads slower than they come. */
  maxQueue: number;
  loadersFor: (viewer: Viewer) => Loaders;
  /** Called once when the queue overflows; the stream then ends. */
  onOverflow: () => void;
}

/**
 * One subscriber's `dealEvents`: the replay from `after` up to the dispatcher's position at
 * registration, then the live events beyond it. The two ranges meet exactly at that
 * position, so the seam has no gap and no duplicate. Live events wait in a bounded queue;
 * a subscriber that falls further behind is cut off (it resumes with `after`).
 */
export class DealEventStream implements AsyncIterableIterator<DealEvent> {
  private readonly queue: DealEvent[] = [];
  private head = 0;
  private replayFrom: bigint;
  private readonly replayUpTo: bigint;
  private readonly floor: bigint;
  private readonly registration: { unsubscribe(): void };
  private waiter?: (result: IteratorResult<DealEvent>) => void;
  private done = false;

  constructor(private readonly options: EventStreamOptions) {
    const { dispatcher, viewer, pipelineId, after } = options;
    const registration = dispatcher.subscribe(viewer.workspaceId, pipelineId, {
      viewer,
      deliver: (events) => this.deliver(events),
      backlog: () => this.queue.length - this.head,
    });
    this.registration = registration;
    this.replayUpTo = registration.position;
    this.replayFrom = after ?? registration.position;
    // A client may come back with a seq this instance has not reached yet.
    this.floor = after !== undefined && after > registration.position ? after : registration.position;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  async next(): Promise<IteratorResult<DealEvent>> {
    if (this.done) return { done: true, value: undefined };
    if (this.replayFrom < this.replayUpTo || this.replayBuffer.length > 0) {
      const page = await this.replayPage();
      if (page) return { done: false, value: page };
    }
    if (this.head < this.queue.length) return { done: false, value: this.take() };
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  async return(): Promise<IteratorResult<DealEvent>> {
    this.finish();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<DealEvent>> {
    this.finish();
    throw error;
  }

  private replayBuffer: DealEvent[] = [];

  /** The next replayed event, reading a page of the log when the buffer is empty. */
  private async replayPage(): Promise<DealEvent | undefined> {
    if (this.replayBuffer.length === 0) {
      const { db, viewer, pipelineId, loadersFor } = this.options;
      const rows = await readPipelineEvents(db, viewer.workspaceId, pipelineId, this.replayFrom, this.replayUpTo, REPLAY_PAGE);
      if (rows.length === 0) {
        this.replayFrom = this.replayUpTo;
        return undefined;
      }
      const loaders = loadersFor(viewer);
      this.replayBuffer = rows.map((row) => toDealEvent(row, loaders));
      if (rows.length < REPLAY_PAGE) this.replayFrom = this.replayUpTo;
      else this.replayFrom = BigInt(rows[rows.length - 1].seq);
    }
    return this.replayBuffer.shift();
  }

  private deliver(events: DealEvent[]): void {
    if (this.done) return;
    for (const event of events) {
      if (BigInt(event.seq) <= this.floor) continue;
      if (this.waiter && this.replayFrom >= this.replayUpTo && this.replayBuffer.length === 0) {
        const resolve = this.waiter;
        this.waiter = undefined;
        resolve({ done: false, value: event });
        continue;
      }
      this.queue.push(event);
    }
    if (this.queue.length - this.head > this.options.maxQueue) {
      this.finish();
      this.options.onOverflow();
    }
  }

  private take(): DealEvent {
    const event = this.queue[this.head++];
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return event;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.registration.unsubscribe();
    this.queue.length = 0;
    this.head = 0;
    this.waiter?.({ done: true, value: undefined });
    this.waiter = undefined;
  }
}
