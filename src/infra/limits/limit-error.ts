import { GraphQLError, ASTNode } from 'graphql';
import { QueryTooComplexError } from '../errors/domain-errors';

/**
 * A limit breach as a validation error. It carries `QUERY_TOO_COMPLEX` itself (graphql-ws
 * sends it as is) and a `QueryTooComplexError` as its cause, which the HTTP error formatter
 * maps back after Apollo has relabelled every validation error.
 */
export function limitError(message: string, limit: string, max: number, actual: number, nodes?: readonly ASTNode[]): GraphQLError {
  const details = { limit, max, actual };
  return new GraphQLError(message, {
    nodes,
    extensions: { code: 'QUERY_TOO_COMPLEX', ...details },
    originalError: new QueryTooComplexError(message, details),
  });
}
