import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, print } from 'graphql';
import type { Context } from '../../context';

type Result = ExecutionResult | Promise<ExecutionResult>;

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
  const printed = new WeakMap<DocumentNode, string>();
  const textOf = (document: DocumentNode) => {
    let text = printed.get(document);
    if (text === undefined) printed.set(document, (text = print(document)));
    return text;
  };

  return async function subscribe(args: ExecutionArgs) {
    const stream = await createSourceEventStream(args);
    if (!isAsyncIterable(stream)) return stream;
    const viewer = (args.contextValue as Context).viewer;
    const key = JSON.stringify([viewer.workspaceId, viewer.role, args.operationName ?? null, args.variableValues ?? null, textOf(args.document)]);

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

    const iterator = stream[Symbol.asyncIterator]();
    const mapped: AsyncIterableIterator<ExecutionResult> = {
      [Symbol.asyncIterator]: () => mapped,
      async next() {
        const step = await iterator.next();
        return step.done ? { done: true, value: undefined } : { done: false, value: await executeOnce(step.value) };
      },
      async return() {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
      async throw(error) {
        await iterator.return?.();
        throw error;
      },
    };
    return mapped;
  };
}
