import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { Context } from '../../context';
import { answerBoard } from './board-answer';

/**
 * Answers board queries with the JSON PostgreSQL builds (see `answerBoard`), before
 * graphql-js executes anything; every other operation executes as usual. Validation, query
 * limits, the context and the response hooks (metrics, logs, status codes) run as for any
 * operation.
 */
export function boardAnswerPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, schema, operation, request }) {
          if (!operation) return null;
          const data = await answerBoard(contextValue, schema, operation, request.variables);
          if (!data) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
