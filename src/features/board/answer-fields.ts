import {
  FieldNode, getArgumentValues, getVariableValues, GraphQLObjectType, GraphQLSchema, Kind, OperationDefinitionNode, SelectionSetNode,
} from 'graphql';
import type { Context } from '../../context';
import { queryPrepared } from '../../infra/db/prepared';
import { SqlParams } from '../../infra/db/sql-params';
import { DomainError } from '../../infra/errors/domain-errors';
import { JsonField, jsonObject, leafField, responseKey } from './json-fields';

/**
 * Reading a document into one statement that builds its answer (board-answer.ts,
 * deal-detail/deal-answer.ts): a shape the statement cannot answer throws NotThisShape,
 * caught once at the top, and graphql-js answers instead.
 */
export class NotThisShape extends Error {}

/** What a reader carries: the request, the coerced variables and the statement's parameters. */
export interface Reader {
  ctx: Context;
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  params: SqlParams;
  /** The parameter holding the viewer's workspace: every table is scoped by it. */
  workspace: string;
}

export const typeOf = (r: Reader, name: string) => r.schema.getType(name) as GraphQLObjectType;

/**
 * Plain fields only: no fragments, no directives, no response key twice (graphql-js merges
 * those; `json_build_object` would keep the last).
 */
export function plainFields(set: SelectionSetNode | undefined): FieldNode[] {
  const fields = set?.selections ?? [];
  if (!fields.every((s) => s.kind === Kind.FIELD && !s.directives?.length)) throw new NotThisShape();
  const keys = new Set((fields as FieldNode[]).map(responseKey));
  if (keys.size !== fields.length) throw new NotThisShape();
  return fields as FieldNode[];
}

/** A leaf field of `entity` (GraphQL type `type`) over row alias `row`. */
export function leaf(r: Reader, entity: Function, type: string, field: FieldNode, row: string): JsonField {
  const json = leafField(r.ctx.db, entity, typeOf(r, type), field, row);
  if (!json) throw new NotThisShape();
  return json;
}

/**
 * An object the parent row names by a column (`reference`, e.g. `t.owner_id`), with leaf
 * fields, as the by-id loaders find it: in the viewer's workspace, null when there is none.
 */
export function related(r: Reader, field: FieldNode, entity: Function, type: string, table: string, reference: string): JsonField {
  const fields = plainFields(field.selectionSet).map((f) => leaf(r, entity, type, f, 'x'));
  return {
    key: responseKey(field),
    sql: `(SELECT ${jsonObject(fields)} FROM ${table} x WHERE x.id = ${reference} AND x.workspace_id = ${r.workspace})`,
  };
}

/** Builds the statement for a root field: SQL whose one row holds `answer`, the field's JSON value. */
export type RootStatement = (r: Reader, root: FieldNode, args: Record<string, unknown>) => string;

/** Sends the statement (by default prepared, on the pool); reports run theirs under the report timeout. */
export type RunStatement = (sql: string, values: unknown[]) => Promise<{ answer: Record<string, unknown> }[]>;

/**
 * The `data` of a query whose only field is `rootName`, built by PostgreSQL in the one
 * statement `statement` writes. Null for any other document, for a shape the statement does
 * not answer, for arguments or a caller the general path refuses, and when the row is not
 * there: the general path then answers, and reports its errors at the field they belong to.
 */
export async function answerRootField(ctx: Context, schema: GraphQLSchema, operation: OperationDefinitionNode,
  inputs: Record<string, unknown> | undefined, rootName: string, statement: RootStatement,
  run: RunStatement = (sql, values) => queryPrepared(ctx.db, sql, values)): Promise<Record<string, unknown> | null> {
  if (operation.operation !== 'query' || operation.selectionSet.selections.length !== 1) return null;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], inputs ?? {});
  if (variables.errors) return null;
  const params = new SqlParams();
  let sql: string;
  let root: FieldNode;
  try {
    [root] = plainFields(operation.selectionSet);
    if (root.name.value !== rootName) return null;
    const args = getArgumentValues(schema.getQueryType()!.getFields()[rootName], root, variables.coerced);
    const r: Reader = { ctx, schema, variables: variables.coerced, params, workspace: params.add(ctx.viewer.workspaceId) };
    sql = statement(r, root, args);
  } catch (err) {
    // A domain error (no viewer, a malformed id or argument) is the general path's to report.
    if (err instanceof NotThisShape || err instanceof DomainError) return null;
    throw err;
  }
  const [row] = await run(sql, params.values);
  return row ? { [responseKey(root)]: row.answer } : null;
}
