import { createSourceEventStream, DocumentNode, ExecutionArgs, ExecutionResult, print } from 'graphql';
import type { Context } from '../../../context';
import type { Viewer } from '../../workspaces/viewer';
import { Delivery, SharedOperation } from './delivery';
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
 * subscriber's socket itself, behind the subscriber's own message prefix, in order. A
 * subscriber keeps neither its context nor its arguments: those of its operation are shared.
 */
export function createSharedSubscribe(contextForEvent: (viewer: Viewer, value: object) => Context, frameOf: (result: ExecutionResult) => SharedFrame) {
  const results = new SharedResults(frameOf);
  // Operations per document, interned: thousands of subscribers of one wallboard share one.
  const operationsOf = new WeakMap<DocumentNode, Map<string, SharedOperation>>();
  const operationFor = (args: ExecutionArgs, viewer: Viewer): SharedOperation => {
    let operations = operationsOf.get(args.document);
    if (!operations) operationsOf.set(args.document, (operations = new Map()));
    const local = JSON.stringify([viewer.workspaceId, viewer.role, args.operationName ?? null, args.variableValues ?? null]);
    let operation = operations.get(local);
    if (operation === undefined) {
      const { schema, document, variableValues, operationName } = args;
      operations.set(local, (operation = { key: `${local}\n${print(document)}`, args: { schema, document, variableValues, operationName } }));
    }
    return operation;
  };

  return async function subscribe(args: ExecutionArgs): Promise<ExecutionResult | Delivery> {
    const stream = await createSourceEventStream(args);
    if (!isLiveSource(stream)) {
      if (Symbol.asyncIterator in Object(stream)) throw new Error('A subscription here must return a LiveSource');
      return stream as ExecutionResult;
    }
    const { viewer, connection } = args.contextValue as SubscriptionContext;
    const delivery = new Delivery(stream as LiveSource<object>, operationFor(args, viewer), results, viewer, connection, contextForEvent);
    stream.attach(delivery);
    return delivery;
  };
}
