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
 * for both; this sets 200 for the second.
 */
export const statusForAccept: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ request, response, errors }) {
        if (response.http.status !== 400 || !errors?.length) return;
        if (negotiated(request.http?.headers.get('accept')) !== JSON_TYPE) return;
        const requestErrors = errors.every((e) => REQUEST_ERROR_CODES.has(String(e.extensions?.code)));
        if (requestErrors) response.http.status = 200;
      },
    };
  },
};
