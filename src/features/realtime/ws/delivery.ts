import { execute, ExecutionArgs, ExecutionResult } from 'graphql';
import type { Context } from '../../../context';
import type { Viewer } from '../../workspaces/viewer';
import { LiveConsumer, LiveSource } from './live-source';
import { Pending, SharedResults, Waiter } from './shared-results';
import type { Connection, SocketMember } from './subscription-context';

/** Bytes a socket may hold unsent before its subscriptions stop sending and let their queues fill. */
const MAX_BUFFERED = 1024 * 1024;

/** Queued values executed ahead of their turn, at most. */
const READ_AHEAD = 500;

/**
 * What every subscriber of one operation (document, variables, workspace, role) shares: its
 * key and the arguments it is executed with, without any subscriber's context.
 */
export interface SharedOperation {
  readonly key: string;
  readonly args: Pick<ExecutionArgs, 'schema' | 'document' | 'variableValues' | 'operationName'>;
}

/** Told once when a delivery ends: `true` when it ran out or was stopped, or the error its stream failed with. */
export type DeliveryEnd = (reason: true | Error) => void;

/**
 * One subscription's delivery: takes its source's values in order and writes each value's
 * shared frame to its socket. It waits (without a promise of its own) for an execution still
 * running, and for a socket holding more than MAX_BUFFERED; meanwhile its source queues
 * (bounded: an event stream that overflows is cut off). It holds no promise, iterator or
 * context of its own: the operation's arguments are shared by its operation's subscribers, and
 * its end is reported once to `onEnd` (the WebSocket door then sends `error` or `complete`).
 * To graphql-ws it is the running operation's entry (`return()` stops it, on `complete` or
 * when the socket closes).
 */
export class Delivery implements LiveConsumer, Waiter, SocketMember {
  done = false;
  /** What it waits for before it sends again: an execution, or the socket to drain. */
  private waitingFor?: Pending | 'socket';
  private corked = false;
  /** Set by the door once the operation is registered; told once when the delivery ends. */
  onEnd?: DeliveryEnd;
  /** How it ended, when it ended before anyone listened. */
  private endedWith?: true | Error;

  constructor(
    private readonly source: LiveSource<object>,
    private readonly operation: SharedOperation,
    private readonly results: SharedResults,
    private readonly viewer: Viewer,
    private readonly connection: Connection,
    /** A fresh context per execution (never one that lives as long as the socket), with the value's loaders if it has them. */
    private readonly contextForEvent: (viewer: Viewer, value: object) => Context,
  ) {
    connection.join(this);
  }

  private get key(): string {
    return this.operation.key;
  }

  /** Whether its values may be skipped for newer ones (live metrics), unlike events. */
  get skips(): boolean {
    return this.source.skips;
  }

  execute(value: object): ExecutionResult | Promise<ExecutionResult> {
    return execute({ ...this.operation.args, rootValue: value, contextValue: this.contextForEvent(this.viewer, value) });
  }

  wake(): void {
    if (!this.waitingFor) this.drain();
  }

  sendIfReady(): void {
    // An event rides along with its socket's other write: one system call, not two. Metrics
    // never ride along with an event: they would reach this client ahead of the events still
    // to be written to the next sockets (clients read in order), which metrics wait for.
    const waitingFor = this.waitingFor;
    if (waitingFor instanceof Pending && waitingFor.settled && !waitingFor.skippable) this.resume(waitingFor);
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
      // write, not in a system call of its own. Asked only when another event is ready:
      // otherwise none is, and a fan-out need not touch every socket's other subscriptions.
      if (this.send(connection) && this.results.otherEventReady) connection.sendSiblings(this);
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
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    if (onEnd) onEnd(reason);
    else this.endedWith = reason;
  }

  /** Lets the door hear of the end (at once, if it came first: a stream that failed right away). */
  listen(onEnd: DeliveryEnd): void {
    if (this.endedWith !== undefined) {
      const reason = this.endedWith;
      this.endedWith = undefined;
      onEnd(reason);
    } else if (!this.done) this.onEnd = onEnd;
  }

  /**
   * Stops the delivery (the client completed the operation, or the socket closed); graphql-ws
   * calls it on the operation's entry. Its end is still reported to `onEnd`.
   */
  return(): Promise<IteratorResult<ExecutionResult>> {
    this.source.close();
    this.finish(true);
    return Promise.resolve(END);
  }

  /** graphql-ws tells a running operation it can stop (`return`) by its async iterator shape. */
  [Symbol.asyncIterator](): this {
    return this;
  }
}

const END: IteratorResult<ExecutionResult> = Object.freeze({ done: true, value: undefined });
