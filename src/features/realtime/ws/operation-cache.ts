import { ExecutionArgs, GraphQLError } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';

/** graphql-ws `onSubscribe`-style validation: arguments to execute, or the errors to return. */
export type Validate = (ctx: unknown, id: string, payload: SubscribePayload) => ExecutionArgs | readonly GraphQLError[];

/**
 * Remembers operations that passed validation, by text, name and variables (the limits
 * price `first: $n` by its value). Wallboards subscribe with the same few documents, so a
 * reconnect storm parses and validates each once, and their subscriptions share one
 * document instead of holding a parse tree each. Least recently used entries go first.
 */
export function cachedValidation(validate: Validate, size = 500): Validate {
  const cache = new Map<string, ExecutionArgs>();
  return (ctx, id, payload) => {
    const key = JSON.stringify([payload.operationName ?? null, payload.query, payload.variables ?? null]);
    const hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      // graphql-ws writes context and root into the arguments: each operation gets its own copy.
      return { ...hit };
    }
    const result = validate(ctx, id, payload);
    if (Array.isArray(result)) return result;
    const args = result as ExecutionArgs;
    cache.set(key, args);
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return { ...args };
  };
}
