import {
  DocumentNode, FragmentDefinitionNode, getVariableValues, GraphQLObjectType, GraphQLSchema, Kind, OperationDefinitionNode, SelectionNode,
} from 'graphql';
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

const rootFields = new WeakMap<AnswerRequest, readonly SelectedField[] | null>();

/** The root fields of a query as graphql-js collects them, once per request; null when its variables do not coerce. */
function rootFieldsOf(schema: GraphQLSchema, request: AnswerRequest): readonly SelectedField[] | null {
  if (!rootFields.has(request)) {
    const { operation } = request;
    const variables = operation.operation === 'query'
      ? getVariableValues(schema, operation.variableDefinitions ?? [], request.inputs ?? {}) : undefined;
    rootFields.set(request, variables?.coerced
      ? Selection.ofOperation({ schema, fragments: fragmentsOf(request.document), variableValues: variables.coerced, operation }).fields
      : null);
  }
  return rootFields.get(request)!;
}

/** The root statements that may share one statement, by root field name. */
export type RootStatements = Readonly<Record<string, RootStatement>>;

/** Top-level field names of an operation as written (fragments followed, directives ignored), once per operation. */
const writtenRoots = new WeakMap<OperationDefinitionNode, ReadonlySet<string>>();

function rootNamesWritten(request: AnswerRequest): ReadonlySet<string> {
  let names = writtenRoots.get(request.operation);
  if (!names) {
    const found = new Set<string>();
    const fragments = fragmentsOf(request.document);
    const seen = new Set<string>();
    const walk = (selections: readonly SelectionNode[]) => {
      for (const s of selections) {
        if (s.kind === Kind.FIELD) found.add(s.name.value);
        else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet.selections);
        else if (!seen.has(s.name.value) && fragments[s.name.value]) {
          seen.add(s.name.value);
          walk(fragments[s.name.value].selectionSet.selections);
        }
      }
    };
    walk(request.operation.selectionSet.selections);
    writtenRoots.set(request.operation, (names = found));
  }
  return names;
}

/**
 * Whether a query may be answered from `claimed` root fields: at least one of them is written
 * at its root. A cheap look at the text (cached per document), so that the documents no
 * statement answers (`{ __typename }`, mutations) never pay for collecting their fields.
 */
export function mayAnswer(request: AnswerRequest, claimed: (name: string) => boolean): boolean {
  if (request.operation.operation !== 'query') return false;
  for (const name of rootNamesWritten(request)) if (claimed(name)) return true;
  return false;
}

/** Runs `statement` for one reader; null when a field is not this shape or the general path must report an error. */
function built(ctx: Context, schema: GraphQLSchema, write: (r: Reader) => string): { sql: string; params: SqlParams } | null {
  const params = new SqlParams();
  try {
    const r: Reader = { ctx, schema, params, workspace: params.add(ctx.viewer.workspaceId) };
    const sql = write(r);
    // PostgreSQL refuses a parameter the statement never reads: one whose fields needed no
    // scope (`deals { __typename }`) still reads the workspace's.
    return { sql: /\$1(?!\d)/.test(sql) ? sql : `SELECT * FROM (${sql}) q WHERE ${r.workspace}::text IS NOT NULL`, params };
  } catch (err) {
    // A domain error (no viewer, a malformed id or argument) is the general path's to report.
    if (err instanceof NotThisShape || err instanceof DomainError) return null;
    throw err;
  }
}

/**
 * The `data` of a query whose every root field is claimed by `statements` (and `__typename`),
 * built by PostgreSQL in one statement: each root field's statement is a column of it. Null
 * when a root field is not claimed or not this shape, when a root object is not there (the
 * general path answers NOT_FOUND at its field) and, for several root fields, when the statement
 * fails (the general path reports the error at the field it belongs to). One root field's
 * failure is reported at that field (AnswerFailed).
 */
export async function answerRoots(ctx: Context, schema: GraphQLSchema, request: AnswerRequest,
  statements: RootStatements): Promise<Record<string, unknown> | null> {
  const roots = rootFieldsOf(schema, request);
  if (!roots?.length || !roots.some((root) => Object.hasOwn(statements, root.name))) return null;
  if (roots.length === 1) {
    const [root] = roots;
    return answerRootField(ctx, schema, request, root.name, statements[root.name]);
  }
  const statement = built(ctx, schema, (r) => {
    const columns = roots.map((root, i) => {
      if (root.name === '__typename') return `'${schema.getQueryType()!.name}' AS r${i}`;
      if (!Object.hasOwn(statements, root.name)) throw new NotThisShape();
      return `(SELECT q.answer FROM (${statements[root.name](r, root, root.args())}) q) AS r${i}`;
    });
    return `SELECT ${columns.join(', ')}`;
  });
  if (!statement) return null;
  let row: Record<string, unknown> | undefined;
  try {
    [row] = await queryPrepared(ctx.db, statement.sql, statement.params.values);
  } catch {
    return null;
  }
  if (!row || roots.some((_, i) => row![`r${i}`] === null)) return null;
  return Object.fromEntries(roots.map((root, i) => [root.key, row![`r${i}`]]));
}

/**
 * The `data` of a query whose only field is `rootName`, built by PostgreSQL in the one
 * statement `statement` writes. Null for any other document, for a field the statement does
 * not answer, for arguments or a caller the general path refuses, and when the row is not
 * there: the general path then answers, and reports its errors at the field they belong to.
 */
export async function answerRootField(ctx: Context, schema: GraphQLSchema, request: AnswerRequest, rootName: string,
  statement: RootStatement, run: RunStatement = (sql, values) => queryPrepared(ctx.db, sql, values)): Promise<Record<string, unknown> | null> {
  const roots = rootFieldsOf(schema, request);
  if (roots?.length !== 1 || roots[0].name !== rootName) return null;
  const [root] = roots;
  const made = built(ctx, schema, (r) => statement(r, root, root.args()));
  if (!made) return null;
  const [row] = await run(made.sql, made.params.values).catch((err: Error) => {
    throw new AnswerFailed(err, root);
  });
  return row ? { [root.key]: row.answer } : null;
}
