import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { Context } from '../../context';
import { dealStatement } from '../deal-detail/deal-answer';
import { answerDealAggregates } from '../reports/aggregates.answer';
import { AnswerFailed, answerRoots, mayAnswer, RootStatements } from './answer-fields';
import { boardStatement, pipelinesStatement } from './board-answer';
import { dealListStatement } from './deal-list-answer';
import { leadListStatement } from './lead-list-answer';

/** The root fields PostgreSQL can answer, alone or several in one document (then in one statement). */
const ROOT_STATEMENTS: RootStatements = {
  pipeline: boardStatement, pipelines: pipelinesStatement, deal: dealStatement, deals: dealListStatement, leads: leadListStatement,
};
/** A report answered alone, under the report timeout. */
const REPORT_ROOT = 'dealAggregates';
const claimed = (name: string) => Object.hasOwn(ROOT_STATEMENTS, name) || name === REPORT_ROOT;

/**
 * Answers board, pipelines, deal, deals-list, leads-list and deal-aggregate queries from PostgreSQL (see ROOT_STATEMENTS), before
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
            // One request object for both answers: its root fields are collected once.
            const answerRequest = { document, operation, inputs: request.variables };
            if (!mayAnswer(answerRequest, claimed)) return null;
            data = await answerRoots(contextValue, schema, answerRequest, ROOT_STATEMENTS)
              ?? await answerDealAggregates(contextValue, schema, answerRequest);
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
