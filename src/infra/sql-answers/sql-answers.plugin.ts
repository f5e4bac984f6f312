import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { FormattedExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { AnswerContext, AnswerFailed, AnswerRequest, NodeReaders, RootStatements } from './answer-fields';
import { answerRoots, ExecuteRest, mayAnswer, RootsAnswer } from './answer-roots';
import { isDatabaseUnavailable, unavailableHead } from '../http/database-unavailable';
import { parsedData } from './json-text';

/** A root field answered only alone in its document, by a function of its own (a report, under its timeout). */
export type AloneAnswer<C extends AnswerContext> = (ctx: C, schema: GraphQLSchema, request: AnswerRequest)
  => Promise<Record<string, unknown> | null>;

/** What PostgreSQL answers, handed in by the composition root: the features know their root fields, this plugin none. */
export interface SqlAnswers<C extends AnswerContext> {
  /** Root fields answered alone or several in one document (then in one statement). */
  statements: RootStatements<C>;
  /** Root fields answered alone, tried in order after `statements` decline; each returns null for any other document. */
  alone: Readonly<Record<string, AloneAnswer<C>>>;
  /** How each object type's fields are answered, for the statements' relations at any depth. */
  nodes: NodeReaders;
}

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** A query's whole answer from PostgreSQL, errors formatted as clients see them; root fields' JSON text as JsonText. */
export interface SqlAnswer {
  result: FormattedExecutionResult;
  /** The statement failed because the database is away: answered 503 with `Retry-After`, as resolvers' failures are. */
  unavailable?: boolean;
}

/** The answer to a query from PostgreSQL; null when it is not one of `answers`. */
export type SqlAnswerer<C extends AnswerContext> = (contextValue: C, schema: GraphQLSchema, request: AnswerRequest)
  => Promise<SqlAnswer | null>;

/**
 * Answers the queries of `answers` from PostgreSQL, before graphql-js executes anything; the
 * root fields beside them that no statement claims are executed by `rest` (the resolvers). A
 * statement that fails (a report past its timeout, a lost database) answers as graphql-js
 * would have: the error, formatted by `formatError`, at the root field.
 */
export function sqlAnswerer<C extends AnswerContext>(answers: SqlAnswers<C>, formatError: FormatError, rest?: ExecuteRest): SqlAnswerer<C> {
  const { statements, alone, nodes } = answers;
  const claimed = (name: string) => Object.hasOwn(statements, name) || Object.hasOwn(alone, name);
  return async (contextValue, schema, request) => {
    let answered: RootsAnswer | null = null;
    try {
      if (!mayAnswer(request, claimed)) return null;
      answered = await answerRoots(contextValue, schema, request, statements, nodes, rest);
      for (const answer of Object.values(alone)) {
        if (answered) break;
        const data = await answer(contextValue, schema, request);
        answered = data && { data };
      }
    } catch (err) {
      const failed = err instanceof AnswerFailed ? err : undefined;
      const error = new GraphQLError((err as Error).message, {
        nodes: failed?.root.nodes, path: failed && [failed.root.key], originalError: failed?.cause ?? (err as Error),
      });
      return { result: { data: null, errors: [formatError(error.toJSON(), error)] }, unavailable: isDatabaseUnavailable(err) };
    }
    if (!answered) return null;
    const { data, errors } = answered;
    return { result: errors?.length ? { errors: errors.map((e) => formatError(e.toJSON(), e)), data } : { data } };
  };
}

/**
 * Apollo's seam for `answer`: every other operation executes as usual. Validation, query
 * limits, the context and the response hooks (metrics, logs, status codes) run as for any operation.
 */
export function sqlAnswersPlugin<C extends AnswerContext>(answer: SqlAnswerer<C>): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue, schema, document, operation, request }) {
          if (!operation) return null;
          // One request object for every answer: its root fields are collected once.
          const answered = await answer(contextValue, schema, { document, operation, inputs: request.variables });
          if (!answered) return null;
          const http = answered.unavailable ? unavailableHead() : { status: undefined, headers: new HeaderMap() };
          const { result } = answered;
          return { http, body: { kind: 'single', singleResult: { ...result, data: parsedData(result.data) } } };
        },
      };
    },
  };
}
