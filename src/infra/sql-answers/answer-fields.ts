import { DocumentNode, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { EntityManager } from 'typeorm';
import { PlanChoice } from '../db/prepared';
import { SqlParams } from '../db/sql-params';
import { SelectedField } from '../graphql/selection';
import { JsonField, jsonObject, leafField } from './json-fields';

/**
 * Reading a document into one statement that builds its answer (the root statements each
 * feature writes beside its resolver): a field the statement cannot answer (a computed one,
 * such as `isStalled`) throws NotThisShape, caught once at the top, and graphql-js answers
 * instead. The fields are read as graphql-js collects them (Selection), so every spelling of
 * the same fields (fragments, aliases, @include/@skip, a field asked twice) builds the same statement.
 */
export class NotThisShape extends Error {
  constructor() {
    // Thrown and caught on every document this path leaves to graphql-js: no stack trace to capture.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super('not this shape');
    Error.stackTraceLimit = limit;
  }
}

/** A statement that failed while answering `root`: reported at that field, as graphql-js would. */
export class AnswerFailed extends Error {
  constructor(readonly cause: Error, readonly root: SelectedField) {
    super(cause.message);
  }
}

/**
 * What a statement needs of the request's context: the manager that reads and the caller's
 * workspace (reading `viewer` may throw a DomainError, such as UNAUTHENTICATED). The app's
 * own context has both, and more that a feature's statement may read (`Reader<Context>`).
 */
export interface AnswerContext {
  readonly db: EntityManager;
  readonly viewer: { readonly workspaceId: string };
}

/** What a reader carries: the request, the coerced variables and the statement's parameters. */
export interface Reader<C extends AnswerContext = AnswerContext> {
  ctx: C;
  schema: GraphQLSchema;
  params: SqlParams;
  /** The parameter holding the viewer's workspace: every table is scoped by it. */
  workspace: string;
  /**
   * How the statement is to be planned, as its lists say (`KeysetQuery.onePlanForAllValues`):
   * generic when one of them asks for it and none for custom; unset, PostgreSQL's choice.
   */
  plan?: PlanChoice;
}

export const typeOf = (r: Reader, name: string) => r.schema.getType(name) as GraphQLObjectType;

/** A field with arguments or a selection where a leaf is expected, and the reverse, are not this shape. */
export const hasArguments = (field: SelectedField) => Boolean(field.nodes[0].arguments?.length);
export const isLeaf = (field: SelectedField) => !field.nodes[0].selectionSet;

/** A leaf field of `entity` (GraphQL type `type`) over row alias `row`. */
export function leaf(r: Reader, entity: Function, type: string, field: SelectedField, row: string): JsonField {
  const json = leafField(r.ctx.db, entity, typeOf(r, type), field, row);
  if (!json) throw new NotThisShape();
  return json;
}

/**
 * An object the parent row names by a column (`reference`, e.g. `t.owner_id`), with leaf
 * fields, as the by-id loaders find it: in the viewer's workspace, null when there is none.
 */
export function related(r: Reader, field: SelectedField, entity: Function, type: string, table: string, reference: string): JsonField {
  const fields = field.below.fields.map((f) => leaf(r, entity, type, f, 'x'));
  return {
    key: field.key,
    sql: `(SELECT ${jsonObject(fields)} FROM ${table} x WHERE x.id = ${reference} AND x.workspace_id = ${r.workspace})`,
  };
}

/** Builds the statement for a root field: SQL whose one row holds `answer`, the field's JSON value. */
export type RootStatement<C extends AnswerContext = AnswerContext> =
  (r: Reader<C>, root: SelectedField, args: Record<string, unknown>) => string;

/** The root statements that may share one statement, by root field name. */
export type RootStatements<C extends AnswerContext = AnswerContext> = Readonly<Record<string, RootStatement<C>>>;

/** Sends the statement (by default prepared, on the pool); reports run theirs under the report timeout. */
export type RunStatement = (sql: string, values: unknown[], plan: PlanChoice) => Promise<{ answer: Record<string, unknown> }[]>;

/** What one request brings to an answer: its document, operation and raw variables. */
export interface AnswerRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  inputs: Record<string, unknown> | undefined;
}
