import { execute, ExecutionArgs, ExecutionResult } from 'graphql';
import type { Context } from '../../../context';
import { LiveConsumer, LiveSource } from './live-source';
import { Pending, SharedResults, Waiter } from './shared-results';
import type { Connection, SocketMember, SubscriptionContext } from './subscription-context';

/** Bytes a socket may hold unsent before its subscriptions stop sending and let their queues fill. */
const MAX_BUFFERED = 1024 * 1024;

/** Queued values executed ahead of their turn, at most. */
const READ_AHEAD = 500;

const END: IteratorResult<ExecutionResult> = Object.freeze({ done: true, value: undefined });

/**
 * One subscription's delivery: takes its source's values in order and writes each value's
 * shared frame to its socket. It waits (without a promise of its own) for an execution still
 * running, and for a socket holding more than MAX_BUFFERED; meanwhile its source queues
 * (bounded: an event stream that overflows is cut off). To graphql-ws it is the operation's
 * async iterator: it yields nothing and ends when the stream ends, so graphql-ws still owns
 * the protocol (errors, complete, close).
 */
export class Delivery implements LiveConsumer, Waiter, SocketMember, AsyncIterableIterator<ExecutionResult> {
  done = false;
  /** What it waits for before it sends again: an execution, or the socket to drain. */
  private waitingFor?: Pending | 'socket';
  private corked = false;
  private resolveEnd!: (end: IteratorResult<ExecutionResult>) => void;
  private rejectEnd!: (error: Error) => void;
  private readonly ended = new Promise<IteratorResult<ExecutionResult>>((resolve, reject) => {
    this.resolveEnd = resolve;
    this.rejectEnd = reject;
  });

  constructor(
    private readonly source: LiveSource<object>,
    private readonly key: string,
    private readonly results: SharedResults,
    private readonly args: ExecutionArgs,
    /** A fresh context per execution (never one that lives as long as the socket), with the value's loaders if it has them. */
    private readonly contextForEvent: (subscriptionContext: Context, value: object) => Context,
  ) {
    // graphql-ws waits for the end only while the operation runs; a failure after it has
    // gone (socket closed) must not become an unhandled rejection.
    this.ended.catch(() => undefined);
    this.connection = (args.contextValue as SubscriptionContext).connection;
    // Live metrics never send along with a sibling's write (sendIfReady): they need not be asked.
    if (!source.skips) this.connection.join(this);
  }

  private readonly connection: Connection;

  /** Whether its values may be skipped for newer ones (live metrics), unlike events. */
  get skips(): boolean {
    return this.source.skips;
  }

  execute(value: object): ExecutionResult | Promise<ExecutionResult> {
    return execute({ ...this.args, rootValue: value, contextValue: this.contextForEvent(this.args.contextValue as Context, value) });
  }

  wake(): void {
    if (!this.waitingFor) this.drain();
  }

  sendIfReady(): void {
    // Only events ride along: metrics written with each event would make every client parse
    // them before the next sockets' events (clients share the machine's cores too).
    if (this.source.skips) return;
    if (this.waitingFor instanceof Pending && this.waitingFor.settled) this.resume(this.waitingFor);
  }

  /** After waiting for an execution or for the socket to drain; a stale wake-up is ignored. */
  resume(from: Pending | 'socket'): void {
    if (this.waitingFor !== from) return;
    this.waitingFor = undefined;
    try {
      this.drain();
    } catch (error) {
      // A defect here must end this subscription, never the fan-out to the others (nor its siblings').
      this.source.close();
      this.finish(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private drain(): void {
    // Frames ready together (a tick's events) leave in one write.
    const connection = this.connection;
    try {
      // Another subscription of this socket whose event is ready sends it now, in the same
      // write, not in a system call of its own.
      if (this.send(connection)) connection.sendSiblings(this);
    } finally {
      if (this.corked) {
        this.corked = false;
        connection.uncork();
      }
    }
  }

  /** Sends what is ready, in order (the socket corked from the first frame); true when it wrote anything. */
  private send(connection: Connection): boolean {
    const source = this.source;
    let wrote = false;
    while (!this.done) {
      const value = source.peek();
      if (value === undefined) {
        if (source.ended) this.finish(source.ended);
        break;
      }
      const outcome = this.results.outcome(value, this.key, this);
      if (outcome instanceof Pending) {
        this.waitingFor = outcome;
        outcome.waiting.push(this);
        // The first to wait reads ahead for everyone of its operation.
        if (outcome.waiting.length === 1) this.readAhead();
        break;
      }
      source.shift();
      if (!this.corked) {
        this.corked = true;
        connection.cork();
      }
      connection.write(outcome);
      wrote = true;
      if (connection.buffered > MAX_BUFFERED) {
        this.waitingFor = 'socket';
        connection.whenDrained(() => this.resume('socket'));
        break;
      }
    }
    return wrote;
  }

  /**
   * Starts executing the values queued behind the one it waits for, so that their loads
   * batch into the same statements (a backlog of 500 events: a few statements, not 500 in a
   * row). Each is still sent in order, when its turn comes.
   */
  private readAhead(): void {
    for (let offset = 1; offset < READ_AHEAD; offset++) {
      const value = this.source.peekAhead(offset);
      if (value === undefined) return;
      this.results.outcome(value, this.key, this);
    }
  }

  private finish(reason: true | Error): void {
    if (this.done) return;
    this.done = true;
    this.connection.leave(this);
    if (reason === true) this.resolveEnd(END);
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
    return END;
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.source.close();
    this.finish(true);
    throw error;
  }
}
