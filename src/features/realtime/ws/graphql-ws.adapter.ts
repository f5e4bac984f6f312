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
