import type { Context } from '../../../context';
import { BadInputError, DomainError } from '../../../infra/errors/domain-errors';
import type { Realtime } from '../realtime';
import type { SharedFrame } from './shared-frame';

/** The socket a subscription runs on, as far as a subscription may touch it. */
export interface Connection {
  close(code: number, reason: string): void;
  /** Sends a `next` message of this operation whose payload is already serialised. */
  write(frame: SharedFrame): void;
  /** Holds writes back until `uncork`, which sends them together. */
  cork(): void;
  uncork(): void;
  /** Bytes written to the socket and not yet sent. */
  readonly buffered: number;
  /** Calls `then` once the socket has sent what it holds. */
  whenDrained(then: () => void): void;
  /** Subscriptions of the same socket see each other, so that their ready frames leave together. */
  join(member: SocketMember): void;
  leave(member: SocketMember): void;
  /** Lets the socket's other subscriptions send what is ready for them, in this write. */
  sendSiblings(of: SocketMember): void;
}

/** A subscription writing to a socket. */
export interface SocketMember {
  /** Sends at once if the event's result it waits for is ready (metrics wait for their turn). */
  sendIfReady(): void;
}

/** The context of an operation received over the WebSocket. */
export interface SubscriptionContext extends Context {
  readonly realtime: Realtime;
  readonly connection: Connection;
}

/** WebSocket close codes this API uses beyond those of the graphql-transport-ws protocol. */
export const CloseCodes = {
  /** The server is stopping; reconnect (to another instance). */
  GoingAway: 1001,
  /** The subscriber fell too far behind; reconnect and resume with `after`. */
  TryAgainLater: 1013,
  /** No valid token, or the token expired; reconnect with a fresh one. */
  Forbidden: 4403,
} as const;

/** Too many operations at once on one socket. */
export class TooManyOperationsError extends DomainError {
  readonly code = 'RATE_LIMITED';
}

/** The subscription side of a context; subscriptions are served over the WebSocket only. */
export function subscriptionContext(ctx: Context): SubscriptionContext {
  const candidate = ctx as Partial<SubscriptionContext>;
  if (!candidate.realtime || !candidate.connection) {
    throw new BadInputError('Subscriptions are served over the WebSocket (graphql-transport-ws) on this path');
  }
  return ctx as SubscriptionContext;
}

/** Reads a `seq` cursor: a non-negative 64-bit integer in decimal. */
export function parseSeq(value: string | null | undefined): bigint | undefined {
  if (value === undefined || value === null) return undefined;
  if (!/^\d{1,19}$/.test(value)) throw new BadInputError(`"${value}" is not an event seq`, 'after');
  const seq = BigInt(value);
  if (seq > 9223372036854775807n) throw new BadInputError(`"${value}" is not an event seq`, 'after');
  return seq;
}
