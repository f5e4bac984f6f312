import { GraphQLSchema } from 'graphql';
import type { Context } from '../../context';
import { SelectedField } from '../../infra/graphql/selection';
import { listIdentity } from '../../infra/pagination/cursor';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { DealListArgs, dealListQuery } from '../deals/deal.query';
import { AnswerRequest, answerRootField, isLeaf, NotThisShape, Reader } from './answer-fields';
import { dealNode } from './board-answer';
import { JsonField, jsonObject } from './json-fields';

/** A statement parameter added when first used: PostgreSQL refuses parameters a statement never reads. */
function lazyParam(r: Reader, value: unknown): () => string {
  let placeholder: string | undefined;
  return () => (placeholder ??= r.params.add(value));
}

interface ListStatement {
  query: KeysetQuery;
  conditions: string;
  first: () => string;
  cursor: () => string;
}

/**
 * An item's cursor as `encodeCursor` writes it: base64url, unpadded, of
 * `JSON.stringify({ w, o, k })` with the sort keys as PostgreSQL's text (the same `::text`
 * the general path reads them with); `to_json` escapes text as JSON.stringify does.
 */
function cursorSql(r: Reader, query: KeysetQuery): () => string {
  const workspace = lazyParam(r, query.workspaceId);
  // A root list hangs from the workspace: its identity is known before the statement runs.
  const ordering = lazyParam(r, listIdentity(query, query.workspaceId));
  const keys = query.sort.map((_, i) => `to_json(t.__k${i})::text`).join(` || ',' || `);
  return () => {
    const json = `'{"w":' || to_json(${workspace()}::text)::text || ',"o":' || to_json(${ordering()}::text)::text || ',"k":[' || ${keys} || ']}'`;
    return `translate(encode(convert_to(${json}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
  };
}

/** One JSON value per field of the connection, over the `page` CTE (first + 1 rows, numbered). */
function connectionField(r: Reader, field: SelectedField, list: ListStatement): JsonField {
  const { key } = field;
  const { conditions, cursor } = list;
  const inPage = () => `FROM page t WHERE t.__n <= ${list.first()}`;
  const node = (f: SelectedField) => jsonObject(f.below.fields.map((n) => dealNode(r, n)));
  if (isLeaf(field)) {
    if (field.name === 'totalCount') return { key, sql: `(SELECT count(*)::int FROM deals t WHERE ${conditions})` };
    if (field.name === '__typename') return { key, sql: `'DealConnection'` };
    throw new NotThisShape();
  }
  switch (field.name) {
    case 'nodes':
      return { key, sql: `(SELECT coalesce(json_agg(${node(field)} ORDER BY t.__n), '[]'::json) ${inPage()})` };
    case 'edges': {
      const edge = field.below.fields.map((f): JsonField => {
        if (f.name === 'cursor') return { key: f.key, sql: cursor() };
        if (f.name === 'node') return { key: f.key, sql: node(f) };
        if (f.name === '__typename') return { key: f.key, sql: `'DealEdge'` };
        throw new NotThisShape();
      });
      return { key, sql: `(SELECT coalesce(json_agg(${jsonObject(edge)} ORDER BY t.__n), '[]'::json) ${inPage()})` };
    }
    case 'pageInfo': {
      const info = field.below.fields.map((f): JsonField => {
        const sql: Record<string, () => string> = {
          hasNextPage: () => `EXISTS (SELECT 1 FROM page t WHERE t.__n > ${list.first()})`,
          hasPreviousPage: () => 'false',
          startCursor: () => `(SELECT ${cursor()} ${inPage()} AND t.__n = 1)`,
          endCursor: () => `(SELECT ${cursor()} ${inPage()} ORDER BY t.__n DESC LIMIT 1)`,
          __typename: () => `'PageInfo'`,
        };
        if (!Object.hasOwn(sql, f.name)) throw new NotThisShape();
        return { key: f.key, sql: sql[f.name]() };
      });
      return { key, sql: jsonObject(info) };
    }
    default:
      throw new NotThisShape();
  }
}

/**
 * The first page of `deals(...)` built by PostgreSQL: for a query whose only field is the
 * workspace's deals list asking for `totalCount`, `nodes`, `edges { cursor node }` and
 * `pageInfo`, with plain deal fields, owner and lead, one statement returns the `data` itself,
 * cursors included, as graphql-js would serialise it. A later page (`after`), another shape or
 * arguments the general path refuses go to graphql-js.
 */
export function answerDealList(ctx: Context, schema: GraphQLSchema, request: AnswerRequest) {
  return answerRootField(ctx, schema, request, 'deals', (r, root, args) => {
    if ((args as DealListArgs).after) throw new NotThisShape();
    const query = dealListQuery(r.ctx.viewer, 'workspace_id', args as DealListArgs);
    const conditions = query.where(r.params).join(' AND ');
    const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
    const keys = query.sort.map((k, i) => `(${k.sql})::text AS __k${i}`).join(', ');
    const list: ListStatement = { query, conditions, first: lazyParam(r, query.first), cursor: cursorSql(r, query) };
    const fields = root.below.fields.map((f) => connectionField(r, f, list));
    // The reader's workspace parameter is stated again here so that it is always read.
    return `WITH page AS (SELECT t.*, ${keys}, row_number() OVER (ORDER BY ${orderBy}) AS __n FROM deals t
        WHERE ${conditions} AND t.workspace_id = ${r.workspace} ORDER BY ${orderBy} LIMIT ${r.params.add(query.first + 1)})
      SELECT ${jsonObject(fields)} AS answer`;
  });
}
