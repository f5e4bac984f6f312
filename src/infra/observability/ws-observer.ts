import { randomUUID } from 'node:crypto';
import { getOperationAST, GraphQLError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { recordOperation } from './graphql-plugin';
import { round } from './http-log';
import { Metrics } from './metrics';

/** Connection ids by socket, shared by the socket and the operation hooks so their log lines correlate. */
export type ConnectionIds = WeakMap<object, string>;

/**
 * Keeps `dealstream_ws_active_sockets` equal to the open WebSocket connections of `wsServer`
 * and logs each connection's close (id, code, duration).
 */
export function instrumentSockets(wsServer: WebSocketServer, logger: Logger, metrics: Metrics, ids: ConnectionIds): void {
  wsServer.on('connection', (socket) => {
    const connectionId = randomUUID();
    const opened = Date.now();
    ids.set(socket, connectionId);
    metrics.activeSockets.inc();
    socket.once('close', (code) => {
      metrics.activeSockets.dec();
      logger.info({ connectionId, code, durationMs: Date.now() - opened }, 'ws connection closed');
    });
  });
}

interface Running {
  requestId: string;
  operation: string;
  type: string;
  started: bigint;
  errors?: readonly { extensions?: Record<string, unknown> }[];
  counted: boolean;
}

/**
 * Wraps graphql-ws server options so that every WebSocket operation gets a request id
 * (`<connection id>/<message id>`), is counted while it runs (subscriptions in
 * `dealstream_ws_active_subscriptions`) and is logged and timed like an HTTP one when it ends.
 * The wrapped hooks run first and their results are kept.
 */
export function observeOperations<O extends ServerOptions<any, any>>(options: O, logger: Logger, metrics: Metrics, ids: ConnectionIds): O {
  const connections = new WeakMap<object, string>();
  // Running operations by connection id, then message id: a socket that closes ends its own
  // without a look at every other socket's (10,000 closing sockets once took 1.3 s of CPU).
  const running = new Map<string, Map<string, Running>>();
  const connectionId = (ctx: { extra?: { socket?: object } }) => {
    let id = connections.get(ctx);
    if (!id) connections.set(ctx, (id = (ctx.extra?.socket && ids.get(ctx.extra.socket)) || randomUUID()));
    return id;
  };
  const runningOf = (ctx: { extra?: { socket?: object } }, id: string) => running.get(connectionId(ctx))?.get(id);
  const finish = (connection: string, id: string) => {
    const ops = running.get(connection);
    const op = ops?.get(id);
    if (!ops || !op) return;
    ops.delete(id);
    if (ops.size === 0) running.delete(connection);
    if (op.counted) metrics.activeSubscriptions.dec();
    const durationMs = Number(process.hrtime.bigint() - op.started) / 1e6;
    const errors = op.errors?.map((e) => ({ message: '', extensions: e.extensions }));
    const { outcome, codes } = recordOperation(metrics, op.operation, op.type, durationMs, errors);
    logger.info({ requestId: op.requestId, transport: 'ws', operation: op.operation, type: op.type, durationMs: round(durationMs), outcome,
      ...(codes.length ? { errorCodes: codes } : {}) }, 'graphql operation');
  };

  return {
    ...options,
    async onSubscribe(ctx, id, payload) {
      const connection = connectionId(ctx);
      let ops = running.get(connection);
      if (!ops) running.set(connection, (ops = new Map()));
      ops.set(id, { requestId: `${connection}/${id}`, operation: metrics.operationLabel(payload.operationName), type: 'unknown', started: process.hrtime.bigint(), counted: false });
      const result = await options.onSubscribe?.(ctx, id, payload);
      if (Array.isArray(result)) {
        const op = runningOf(ctx, id);
        if (op) op.errors = (result as GraphQLError[]).map((e) => ({ extensions: { code: e.extensions?.code ?? 'BAD_USER_INPUT' } }));
        finish(connection, id);
      }
      return result;
    },
    async onOperation(ctx, id, payload, args, result) {
      const op = runningOf(ctx, id);
      if (op) {
        const operation = getOperationAST(args.document, args.operationName);
        op.type = operation?.operation ?? 'unknown';
        // The name in the document, as over HTTP, when the client sent none in the payload.
        if (operation?.name) op.operation = metrics.operationLabel(operation.name.value);
        if (op.type === 'subscription' && Symbol.asyncIterator in Object(result)) {
          op.counted = true;
          metrics.activeSubscriptions.inc();
        }
      }
      return options.onOperation?.(ctx, id, payload, args, result);
    },
    async onError(ctx, id, payload, errors) {
      const formatted = await options.onError?.(ctx, id, payload, errors);
      const op = runningOf(ctx, id);
      if (op) op.errors = formatted ?? errors;
      return formatted;
    },
    async onComplete(ctx, id, payload) {
      await options.onComplete?.(ctx, id, payload);
      finish(connectionId(ctx), id);
    },
    async onClose(ctx, code, reason) {
      await options.onClose?.(ctx, code, reason);
      // Operations still running when the socket goes end with it.
      const connection = connectionId(ctx);
      for (const id of [...(running.get(connection)?.keys() ?? [])]) finish(connection, id);
    },
  };
}
