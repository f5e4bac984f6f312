import {
  DocumentNode, ExecutionResult, FieldNode, FragmentDefinitionNode, getVariableValues, GraphQLError, GraphQLSchema, Kind,
  OperationDefinitionNode, SelectionNode,
} from 'graphql';
import { PlanChoice, queryPrepared } from '../db/prepared';
import { SqlParams } from '../db/sql-params';
import { DomainError } from '../errors/domain-errors';
import { isDataException } from '../pagination/keyset';
import { SelectedField, Selection } from '../graphql/selection';
import {
  AnswerContext, AnswerFailed, AnswerRequest, NodeReaders, NotThisShape, Reader, RootStatement, RootStatements, RunStatement,
} from './answer-fields';
import { JsonText } from './json-text';

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
function built<C extends AnswerContext>(ctx: C, schema: GraphQLSchema, nodes: NodeReaders,
  write: (r: Reader<C>) => string): { sql: string; params: SqlParams; plan: PlanChoice; readsCursor: boolean } | null {
  const params = new SqlParams();
  let aliases = 0;
  try {
    const r: Reader<C> = { ctx, schema, params, workspace: params.add(ctx.viewer.workspaceId), nodes, alias: () => `o${aliases++}` };
    const sql = write(r);
    const plan = r.plan ?? 'custom';
    // PostgreSQL refuses a parameter the statement never reads: one whose fields needed no
    // scope (`deals { __typename }`) still reads the workspace's.
    return {
      sql: /\$1(?!\d)/.test(sql) ? sql : `SELECT * FROM (${sql}) q WHERE ${r.workspace}::text IS NOT NULL`,
      params, plan, readsCursor: Boolean(r.readsCursor),
    };
  } catch (err) {
    // A domain error (no viewer, a malformed id or argument) is the general path's to report.
    if (err instanceof NotThisShape || err instanceof DomainError) return null;
    throw err;
  }
}

/** Executes a document with the resolvers: the root fields of a query that no statement claims. */
export type ExecuteRest = (document: DocumentNode, request: AnswerRequest, contextValue: unknown) => Promise<ExecutionResult>;

/** An answer: `data`, and the errors of the root fields the resolvers answered. */
export interface RootsAnswer {
  data: Record<string, unknown> | null;
  errors?: readonly GraphQLError[];
}

/**
 * The answer to a query with several root fields: those `statements` claim (and `__typename`)
 * built by PostgreSQL in one statement, each root field's statement a column of it; the others
 * (a report, say) executed by the resolvers (`rest`) meanwhile, on a document of those root
 * fields alone, and the two put together in the query's order. Null when no root field is
 * claimed or one is not this shape, when a root object is not there (the general path answers
 * NOT_FOUND at its field) and when the statement fails (the general path reports the error at
 * the field it belongs to). One root field alone: `answerRootField`, whose failure is
 * reported at that field (AnswerFailed).
 */
export async function answerRoots<C extends AnswerContext>(ctx: C, schema: GraphQLSchema, request: AnswerRequest,
  statements: RootStatements<C>, nodes: NodeReaders, rest?: ExecuteRest): Promise<RootsAnswer | null> {
  const roots = rootFieldsOf(schema, request);
  const claimed = (root: SelectedField) => root.name === '__typename' || Object.hasOwn(statements, root.name);
  if (!roots?.length || !roots.some((root) => Object.hasOwn(statements, root.name))) return null;
  if (roots.length === 1) {
    const [root] = roots;
    const data = await answerRootField(ctx, schema, request, root.name, statements[root.name], nodes);
    return data && { data };
  }
  const others = roots.filter((root) => !claimed(root));
  if (others.length > 0 && !rest) return null;
  const ours = roots.filter(claimed);
  const statement = built(ctx, schema, nodes, (r) => {
    const columns = ours.map((root, i) => (root.name === '__typename'
      ? `'"${schema.getQueryType()!.name}"' AS r${i}`
      : `(SELECT q.answer FROM (${statements[root.name](r, root, root.args())}) q) AS r${i}`));
    return `SELECT ${columns.join(', ')}`;
  });
  if (!statement) return null;
  const [row, executed] = await Promise.all([
    queryPrepared(ctx.db, statement.sql, statement.params.values, statement.plan).then(([first]) => first, () => undefined),
    others.length ? rest!(documentOf(request, others), request, ctx) : undefined,
  ]);
  if (!row || ours.some((_, i) => row[`r${i}`] === null)) return null;
  if (executed && !executed.data) return { data: null, errors: executed.errors };
  const value = (root: SelectedField) => (claimed(root) ? answerOf(row[`r${ours.indexOf(root)}`]) : executed!.data![root.key]);
  return { data: Object.fromEntries(roots.map((root) => [root.key, value(root)])), errors: executed?.errors };
}

const nodeIds = new WeakMap<FieldNode, number>();
let nodesSeen = 0;
const documents = new WeakMap<OperationDefinitionNode, Map<string, DocumentNode>>();

/**
 * The query's document with only `fields` at its root (their nodes as collected, fragments
 * kept for what lies below them), once per operation and set of nodes: compiled once, too.
 */
function documentOf(request: AnswerRequest, fields: readonly SelectedField[]): DocumentNode {
  const { operation } = request;
  const selections = fields.flatMap((field) => field.nodes);
  const key = selections.map((node) => {
    if (!nodeIds.has(node)) nodeIds.set(node, nodesSeen++);
    return nodeIds.get(node);
  }).join(',');
  let byNodes = documents.get(operation);
  if (!byNodes) documents.set(operation, (byNodes = new Map()));
  let document = byNodes.get(key);
  if (!document) {
    const fragments = request.document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    document = { kind: Kind.DOCUMENT, definitions: [{ ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections } }, ...fragments] };
    byNodes.set(key, document);
  }
  return document;
}

/**
 * The `data` of a query whose only field is `rootName`, built by PostgreSQL in the one
 * statement `statement` writes. Null for any other document, for a field the statement does
 * not answer, for arguments or a caller the general path refuses, and when the row is not
 * there: the general path then answers, and reports its errors at the field they belong to.
 */
export async function answerRootField<C extends AnswerContext>(ctx: C, schema: GraphQLSchema, request: AnswerRequest,
  rootName: string, statement: RootStatement<C>, nodes: NodeReaders = {},
  run: RunStatement = (sql, values, plan) => queryPrepared(ctx.db, sql, values, plan)): Promise<Record<string, unknown> | null> {
  const roots = rootFieldsOf(schema, request);
  if (roots?.length !== 1 || roots[0].name !== rootName) return null;
  const [root] = roots;
  const made = built(ctx, schema, nodes, (r) => statement(r, root, root.args()));
  if (!made) return null;
  let rows: { answer: unknown }[];
  try {
    rows = await run(made.sql, made.params.values, made.plan);
  } catch (err) {
    // A cursor's keys PostgreSQL cannot read: the general path refuses the cursor (BAD_USER_INPUT).
    if (made.readsCursor && isDataException(err)) return null;
    throw new AnswerFailed(err as Error, root);
  }
  return rows[0] ? { [root.key]: answerOf(rows[0].answer) } : null;
}

/** A statement's answer: JSON text (a JsonText, sent as it is), or a value its caller built. */
function answerOf(answer: unknown): unknown {
  return typeof answer === 'string' ? new JsonText(answer) : answer;
}
