import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, print } from 'graphql';
import type { Context } from '../../context';
import { isDatabaseUnavailable } from '../../infra/http/database-unavailable';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Waits between executions of an event while the database is unavailable. */
const RETRY_MS = [100, 250, 500, 1_000, 2_000];

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

/**
 * graphql-js executes a subscription's selection set once per subscriber per event. Events
 * and metrics here are single objects handed to every local subscriber of a pipeline, so
 * this `subscribe` executes each object once per distinct operation (same document,
 * variables, workspace and role) and gives every subscriber the same result: the work per
 * event does not grow with the audience.
 */
export function createSharedSubscribe(contextForEvent: (subscriptionContext: Context) => Context) {
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
    const viewer = (args.contextValue as Context).viewer;
    const key = keyFor(args, viewer);

    // A fresh context (fresh loaders) per event, never one that lives as long as the socket.
    const run = (event: unknown) => execute({ ...args, rootValue: event, contextValue: contextForEvent(args.contextValue as Context) });
    const executeOnce = (event: unknown): Result => {
      if (typeof event !== 'object' || event === null) return run(event);
      let perOperation = results.get(event);
      if (!perOperation) results.set(event, (perOperation = new Map()));
      let result = perOperation.get(key);
      if (!result) perOperation.set(key, (result = run(event)));
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
    const mapped: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => mapped,
      async next() {
        const step = await iterator.next();
        return step.done ? { done: true, value: undefined } : { done: false, value: await deliverable(step.value) };
      },
      async return() {
        ended = true;
        await iterator.return?.();
        return { done: true, value: undefined };
      },
      async throw(error) {
        ended = true;
        await iterator.return?.();
        throw error;
      },
    };
    return mapped;
  };
}
