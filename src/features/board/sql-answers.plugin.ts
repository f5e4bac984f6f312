import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Context } from '../../context';
import { answerDeal } from '../deal-detail/deal-answer';
import { answerDealAggregates } from '../reports/aggregates.answer';
import { AnswerFailed } from './answer-fields';
import { answerBoard } from './board-answer';
import { answerDealList } from './deal-list-answer';

/** The operations PostgreSQL can answer whole, tried in turn (each first checks its root field). */
const ANSWERS = [answerBoard, answerDeal, answerDealList, answerDealAggregates];

/**
 * Answers board, deal, deals-list and deal-aggregate queries from PostgreSQL (see ANSWERS), before
 * graphql-js executes anything; every other operation executes as usual. Validation, query
 * limits, the context and the response hooks (metrics, logs, status codes) run as for any
 * operation. A statement that fails (a report past its timeout, a lost database) answers as
 * graphql-js would have: the error, formatted by `formatError`, at the root field.
 */
export function sqlAnswersPlugin(formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, schema, document, operation, request }) {
          if (!operation) return null;
          let data: Record<string, unknown> | null = null;
          try {
            for (const answer of ANSWERS) {
              data ??= await answer(contextValue, schema, { document, operation, inputs: request.variables });
            }
          } catch (err) {
            const failed = err instanceof AnswerFailed ? err : undefined;
            const error = new GraphQLError((err as Error).message, {
              nodes: failed?.root.nodes, path: failed && [failed.root.key], originalError: failed?.cause ?? (err as Error),
            });
            return {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data: null, errors: [formatError(error.toJSON(), error)] } },
            };
          }
          if (!data) return null;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
