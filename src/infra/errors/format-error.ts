import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { isDatabaseUnavailable, UNAVAILABLE_MESSAGE } from '../http/database-unavailable';
import { DomainError } from './domain-errors';

/** Codes graphql-js and Apollo give to requests that do not parse or validate. */
const BAD_REQUEST_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'BAD_USER_INPUT']);

/** PostgreSQL error codes that are the client's doing, not ours. */
function fromDatabase(error: unknown): { code: string; message: string } | undefined {
  const pgCode = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code
    ?? (error as { code?: string })?.code;
  switch (pgCode) {
    case '57014':
      return { code: 'QUERY_TOO_COMPLEX', message: 'The query ran longer than the statement timeout; narrow its filters' };
    case '40001':
    case '40P01':
      return { code: 'CONFLICT', message: 'A concurrent change got there first; retry' };
    default:
      return undefined;
  }
}

/**
 * The one place errors become what clients see: domain errors keep their code and message,
 * request errors become BAD_USER_INPUT, everything else is masked and logged in full.
 */
export function createErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // A query-limit breach is a validation error caused by a domain error (infra/limits).
    const domain = original instanceof DomainError ? original
      : original instanceof GraphQLError && original.originalError instanceof DomainError ? original.originalError : undefined;
    if (domain) {
      return { ...formatted, message: domain.message, extensions: { code: domain.code, ...domain.details } };
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original, path: formatted.path }, 'database unavailable');
      return { message: UNAVAILABLE_MESSAGE, path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true } };
    }
    const database = fromDatabase(original);
    if (database) return { ...formatted, message: database.message, extensions: { code: database.code } };
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && BAD_REQUEST_CODES.has(code)) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    if (original instanceof GraphQLError && !original.originalError && code === undefined) {
      // A graphql-js error about the request itself (e.g. a bad variable).
      return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, path: formatted.path }, 'internal error');
    return { message: 'Internal server error', path: formatted.path, locations: formatted.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
