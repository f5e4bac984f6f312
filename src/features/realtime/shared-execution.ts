import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, print } from 'graphql';
import type { Context } from '../../context';
import { isDatabaseUnavailable } from '../../infra/http/database-unavailable';
import type { SubscriptionContext } from './subscription-context';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Waits between executions of an event while the database is unavailable. */
const RETRY_MS = [100, 250, 500, 1_000, 2_000];
/** Bytes a socket may hold unsent before its subscriptions stop sending and let their queues fill. */
const MAX_BUFFERED = 1024 * 1024;

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown>)?.then === 'function';

/**
 * graphql-js executes a subscription's selection set once per subscriber per event, and
 * graphql-ws serialises each result per subscriber. Events and metrics here are single
 * objects handed to every local subscriber of a pipeline, so this `subscribe` executes each
 * object once per distinct operation (same document, variables, workspace and role),
 * serialises that result once (`frameOf`), and sends the same JSON to every subscriber's
 * socket itself, in the subscriber's order. The iterator it gives graphql-ws yields nothing
 * and ends when the stream ends: graphql-ws still owns the protocol (errors, complete,
 * close). A socket that stops reading stops its sends; its queue fills and it is cut off.
 */
export function createSharedSubscribe(contextForEvent: (subscriptionContext: Context) => Context, frameOf: (result: ExecutionResult) => string) {
  const results = new WeakMap<object, Map<string, Result>>();
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

  return async function subscribe(args: ExecutionArgs) {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const context = args.contextValue as SubscriptionContext;
    const key = keyFor(args, context.viewer);

    // A fresh context (fresh loaders) per event, never one that lives as long as the socket.
    const run = (event: unknown) => execute({ ...args, rootValue: event, contextValue: contextForEvent(context) });
    const executeOnce = (event: unknown): Result => {
      if (typeof event !== 'object' || event === null) return run(event);
      let perOperation = results.get(event);
      if (!perOperation) results.set(event, (perOperation = new Map()));
      let result = perOperation.get(key);
      if (!result) {
        result = run(event);
        perOperation.set(key, result);
        // Later subscribers take the value without waiting a turn.
        if (isPromise(result)) result.then((value) => perOperation!.get(key) === result && perOperation!.set(key, value), () => undefined);
      }
      return result;
    };

    let ended = false;
    // An event whose fields could not be read because the database was away is not its
    // answer: execute it again, in order, until the database is back, so that none is lost.
    const deliverable = async (event: unknown): Promise<ExecutionResult> => {
      for (let attempt = 0; ; attempt++) {
        const result = await executeOnce(event);
        if (ended || !result.errors?.some((e) => isDatabaseUnavailable(e))) return result;
        if (typeof event === 'object' && event !== null) results.get(event)?.delete(key);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]));
      }
    };

    const iterator = stream[Symbol.asyncIterator]();
    const pump = async () => {
      while (!ended) {
        const step = await iterator.next();
        if (step.done || ended) return;
        const ready = executeOnce(step.value);
        const result = isPromise(ready) || (ready as ExecutionResult).errors ? await deliverable(step.value) : (ready as ExecutionResult);
        if (ended) return;
        context.connection.sendNext(frameOf(result));
        while (!ended && context.connection.bufferedBytes() > MAX_BUFFERED) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const finished = pump();
    // graphql-ws asks for the end only while the operation runs; a failure after it has
    // gone (socket closed) must not become an unhandled rejection.
    finished.catch(() => undefined);
    const stop = async () => {
      ended = true;
      await iterator.return?.();
    };
    const silent: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => silent,
      next: () => finished.then(() => ({ done: true as const, value: undefined })),
      async return() {
        await stop();
        return { done: true, value: undefined };
      },
      async throw(error) {
        await stop();
        throw error;
      },
    };
    return silent;
  };
}
