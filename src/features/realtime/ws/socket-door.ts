import type { IncomingMessage } from 'node:http';
import {
  execute as graphqlExecute, ExecutionArgs, ExecutionResult, getOperationAST, GraphQLError, parse, subscribe as graphqlSubscribe, validate,
} from 'graphql';
import {
  areGraphQLErrors, CloseCode, Context as ServerContext, handleProtocols, makeServer, MessageType, parseMessage, ServerOptions,
  stringifyMessage, SubscribeMessage, SubscribePayload,
} from 'graphql-ws';
import type { Logger } from 'pino';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { Delivery } from './delivery';
import { runningOperations } from './graphql-ws.adapter';
import { KeepAlive } from './keep-alive';

/** What the door keeps per socket, besides what the server options add. */
export interface DoorExtra {
  socket: WebSocket;
  request?: IncomingMessage;
  /** graphql-ws's context of the socket, known from `connection_init` on. */
  server?: ServerContext<Record<string, unknown>, DoorExtra>;
}

type Options<E extends DoorExtra> = ServerOptions<Record<string, unknown>, E>;
type Ctx<E extends DoorExtra> = ServerContext<Record<string, unknown>, E>;

export interface SocketDoorOptions {
  logger: Logger;
  /** graphql-ws's keep-alive: a ping this often; no pong by the next one ends the socket. Default 12 s. */
  keepAliveMs?: number;
}

/**
 * graphql-transport-ws on a `ws` server, as graphql-ws's `useServer` serves it, with less kept
 * per socket and per operation. graphql-ws (`makeServer`) still speaks the protocol: the
 * connection's initialisation, pings, `complete`, closing. `subscribe` messages are handled
 * here, step by step as graphql-ws does (the same hooks in the same order, the same messages
 * and close codes), except that a live subscription (a `Delivery`) is not iterated: it is
 * registered as the running operation and reports its end, so that it holds no suspended
 * function, promise or received message text while it runs. One timer keeps every socket
 * alive (KeepAlive) instead of an interval and a timeout per socket.
 */
export function serveSockets<E extends DoorExtra>(given: Options<E>, wsServer: WebSocketServer, door: SocketDoorOptions) {
  const production = process.env.NODE_ENV === 'production';
  const options: Options<E> = {
    ...given,
    onConnect: (ctx) => {
      ctx.extra.server = ctx;
      return given.onConnect?.(ctx);
    },
  };
  const server = makeServer(options);
  const keepAlive = new KeepAlive(door.keepAliveMs ?? 12_000);
  const reason = (error: unknown) => (production ? 'Internal server error' : limitCloseReason(error instanceof Error ? error.message : String(error)));
  const failed = (socket: WebSocket) => (error: unknown) => {
    door.logger.error({ err: error }, 'Internal error while handling a WebSocket message');
    socket.close(CloseCode.InternalServerError, reason(error));
  };
  const operations = operationDoor(options, (socket, error) => failed(socket)(error));

  wsServer.options.handleProtocols = handleProtocols;
  wsServer.once('error', (error) => {
    door.logger.error({ err: error }, 'Internal error on the WebSocket server');
    for (const client of wsServer.clients) client.close(CloseCode.InternalServerError, reason(error));
  });
  wsServer.on('connection', (socket, request) => {
    socket.once('error', (error) => {
      door.logger.error({ err: error }, 'Internal error on a WebSocket');
      socket.close(CloseCode.InternalServerError, reason(error));
    });
    keepAlive.add(socket);
    const extra = { socket, request } as E;
    const onError = failed(socket);
    let handle: ((data: string) => Promise<void>) | undefined;
    const closed = server.opened({
      protocol: socket.protocol,
      send: (data) => {
        if (socket.readyState === socket.OPEN) socket.send(data);
      },
      close: (code, why) => socket.close(code, why),
      onMessage: (cb) => {
        handle = cb;
      },
    }, extra);
    socket.on('message', (data: RawData) => {
      const text = String(data);
      const ctx = extra.server as Ctx<E> | undefined;
      if (ctx?.acknowledged) {
        let message;
        try {
          message = parseMessage(text);
        } catch {
          socket.close(CloseCode.BadRequest, 'Invalid message received');
          return;
        }
        if (message.type === MessageType.Subscribe) {
          operations(ctx, message).catch(onError);
          return;
        }
      }
      handle?.(text).catch(onError);
    });
    socket.once('close', (code, why) => {
      keepAlive.remove(socket);
      closed(code, String(why)).catch((error: unknown) => door.logger.error({ err: error }, 'Internal error while closing a WebSocket'));
    });
  });

  return {
    dispose: async () => {
      keepAlive.stop();
      for (const client of wsServer.clients) client.close(1001, 'Going away');
      wsServer.removeAllListeners();
      await new Promise<void>((resolve, reject) => wsServer.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function limitCloseReason(reason: string): string {
  return reason.length < 124 ? reason : 'Internal server error';
}

/**
 * A `subscribe` message, as graphql-ws handles it (graphql-ws 6.4, `makeServer`): the same
 * checks, hooks and messages. A live subscription is registered as the running operation, and
 * its end sends `error` (if it failed) and `complete` as graphql-ws's loop over it would.
 */
function operationDoor<E extends DoorExtra>(options: Options<E>, failed: (socket: WebSocket, error: unknown) => void) {
  const { schema, context, roots, onSubscribe, onOperation, onNext, onError, onComplete } = options;
  const replacer = options.jsonMessageReplacer;

  const send = (ctx: Ctx<E>, message: Parameters<typeof stringifyMessage>[0]) => {
    const socket = ctx.extra.socket;
    if (socket.readyState === socket.OPEN) socket.send(stringifyMessage(message, replacer));
  };
  const emitNext = async (ctx: Ctx<E>, id: string, payload: SubscribePayload, args: ExecutionArgs, result: ExecutionResult) => {
    const { errors, ...resultWithoutErrors } = result;
    const maybeResult = await onNext?.(ctx, id, payload, args, result);
    send(ctx, { id, type: MessageType.Next, payload: maybeResult || { ...resultWithoutErrors, ...(errors ? { errors: errors.map((e) => e.toJSON()) } : {}) } });
  };
  const emitError = async (ctx: Ctx<E>, id: string, payload: SubscribePayload, errors: readonly GraphQLError[]) => {
    const maybeErrors = await onError?.(ctx, id, payload, errors);
    send(ctx, { id, type: MessageType.Error, payload: maybeErrors || errors.map((e) => e.toJSON()) });
  };
  const emitComplete = async (ctx: Ctx<E>, id: string, payload: SubscribePayload, notifyClient: boolean) => {
    await onComplete?.(ctx, id, payload);
    if (notifyClient) send(ctx, { id, type: MessageType.Complete });
  };

  /** The end of a live subscription: what graphql-ws does after its loop over the operation. */
  const ended = async (ctx: Ctx<E>, id: string, payload: SubscribePayload, delivery: Delivery, reason: true | Error) => {
    const running = () => runningOperations(ctx)[id] === delivery;
    if (reason !== true) {
      if (running()) await emitError(ctx, id, payload, [new GraphQLError(reason.message, { originalError: reason })]);
      if (running()) delete runningOperations(ctx)[id];
    }
    await emitComplete(ctx, id, payload, running());
    if (running()) delete runningOperations(ctx)[id];
  };

  return async function subscribe(ctx: Ctx<E>, message: SubscribeMessage): Promise<void> {
    const socket = ctx.extra.socket;
    const { id } = message;
    // The payload as sent, without the message around it; a live subscription keeps only its query and variables, shared.
    const payload = sharedPayload(message.payload);
    if (id in runningOperations(ctx)) {
      socket.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
      return;
    }
    runningOperations(ctx)[id] = null;
    let live = false;
    try {
      let execArgs: ExecutionArgs;
      const argsOrErrors = await onSubscribe?.(ctx, id, payload);
      if (argsOrErrors) {
        if (areGraphQLErrors(argsOrErrors)) {
          if (id in runningOperations(ctx)) await emitError(ctx, id, payload, argsOrErrors);
          return;
        }
        if (Array.isArray(argsOrErrors)) throw new Error('Invalid return value from onSubscribe hook, expected an array of GraphQLError objects');
        execArgs = argsOrErrors as ExecutionArgs;
      } else {
        if (!schema) throw new Error('The GraphQL schema is not provided');
        const partial = { operationName: payload.operationName, document: parse(payload.query), variableValues: payload.variables };
        execArgs = { ...partial, schema: typeof schema === 'function' ? await schema(ctx, id, payload, partial) : schema };
        const validationErrors = validate(execArgs.schema, execArgs.document);
        if (validationErrors.length > 0) {
          if (id in runningOperations(ctx)) await emitError(ctx, id, payload, validationErrors);
          return;
        }
      }
      const operationAST = getOperationAST(execArgs.document, execArgs.operationName);
      if (!operationAST) {
        if (id in runningOperations(ctx)) await emitError(ctx, id, payload, [new GraphQLError('Unable to identify operation')]);
        return;
      }
      if (!('rootValue' in execArgs)) execArgs.rootValue = roots?.[operationAST.operation];
      if (!('contextValue' in execArgs)) execArgs.contextValue = typeof context === 'function' ? await context(ctx, id, payload, execArgs) : context;
      let result: unknown = operationAST.operation === 'subscription'
        ? await (options.subscribe ?? graphqlSubscribe)(execArgs)
        : await (options.execute ?? graphqlExecute)(execArgs);
      const maybeResult = await onOperation?.(ctx, id, payload, execArgs, result as ExecutionResult);
      if (maybeResult) result = maybeResult;
      if (result instanceof Delivery) {
        if (!(id in runningOperations(ctx))) {
          // Completed (or the socket closed) while it was being set up.
          await result.return();
        } else {
          runningOperations(ctx)[id] = result;
          live = true;
          const delivery = result;
          delivery.listen((reason) => {
            ended(ctx, id, payload, delivery, reason).catch((err: unknown) => failed(socket, err));
          });
          return;
        }
      } else if (Symbol.asyncIterator in Object(result)) {
        throw new Error('Only live subscriptions (a Delivery) may stream over this door');
      } else if (id in runningOperations(ctx)) {
        await emitNext(ctx, id, payload, execArgs, result as ExecutionResult);
      }
      await emitComplete(ctx, id, payload, id in runningOperations(ctx));
    } finally {
      if (!live && runningOperations(ctx)[id] === null) delete runningOperations(ctx)[id];
    }
  };
}

/** Payloads by their text: thousands of subscribers sending one wallboard's operations share one (its query text, its variables). */
const payloads = new Map<string, SubscribePayload>();
const PAYLOADS = 500;

function sharedPayload(payload: SubscribePayload): SubscribePayload {
  const key = JSON.stringify([payload.operationName ?? null, payload.query, payload.variables ?? null, payload.extensions ?? null]);
  const known = payloads.get(key);
  if (known) {
    payloads.delete(key);
    payloads.set(key, known);
    return known;
  }
  payloads.set(key, payload);
  if (payloads.size > PAYLOADS) payloads.delete(payloads.keys().next().value!);
  return payload;
}
