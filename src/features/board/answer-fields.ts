import { DocumentNode, FragmentDefinitionNode, getVariableValues, GraphQLObjectType, GraphQLSchema, Kind, OperationDefinitionNode } from 'graphql';
import type { Context } from '../../context';
import { queryPrepared } from '../../infra/db/prepared';
import { SqlParams } from '../../infra/db/sql-params';
import { DomainError } from '../../infra/errors/domain-errors';
import { SelectedField, Selection } from '../../infra/graphql/selection';
import { JsonField, jsonObject, leafField } from './json-fields';

/**
 * Reading a document into one statement that builds its answer (board-answer.ts,
 * deal-detail/deal-answer.ts): a field the statement cannot answer (a computed one, such as
 * `isStalled`) throws NotThisShape, caught once at the top, and graphql-js answers instead.
 * The fields are read as graphql-js collects them (Selection), so every spelling of the same
 * fields (fragments, aliases, @include/@skip, a field asked twice) builds the same statement.
 */
export class NotThisShape extends Error {}

/** A statement that failed while answering `root`: reported at that field, as graphql-js would. */
export class AnswerFailed extends Error {
  constructor(readonly cause: Error, readonly root: SelectedField) {
    super(cause.message);
  }
}

/** What a reader carries: the request, the coerced variables and the statement's parameters. */
export interface Reader {
  ctx: Context;
  schema: GraphQLSchema;
  params: SqlParams;
  /** The parameter holding the viewer's workspace: every table is scoped by it. */
  workspace: string;
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
export type RootStatement = (r: Reader, root: SelectedField, args: Record<string, unknown>) => string;

/** Sends the statement (by default prepared, on the pool); reports run theirs under the report timeout. */
export type RunStatement = (sql: string, values: unknown[]) => Promise<{ answer: Record<string, unknown> }[]>;

/** What one request brings to an answer: its document, operation and raw variables. */
export interface AnswerRequest {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  inputs: Record<string, unknown> | undefined;
}

const fragmentsOf = (document: DocumentNode) => Object.fromEntries(document.definitions
  .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));

/**
 * The `data` of a query whose only field is `rootName`, built by PostgreSQL in the one
 * statement `statement` writes. Null for any other document, for a field the statement does
 * not answer, for arguments or a caller the general path refuses, and when the row is not
 * there: the general path then answers, and reports its errors at the field they belong to.
 */
export async function answerRootField(ctx: Context, schema: GraphQLSchema, request: AnswerRequest, rootName: string,
  statement: RootStatement, run: RunStatement = (sql, values) => queryPrepared(ctx.db, sql, values)): Promise<Record<string, unknown> | null> {
  const { operation } = request;
  if (operation.operation !== 'query') return null;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.inputs ?? {});
  if (variables.errors) return null;
  const roots = Selection.ofOperation({ schema, fragments: fragmentsOf(request.document), variableValues: variables.coerced, operation }).fields;
  if (roots.length !== 1 || roots[0].name !== rootName) return null;
  const [root] = roots;
  const params = new SqlParams();
  let sql: string;
  try {
    const r: Reader = { ctx, schema, params, workspace: params.add(ctx.viewer.workspaceId) };
    sql = statement(r, root, root.args());
  } catch (err) {
    // A domain error (no viewer, a malformed id or argument) is the general path's to report.
    if (err instanceof NotThisShape || err instanceof DomainError) return null;
    throw err;
  }
  const [row] = await run(sql, params.values).catch((err: Error) => {
    throw new AnswerFailed(err, root);
  });
  return row ? { [root.key]: row.answer } : null;
}
