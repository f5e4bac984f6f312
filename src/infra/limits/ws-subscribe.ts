import { DocumentNode, ExecutionArgs, GraphQLError, GraphQLSchema, parse } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { validateWithLimits } from './index';
import { QueryLimits } from './limits.config';

/** What the WebSocket door's validation needs. */
export interface LimitedSubscribeOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  /** Production: validation messages do not suggest field names. */
  hideSuggestions?: boolean;
}

/**
 * An `onSubscribe` for graphql-ws that applies the query limits to the WebSocket door, which
 * otherwise validates with graphql-js's default rules only. Parse and validation errors are
 * returned, not thrown: thrown, they would close the socket (4500) and end every other
 * subscription on it. The returned arguments leave context and root to the server options.
 */
export function limitedOnSubscribe(options: LimitedSubscribeOptions) {
  return (_ctx: unknown, _id: string, payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(payload.query);
    } catch (err) {
      if (err instanceof GraphQLError) return [err];
      throw err;
    }
    const variables = payload.variables ?? {};
    const errors = validateWithLimits(options.schema, document, options.limits, { variables, hideSuggestions: options.hideSuggestions });
    if (errors.length > 0) return errors;
    return { schema: options.schema, document, variableValues: variables, operationName: payload.operationName ?? undefined };
  };
}
