import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

/** Node and PostgreSQL codes of a database that is down, restarting or out of connections. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', // admin shutdown, crash shutdown, cannot connect now
  '08000', '08001', '08003', '08004', '08006', // connection exceptions
  '53300', // too many connections
]);

/** TypeORM's names for a connection lost under a running transaction. */
const UNAVAILABLE_NAMES = new Set(['QueryRunnerProviderAlreadyReleasedError', 'QueryRunnerAlreadyReleasedError', 'ConnectionIsNotSetError']);

/** node-postgres says these in words only. */
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is not established|the database system is (starting up|shutting down)/i;

/** What clients see while the database is away: a retryable answer, never a hang. */
export const UNAVAILABLE_MESSAGE = 'The database is unavailable; retry in a moment';

/** Waits between a live subscription's reads while the database is unavailable: it waits, it does not fail. */
export const UNAVAILABLE_RETRY_MS = [100, 250, 500, 1_000, 2_000];

/** Seconds a client should wait before retrying (`Retry-After`). */
export const RETRY_AFTER_SECONDS = 1;

/** Whether `error`, or anything it wraps, says the database cannot be reached right now. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, name, message, driverError, originalError, cause, thrownValue } = error as Record<string, unknown>;
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  if (typeof name === 'string' && UNAVAILABLE_NAMES.has(name)) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message)) return true;
  // graphql-js wraps a thrown non-Error (pg's connect failure, through TypeORM) as `thrownValue`.
  return [driverError, originalError, cause, thrownValue].some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** The HTTP head of an unavailable answer: 503 with `Retry-After`. */
export function unavailableHead() {
  return { status: 503, headers: new HeaderMap([['retry-after', String(RETRY_AFTER_SECONDS)]]) };
}

/**
 * Wraps Apollo's context function: a database outage while identifying the caller answers
 * 503 with `Retry-After` and a retryable error, not Apollo's "Context creation failed" 500.
 */
export function unavailableAs503<A extends unknown[], R>(contextFn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await contextFn(...args);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      throw new GraphQLError(UNAVAILABLE_MESSAGE, { originalError: err as Error, extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true, http: unavailableHead() } });
    }
  };
}

/** The head of a response without data because the database was away: 503 with `Retry-After`; else undefined. */
export function unavailableResponseHead(errors: readonly unknown[] | undefined, data: unknown) {
  if (!errors?.length || data || !errors.some((e) => isDatabaseUnavailable(e))) return undefined;
  return unavailableHead();
}

/** A response without data because the database was away is 503 with `Retry-After`. */
export const unavailableStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        if (response.body.kind !== 'single') return;
        const head = unavailableResponseHead(errors, response.body.singleResult.data);
        if (!head) return;
        response.http.status = head.status;
        for (const [name, value] of head.headers) response.http.headers.set(name, value);
      },
    };
  },
};
