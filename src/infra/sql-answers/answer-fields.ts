import { DocumentNode, GraphQLObjectType, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { EntityManager } from 'typeorm';
import { PlanChoice } from '../db/prepared';
import { SqlParams } from '../db/sql-params';
import { SelectedField } from '../graphql/selection';
import { jsonArray, JsonField, jsonObject, leafField } from './json-fields';

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
   * for each execution's values when one of them needs it, else generic; unset (no list),
   * PostgreSQL's choice.
   */
  plan?: PlanChoice;
  /** How each object type's fields are answered: a relation reads its target type's, to any depth. */
  nodes: NodeReaders;
  /** A row alias no other part of the statement uses (for a relation nested in another). */
  alias: () => string;
  /**
   * The statement reads values a client wrote (a cursor's sort keys): PostgreSQL may refuse
   * them (a data exception), and then the general path answers, with its BAD_USER_INPUT.
   */
  readsCursor?: boolean;
  /**
   * While the items of a root list's page are read: the single-row relations of its rows (and
   * of the rows joined to them, `rows`) are joined beside the page once (`joins`) rather than
   * read per row. Null inside a nested list, whose rows have another page per parent.
   */
  pageJoins?: PageJoins | null;
}

/** Joins beside a page's rows: see `Reader.pageJoins`. `rows`: the aliases a join may hang from. */
export interface PageJoins {
  rows: string[];
  joins: string[];
}

/**
 * How a feature answers a field of its object type over the row alias `row`: a leaf, or a
 * relation read by the target type's reader (`related`, `relatedList`). Throws NotThisShape for
 * a field it does not answer.
 */
export type NodeReader = (r: Reader, field: SelectedField, row: string) => JsonField;

/** The node readers by GraphQL object type, handed in by the composition root. */
export type NodeReaders = Readonly<Record<string, NodeReader>>;

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

/** The object `field` selects of GraphQL type `type`, over the row alias `row`, as that type's reader answers it: SQL of its JSON text. */
export function objectOf(r: Reader, type: string, field: SelectedField, row: string): string {
  const read = r.nodes[type];
  if (!read) throw new NotThisShape();
  return jsonObject(field.below.fields.map((f) => read(r, f, row)));
}

/**
 * An object of type `type` that the parent row names by a column (`reference`, e.g. `t.owner_id`),
 * as the by-id loaders find it: in the viewer's workspace (and meeting `condition`, over the
 * object's alias), null when there is none. Of a root list's rows, and of rows joined to them,
 * it is joined beside the page: a sub-select per row reads a one-page table (the stages) by
 * scanning all of it, once per row, where a join reads it once (the `owner` list's statement:
 * 0.57 against 0.32 ms; bench/RESULTS.md).
 */
export function related(r: Reader, field: SelectedField, type: string, table: string, reference: string,
  condition: (alias: string) => string = () => ''): JsonField {
  const x = r.alias();
  const match = `${x}.id = ${reference} AND ${x}.workspace_id = ${r.workspace}${condition(x)}`;
  const scope = r.pageJoins;
  if (scope && scope.rows.some((row) => reference.startsWith(`${row}.`))) {
    // Before its fields are read: their own relations join after it, hanging from it.
    scope.joins.push(`LEFT JOIN ${table} ${x} ON ${match}`);
    scope.rows.push(x);
    return { key: field.key, json: `CASE WHEN ${x}.id IS NULL THEN 'null' ELSE ${objectOf(r, type, field, x)} END` };
  }
  return { key: field.key, json: `coalesce((SELECT ${objectOf(r, type, field, x)} FROM ${table} ${x} WHERE ${match}), 'null')` };
}

/**
 * The objects of type `type` in `table` that belong to the parent row (`where`, over their
 * alias), in the viewer's workspace, ordered as their loader orders them (`orderBy`).
 */
export function relatedList(r: Reader, field: SelectedField, type: string, table: string,
  { where, orderBy }: { where: (alias: string) => string; orderBy: (alias: string) => string }): JsonField {
  const x = r.alias();
  return {
    key: field.key,
    json: `(SELECT ${jsonArray(objectOf(r, type, field, x), orderBy(x))}
      FROM ${table} ${x} WHERE ${where(x)} AND ${x}.workspace_id = ${r.workspace})`,
  };
}

/** Builds the statement for a root field: SQL whose one row holds `answer`, the field's JSON text. */
export type RootStatement<C extends AnswerContext = AnswerContext> =
  (r: Reader<C>, root: SelectedField, args: Record<string, unknown>) => string;

/** The root statements that may share one statement, by root field name. */
export type RootStatements<C extends AnswerContext = AnswerContext> = Readonly<Record<string, RootStatement<C>>>;

/**
 * Sends the statement (by default prepared, on the pool); reports run theirs under the report
 * timeout. `answer` is the field's JSON text, or its value where the caller builds it (a report's rows).
 */
export type RunStatement = (sql: string, values: unknown[], plan: PlanChoice) => Promise<{ answer: unknown }[]>;

/** What one request brings to an answer: its document, operation and raw variables. */
export interface AnswerRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  inputs: Record<string, unknown> | undefined;
}
