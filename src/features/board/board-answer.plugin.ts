import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import type { Context } from '../../context';
import { answerDeal } from '../deal-detail/deal-answer';
import { answerBoard } from './board-answer';
import { answerDealList } from './deal-list-answer';

/** The operations PostgreSQL can answer whole, tried in turn (each first checks its root field). */
const ANSWERS = [answerBoard, answerDeal, answerDealList];

/**
 * Answers board, deal and deals-list queries with the JSON PostgreSQL builds (see ANSWERS), before
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
          let data: Record<string, unknown> | null = null;
          for (const answer of ANSWERS) {
            data ??= await answer(contextValue, schema, operation, request.variables);
          }
          if (!data) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
