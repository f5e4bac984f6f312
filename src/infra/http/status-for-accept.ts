import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

/** Apollo's codes for a request that does not parse, validate or coerce its variables. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

const JSON_TYPE = 'application/json';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json';

/** The media type Apollo answers in for this Accept header (no header: JSON). */
function negotiated(accept: string | undefined): string | undefined {
  if (!accept) return JSON_TYPE;
  return new Negotiator({ headers: { accept } }).mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE]);
}

/**
 * The GraphQL-over-HTTP spec's status codes: a request that fails to parse or validate
 * (query limits included) is 400 for `application/graphql-response+json`, but 200 for
 * plain `application/json`, whose clients read the errors from the body. Apollo answers 400
 * for both; this gives the status for the second.
 */
export function statusForAcceptOf(status: number | undefined, accept: string | undefined,
  errors: readonly { extensions?: Record<string, unknown> }[] | undefined): number | undefined {
  if (status !== 400 || !errors?.length) return status;
  if (negotiated(accept) !== JSON_TYPE) return status;
  return errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code))) ? 200 : status;
}

/** Apollo's seam for statusForAcceptOf. */
export const statusForAccept: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, response, errors }) {
        response.http.status = statusForAcceptOf(response.http.status, request.http?.headers.get('accept'), errors);
      },
    };
  },
};
