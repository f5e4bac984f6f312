import type { IncomingMessage } from 'node:http';
import { ExecutionArgs, ExecutionResult, getOperationAST, GraphQLError, GraphQLFormattedError, GraphQLSchema, parse, validate } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { Context, ContextDeps, contextFor } from '../../../context';
import { createLoaders, Loaders } from '../../../loaders';
import { bearerToken, verifyToken } from '../../../infra/auth/token';
import { DomainError } from '../../../infra/errors/domain-errors';
import { CompiledExecution } from '../../../infra/graphql/compiled-execution';
import { isDatabaseUnavailable } from '../../../infra/http/database-unavailable';
import { Viewer } from '../../workspaces/viewer';
import type { Realtime } from '../realtime';
import { forgetConnectionParams } from './graphql-ws.adapter';
import { cachedValidation, Validate } from './operation-cache';
import { createSharedSubscribe } from './shared-execution';
import { DoorExtra, serveSockets } from './socket-door';
import { OperationSocket, SharedFrame, SocketMembers } from './shared-frame';
import { CloseCodes, SubscriptionContext, TooManyOperationsError } from './subscription-context';

/** What graphql-ws keeps per socket. */
export interface SocketExtra extends DoorExtra {
  /** The upgrade request: let go once the socket is authenticated (it costs kilobytes per socket). */
  request?: IncomingMessage;
  viewer?: Viewer;
  /** The socket's subscriptions, which send their ready frames together. */
  members?: SocketMembers;
}

type Options = ServerOptions<Record<string, unknown>, SocketExtra>;

export interface WebSocketDoorOptions {
  wsServer: WebSocketServer;
  schema: GraphQLSchema;
  deps: ContextDeps;
  jwtSecret: string;
  realtime: Realtime;
  logger: Logger;
  /** The error formatter of the HTTP door, so both answer with the same codes and masking. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Executes queries and mutations sent over the socket as HTTP does (compiled per document). */
  execution?: CompiledExecution;
  /** Parses and validates with the HTTP door's limits; returns the errors rather than throwing. */
  validate?: Validate;
  /** Wraps the options (observability hooks). */
  wrap?: (options: Options) => Options;
  /** Running operations per socket. Default 20. */
  maxOperationsPerSocket?: number;
}

const defaultValidate = (schema: GraphQLSchema): Validate => (_ctx, _id, payload) => {
  let document;
  try {
    document = parse(payload.query);
  } catch (err) {
    if (err instanceof GraphQLError) return [err];
    throw err;
  }
  const errors = validate(schema, document);
  if (errors.length) return errors;
  return { schema, document, variableValues: payload.variables ?? {}, operationName: payload.operationName ?? undefined };
};

/** Ends the socket when its token expires: its subscriptions must not outlive the token. */
function closeAtExpiry(socket: WebSocket, expiresAt: number | undefined): boolean {
  if (expiresAt === undefined) return true;
  const ms = expiresAt * 1000 - Date.now();
  if (ms <= 0) return false;
  const timer = setTimeout(() => socket.close(CloseCodes.Forbidden, 'Token expired'), Math.min(ms, 2 ** 31 - 1));
  socket.once('close', () => clearTimeout(timer));
  return true;
}

/** graphql-ws's `execute` through the compiled execution; the parsed documents are shared, so each compiles once. */
const executeWith = (execution: CompiledExecution) => (args: ExecutionArgs) => execution.execute({
  document: args.document, operationName: args.operationName, variables: args.variableValues,
  contextValue: args.contextValue, rootValue: args.rootValue,
});

/**
 * The second front door: graphql-transport-ws on the HTTP server's port and path. Auth in
 * `onConnect` (no valid token: 4403), the HTTP limits in `onSubscribe` with errors returned
 * to that one operation (a bad subscribe never closes the socket), a cap on operations per
 * socket, errors formatted as over HTTP, and one execution per event for all subscribers.
 * `dispose()` closes every socket with 1001.
 */
export function serveWebSocket(options: WebSocketDoorOptions) {
  const { schema, deps, jwtSecret, realtime, formatError, logger } = options;
  const validateOperation = cachedValidation(options.validate ?? defaultValidate(schema));
  const maxOperations = options.maxOperationsPerSocket ?? 20;
  // graphql-ws wraps a failure of a running subscription in a GraphQLError: format its cause.
  const format = (errors: readonly GraphQLError[]) => errors.map((e) => formatError(e.toJSON(), e.path ? e : e.originalError ?? e));
  // One serialisation per shared result, errors formatted as over HTTP.
  const frameOf = (result: ExecutionResult) => new SharedFrame(JSON.stringify(result.errors ? { ...result, errors: format(result.errors) } : result));

  const eventContext = (viewer: Viewer, value: object): Context => {
    const context = contextFor(deps, viewer);
    // A deal event's loaders are its workspace's for this delivery, shared by its whole
    // audience (loaders do not depend on the role) and filled from the relay's work: nested
    // fields (the deal's stage) are read once too, or not at all.
    const shared = (value as { loaders?: Loaders }).loaders;
    if (shared) Object.defineProperty(context, 'loaders', { value: shared });
    return context;
  };

  const serverOptions: Options = {
    schema,
    onConnect: async (ctx) => {
      delete ctx.extra.request;
      const params = ctx.connectionParams ?? {};
      const token = bearerToken(params.authorization ?? params.Authorization);
      if (!token) return false;
      try {
        const viewer = await deps.services.identity.viewerFor(verifyToken(token, jwtSecret));
        if (!closeAtExpiry(ctx.extra.socket, viewer.expiresAt)) return false;
        ctx.extra.viewer = viewer;
        forgetConnectionParams(ctx);
        return true;
      } catch (err) {
        // A database outage is not a bad token: 1013 tells the client to retry, 4403 would not.
        if (isDatabaseUnavailable(err)) {
          ctx.extra.socket.close(CloseCodes.TryAgainLater, 'Database unavailable; retry in a moment');
          return false;
        }
        if (!(err instanceof DomainError)) logger.error({ err }, 'WebSocket authentication failed');
        return false;
      }
    },
    onSubscribe: (ctx, id, payload) => {
      // graphql-ws has already registered this operation, so the count includes it.
      if (Object.keys(ctx.subscriptions).length > maxOperations) {
        const message = `At most ${maxOperations} operations may run on one connection`;
        return [new GraphQLError(message, { extensions: { code: 'RATE_LIMITED' }, originalError: new TooManyOperationsError(message) })];
      }
      return validateOperation(ctx, id, payload);
    },
    context: (ctx, id, _payload, args): SubscriptionContext => {
      const context = Object.assign(contextFor(deps, ctx.extra.viewer), { realtime, connection: new OperationSocket(ctx.extra.socket, id, (ctx.extra.members ??= new SocketMembers())) });
      if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') {
        // A subscription's context lives as long as it does: it keeps no loaders (their caches
        // would go stale and hold memory); the checks at subscribe time get a set of their
        // own, and every event gets a fresh context.
        Object.defineProperty(context, 'loaders', { get: () => createLoaders(deps.dataSource.manager, context.viewer) });
      }
      return context;
    },
    ...(options.execution && { execute: executeWith(options.execution) }),
    // A live subscription is a Delivery, which the door (socket-door.ts) registers rather than iterates.
    subscribe: createSharedSubscribe(eventContext, frameOf) as unknown as Options['subscribe'],
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? { ...result, errors: format(result.errors) } : undefined),
    onError: (_ctx, _id, _payload, errors) => format(errors),
  };
  return serveSockets(options.wrap ? options.wrap(serverOptions) : serverOptions, options.wsServer, { logger });
}
