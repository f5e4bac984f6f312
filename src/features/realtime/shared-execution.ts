import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, GraphQLError, print } from 'graphql';
import type { Context } from '../../context';
import { isDatabaseUnavailable } from '../../infra/http/database-unavailable';
import { isLiveSource, LiveConsumer, LiveSource } from './live-source';
import { SharedFrame } from './shared-frame';
import type { Connection, SubscriptionContext } from './subscription-context';

type Run = (value: object) => ExecutionResult | Promise<ExecutionResult>;

/** Waits between executions of a value while the database is unavailable. */
const RETRY_MS = [100, 250, 500, 1_000, 2_000];
/** Bytes a socket may hold unsent before its subscriptions stop sending and let their queues fill. */
const MAX_BUFFERED = 1024 * 1024;
/** Subscribers served in one go once a shared result is ready; then other work gets a turn. */
const WAKE_CHUNK = 2_000;

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown>)?.then === 'function';

/** An execution still running (or waiting to run again): the deliveries waiting for it. */
class Pending {
  waiting: Delivery[] = [];
  attempts = 0;
}

/**
 * Wakes the deliveries that waited for an execution, in chunks, with a turn of the event loop
 * between chunks so that a large fan-out does not hold every other task up. Fan-outs run in
 * the order their values became ready: a metrics value computed during an event's fan-out
 * waits for it rather than delaying that event at the subscribers not yet served.
 */
class FanOut {
  private readonly lists: Delivery[][] = [];
  private next = 0;
  private scheduled = false;

  add(deliveries: Delivery[]): void {
    if (deliveries.length === 0) return;
    this.lists.push(deliveries);
    if (!this.scheduled) this.run();
  }

  private readonly run = (): void => {
    // Set while running too: a delivery woken here never starts a nested run.
    this.scheduled = true;
    let budget = WAKE_CHUNK;
    while (budget > 0 && this.lists.length > 0) {
      const deliveries = this.lists[0];
      const end = Math.min(deliveries.length, this.next + budget);
      budget -= end - this.next;
      while (this.next < end) deliveries[this.next++].resume();
      if (end === deliveries.length) {
        this.lists.shift();
        this.next = 0;
      }
    }
    this.scheduled = this.lists.length > 0;
    if (this.scheduled) setImmediate(this.run);
  };
}

/**
 * Each value (an event, a metrics object) executed once per distinct operation and
 * serialised once; the frame is kept as long as the value lives.
 */
class SharedExecutions {
  private readonly byValue = new WeakMap<object, Map<string, SharedFrame | Pending>>();
  private readonly fanOut = new FanOut();

  constructor(private readonly frameOf: (result: ExecutionResult) => SharedFrame) {}

  /** The frame of `value` for operation `key`, or the execution to wait for. */
  outcome(value: object, key: string, run: Run): SharedFrame | Pending {
    let perOperation = this.byValue.get(value);
    if (!perOperation) this.byValue.set(value, (perOperation = new Map()));
    const known = perOperation.get(key);
    if (known) return known;
    const pending = new Pending();
    perOperation.set(key, pending);
    this.execute(perOperation, key, value, run, pending);
    return perOperation.get(key)!;
  }

  private execute(perOperation: Map<string, SharedFrame | Pending>, key: string, value: object, run: Run, pending: Pending): void {
    const settle = (result: ExecutionResult) => this.settle(perOperation, key, value, run, pending, result);
    const failed = (error: unknown) => settle({ errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error })] });
    try {
      const result = run(value);
      if (isPromise(result)) result.then(settle, failed);
      else settle(result);
    } catch (error) {
      failed(error);
    }
  }

  private settle(perOperation: Map<string, SharedFrame | Pending>, key: string, value: object, run: Run, pending: Pending, result: ExecutionResult): void {
    if (result.errors?.some((e) => isDatabaseUnavailable(e))) {
      // Fields that could not be read because the database was away are not this value's
      // answer: execute it again, in order, until the database is back, so none is lost.
      const delay = RETRY_MS[Math.min(pending.attempts++, RETRY_MS.length - 1)];
      setTimeout(() => {
        pending.waiting = pending.waiting.filter((d) => !d.done);
        if (pending.waiting.length > 0) this.execute(perOperation, key, value, run, pending);
        else perOperation.delete(key);
      }, delay);
      return;
    }
    perOperation.set(key, this.frameOf(result));
    this.fanOut.add(pending.waiting);
  }
}

/**
 * One subscription's delivery: takes its source's values in order, and writes each value's
 * shared frame to its socket. It waits (without a promise of its own) for an execution still
 * running, and for a socket holding more than MAX_BUFFERED; meanwhile its source queues
 * (bounded: an event stream that overflows is cut off). To graphql-ws it is the operation's
 * async iterator: it yields nothing and ends when the stream ends, so graphql-ws still owns
 * the protocol (errors, complete, close).
 */
class Delivery implements LiveConsumer, AsyncIterableIterator<ExecutionResult> {
  done = false;
  private waiting = false;
  private resolveEnd!: () => void;
  private rejectEnd!: (error: Error) => void;
  private readonly ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
    this.resolveEnd = () => resolve({ done: true, value: undefined });
    this.rejectEnd = reject;
  });
  private readonly afterDrain = () => this.resume();

  constructor(
    private readonly source: LiveSource<object>,
    private readonly key: string,
    private readonly executions: SharedExecutions,
    private readonly run: Run,
    private readonly connection: Connection,
  ) {
    // graphql-ws waits for the end only while the operation runs; a failure after it has
    // gone (socket closed) must not become an unhandled rejection.
    this.ended.catch(() => undefined);
  }

  wake(): void {
    if (!this.waiting) this.drain();
  }

  /** After waiting for an execution or for the socket to drain. */
  resume(): void {
    this.waiting = false;
    try {
      this.drain();
    } catch (error) {
      // A defect here must end this subscription, never the fan-out to the others.
      this.source.close();
      this.finish(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private drain(): void {
    // Frames ready together (a tick's events) leave in one write.
    this.connection.cork();
    try {
      this.send();
    } finally {
      this.connection.uncork();
    }
  }

  private send(): void {
    const { source, connection } = this;
    while (!this.done) {
      const value = source.peek();
      if (value === undefined) {
        if (source.ended) this.finish(source.ended);
        return;
      }
      const outcome = this.executions.outcome(value, this.key, this.run);
      if (outcome instanceof Pending) {
        this.waiting = true;
        outcome.waiting.push(this);
        return;
      }
      source.shift();
      connection.write(outcome);
      if (connection.buffered > MAX_BUFFERED) {
        this.waiting = true;
        connection.whenDrained(this.afterDrain);
        return;
      }
    }
  }

  private finish(reason: true | Error): void {
    if (this.done) return;
    this.done = true;
    if (reason === true) this.resolveEnd();
    else this.rejectEnd(reason);
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    return this.ended;
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.source.close();
    this.finish(true);
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.source.close();
    this.finish(true);
    throw error;
  }
}

/**
 * graphql-js executes a subscription's selection set once per subscriber per event, and
 * graphql-ws serialises each result per subscriber. Events and metrics here are single
 * objects handed to every local subscriber of a pipeline, so this `subscribe` executes each
 * object once per distinct operation (same document, variables, workspace and role),
 * serialises and encodes that result once (`frameOf`), and writes the same bytes to every
 * subscriber's socket itself, behind the subscriber's own message prefix, in order.
 */
export function createSharedSubscribe(contextForEvent: (subscriptionContext: Context) => Context, frameOf: (result: ExecutionResult) => SharedFrame) {
  const executions = new SharedExecutions(frameOf);
  // Keys per document, interned: thousands of subscribers of one wallboard share one string.
  const keysOf = new WeakMap<DocumentNode, Map<string, string>>();
  const keyFor = (args: ExecutionArgs, viewer: Context['viewer']) => {
    let keys = keysOf.get(args.document);
    if (!keys) keysOf.set(args.document, (keys = new Map()));
    const local = JSON.stringify([viewer.workspaceId, viewer.role, args.operationName ?? null, args.variableValues ?? null]);
    let key = keys.get(local);
    if (key === undefined) keys.set(local, (key = `${local}\n${print(args.document)}`));
    return key;
  };

  return async function subscribe(args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
    const stream = await createSourceEventStream(args);
    if (!isLiveSource(stream)) {
      if (Symbol.asyncIterator in Object(stream)) throw new Error('A subscription here must return a LiveSource');
      return stream as ExecutionResult;
    }
    const context = args.contextValue as SubscriptionContext;
    // A fresh context (fresh loaders) per execution, never one that lives as long as the socket.
    const run: Run = (value) => execute({ ...args, rootValue: value, contextValue: contextForEvent(context) });
    const delivery = new Delivery(stream as LiveSource<object>, keyFor(args, context.viewer), executions, run, context.connection);
    stream.attach(delivery);
    return delivery;
  };
}
