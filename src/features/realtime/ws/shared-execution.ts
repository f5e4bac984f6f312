import { createSourceEventStream, DocumentNode, ExecutionArgs, ExecutionResult, print } from 'graphql';
import type { Context } from '../../../context';
import { Delivery } from './delivery';
import { isLiveSource, LiveSource } from './live-source';
import { SharedFrame } from './shared-frame';
import { SharedResults } from './shared-results';
import type { SubscriptionContext } from './subscription-context';

/**
 * graphql-js executes a subscription's selection set once per subscriber per event, and
 * graphql-ws serialises each result per subscriber. Events and metrics here are single
 * objects handed to every local subscriber of a pipeline, so this `subscribe` executes each
 * object once per distinct operation (same document, variables, workspace and role),
 * serialises and encodes that result once (`frameOf`), and writes the same bytes to every
 * subscriber's socket itself, behind the subscriber's own message prefix, in order.
 */
export function createSharedSubscribe(contextForEvent: (subscriptionContext: Context, value: object) => Context, frameOf: (result: ExecutionResult) => SharedFrame) {
  const results = new SharedResults(frameOf);
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

  return async function subscribe(args: ExecutionArgs): Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>> {
    const stream = await createSourceEventStream(args);
    if (!isLiveSource(stream)) {
      if (Symbol.asyncIterator in Object(stream)) throw new Error('A subscription here must return a LiveSource');
      return stream as ExecutionResult;
    }
    const context = args.contextValue as SubscriptionContext;
    const delivery = new Delivery(stream as LiveSource<object>, keyFor(args, context.viewer), results, args, contextForEvent);
    stream.attach(delivery);
    return delivery;
  };
}
