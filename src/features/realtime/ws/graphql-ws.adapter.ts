import type { Context as ServerContext } from 'graphql-ws';

/**
 * The one place that writes to graphql-ws's connection context beyond its typed API:
 * `connectionParams` is read-only there, yet graphql-ws would keep the token and its parsed
 * object for as long as the socket lives. Once the socket is authenticated nothing reads them
 * again. test/hardening/dependency-adapters.test.ts breaks when an upgrade of graphql-ws changes that.
 */
export function forgetConnectionParams(ctx: ServerContext<Record<string, unknown>, unknown>): void {
  (ctx as { connectionParams?: unknown }).connectionParams = undefined;
}

/** What graphql-ws does with an entry of its running operations when it stops it. */
export interface RunningOperation {
  [Symbol.asyncIterator](): unknown;
  return(): Promise<unknown>;
}

/**
 * The running operations graphql-ws keeps per socket (`ctx.subscriptions`, by message id),
 * which the door registers its own subscribe handling in (socket-door.ts). It relies on what
 * graphql-ws does with them beyond its types: the record counts and refuses a repeated id
 * (4409); on the client's `complete` graphql-ws removes the entry and calls its `return()`
 * when it looks like an async generator (an async iterator with `return`); when the socket
 * closes it replaces the record with an empty one and calls `return()` on every such entry.
 * `null` marks an operation being set up. test/hardening/dependency-adapters.test.ts breaks
 * when an upgrade of graphql-ws changes that.
 */
export function runningOperations(ctx: ServerContext<Record<string, unknown>, unknown>): Record<string, RunningOperation | null> {
  // Read anew on every use: graphql-ws replaces the record when the socket closes.
  return ctx.subscriptions as Record<string, RunningOperation | null>;
}
