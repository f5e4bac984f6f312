import { ExecutionResult, GraphQLError } from 'graphql';
import { isDatabaseUnavailable, UNAVAILABLE_RETRY_MS } from '../../../infra/http/database-unavailable';
import { SharedFrame } from './shared-frame';

/**
 * Subscribers served in one go once a shared result is ready; then other work gets a turn.
 * Every step on an event's way waits for the turn in progress to end (the writer's statements
 * and commit, the relay's log read and JetStream acks, an instance's receipt): with three
 * instances on two cores, turns of 2,000 (70 ms of socket writes, longer when preempted) held
 * each move's commit and the relay up so long that events queued behind one another.
 */
const WAKE_CHUNK = 500;

/** A subscription that can execute a value for its operation and waits for results. */
export interface Waiter {
  /** Ended: no longer waits for anything. */
  readonly done: boolean;
  /** Whether its values may be skipped for newer ones (live metrics), unlike events. */
  readonly skips: boolean;
  execute(value: object): ExecutionResult | Promise<ExecutionResult>;
  /** The result it waited for is ready (it may have been sent already, with a sibling's). */
  resume(from: Pending): void;
}

/** An execution still running (or waiting to run again): the subscriptions waiting for it. */
export class Pending {
  waiting: Waiter[] = [];
  attempts = 0;
  /** The frame is ready; its waiters are being woken. */
  settled = false;
  /** Waiters woken so far. */
  woken = 0;

  /** `skippable`: a newer value replaces this one for a subscriber that has not sent it yet. */
  constructor(readonly skippable: boolean) {}
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown>)?.then === 'function';

/**
 * Wakes the subscriptions that waited for an execution, in chunks, with a turn of the event
 * loop between chunks so that a large fan-out does not hold every other task up. Events go
 * first, in the order they became ready; a value that may be skipped or coalesced (live
 * metrics) waits for the event fan-out in progress, and gets one chunk after each. An event
 * ready while metrics are handed out goes next, not after the rest of them: a pipeline's
 * metrics come a query after its event, so on a busy machine the previous move's metrics
 * were still going out when the next move's event was ready, and it waited for all of them
 * (and the clients of the sockets still to come read those metrics before it).
 */
class FanOut {
  private readonly events: Pending[] = [];
  private readonly latest: Pending[] = [];
  private scheduled = false;
  /** After each event's fan-out, one chunk of a waiting metrics fan-out: a stream of events never starves them. */
  private latestTurn = false;
  /** The result whose waiters are being woken right now. */
  private current?: Pending;

  /**
   * Whether an event's result other than the one being handed out right now is ready and
   * waits for its turn. A subscription whose event is ready and not yet sent waits in this
   * queue, so without one, no sibling of a socket has an event to send along.
   */
  get otherEventReady(): boolean {
    return this.events.length > (this.current?.skippable === false ? 1 : 0);
  }

  add(settled: Pending): void {
    if (settled.waiting.length === 0) return;
    (settled.skippable ? this.latest : this.events).push(settled);
    if (!this.scheduled) this.run();
  }

  private readonly run = (): void => {
    // Set while running too: a subscription woken here never starts a nested run.
    this.scheduled = true;
    let budget = WAKE_CHUNK;
    while (budget > 0) {
      const queue = this.events.length > 0 && !(this.latestTurn && this.latest.length > 0) ? this.events : this.latest;
      const pending = queue[0];
      if (!pending) break;
      const waiters = pending.waiting;
      const end = Math.min(waiters.length, pending.woken + budget);
      budget -= end - pending.woken;
      this.current = pending;
      while (pending.woken < end) waiters[pending.woken++].resume(pending);
      this.current = undefined;
      const ended = end === waiters.length;
      // Metrics get their chunk once an event's fan-out has ended, never in the middle of one.
      this.latestTurn = ended && queue === this.events;
      if (ended) queue.shift();
    }
    this.scheduled = this.events.length + this.latest.length > 0;
    if (this.scheduled) setImmediate(this.run);
  };
}

/**
 * Each value (an event, a metrics object) executed once per distinct operation and
 * serialised once, by whichever subscriber meets it first; the frame lives as long as the
 * value does.
 */
export class SharedResults {
  private readonly byValue = new WeakMap<object, Map<string, SharedFrame | Pending>>();
  private readonly fanOut = new FanOut();

  constructor(private readonly frameOf: (result: ExecutionResult) => SharedFrame) {}

  /** Whether another subscription may have an event's frame to send along with a write now (FanOut.otherEventReady). */
  get otherEventReady(): boolean {
    return this.fanOut.otherEventReady;
  }

  /** The frame of `value` for operation `key`, or the execution to wait for. */
  outcome(value: object, key: string, first: Waiter): SharedFrame | Pending {
    let perOperation = this.byValue.get(value);
    if (!perOperation) this.byValue.set(value, (perOperation = new Map()));
    const known = perOperation.get(key);
    if (known) return known;
    const pending = new Pending(first.skips);
    perOperation.set(key, pending);
    this.execute(perOperation, key, value, first, pending);
    return perOperation.get(key)!;
  }

  private execute(perOperation: Map<string, SharedFrame | Pending>, key: string, value: object, by: Waiter, pending: Pending): void {
    const settle = (result: ExecutionResult) => this.settle(perOperation, key, value, by, pending, result);
    const failed = (error: unknown) => settle({ errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error })] });
    try {
      const result = by.execute(value);
      if (isPromise(result)) result.then(settle, failed);
      else settle(result);
    } catch (error) {
      failed(error);
    }
  }

  private settle(perOperation: Map<string, SharedFrame | Pending>, key: string, value: object, by: Waiter, pending: Pending, result: ExecutionResult): void {
    if (result.errors?.some((e) => isDatabaseUnavailable(e))) {
      // Fields that could not be read because the database was away are not this value's
      // answer: execute it again, in order, until the database is back, so none is lost.
      const delay = UNAVAILABLE_RETRY_MS[Math.min(pending.attempts++, UNAVAILABLE_RETRY_MS.length - 1)];
      setTimeout(() => {
        pending.waiting = pending.waiting.filter((w) => !w.done);
        if (pending.waiting.length > 0) this.execute(perOperation, key, value, pending.waiting[0], pending);
        else perOperation.delete(key);
      }, delay);
      return;
    }
    perOperation.set(key, this.frameOf(result));
    pending.settled = true;
    this.fanOut.add(pending);
  }
}
