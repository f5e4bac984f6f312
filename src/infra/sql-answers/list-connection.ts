import { SelectedField } from '../graphql/selection';
import { orderedRows } from '../pagination/capped-walk';
import { afterBound, KeysetQuery, planFor } from '../pagination/keyset';
import { isLeaf, NotThisShape, Reader } from './answer-fields';
import { JsonField, jsonObject } from './json-fields';

/** A statement parameter added when first used: PostgreSQL refuses parameters a statement never reads. */
function lazyParam(r: Reader, value: unknown): () => string {
  let placeholder: string | undefined;
  return () => (placeholder ??= r.params.add(value));
}

/**
 * What a list hangs from: the column naming it, the SQL of its id (`st.id`, the workspace
 * parameter) and, where the statement is written for one parent (a root list), its id's value:
 * a cursor names its list by it, so only such a list reads a page after a cursor here.
 */
export interface ListParent {
  column: string;
  id: string;
  value?: string;
}

/** A list's items: the node's fields over row alias `t`, and the GraphQL names of its connection and edge. */
export interface ListItems {
  node: (r: Reader, field: SelectedField) => JsonField;
  connection: string;
  edge: string;
}

interface ListStatement {
  items: ListItems;
  table: string;
  /** Built when first read: PostgreSQL refuses a parameter a statement never reads. */
  conditions: () => string;
  /** The page size, written out: with it as a parameter PostgreSQL plans every execution afresh. */
  first: string;
  cursor: () => string;
  /** The page's rows (first + 1, numbered `__n`), a CTE built only when some field reads it. */
  page: () => string;
  /** A page after a cursor: there is a page before it. */
  after: boolean;
  /** A root list: one page in the statement, whose rows' single-row relations are joined beside it. */
  root: boolean;
}

/**
 * Cursors as `encodeCursor` writes them for the list `list` (`listIdentity`'s parts) hanging from
 * the parent whose id is SQL `parentId`: base64url, unpadded, of `JSON.stringify({ w, o, k })`,
 * the sort keys `keys` being SQL of their text; `to_json` escapes text as JSON.stringify does.
 * The list's identity (sha256 of its table, parent column, parent id and arguments) is computed
 * in the statement, where the parent's id is known. Parameters are added on the first cursor.
 */
export function cursorBuilder(r: Reader, workspaceId: string, list: { table: string; parentColumn: string; list: string },
  parentId: string): (keys: string[]) => string {
  const workspace = lazyParam(r, workspaceId);
  const table = lazyParam(r, list.table);
  const column = lazyParam(r, list.parentColumn);
  const arguments_ = lazyParam(r, list.list);
  return (keys) => {
    const described = `'[' || to_json(${table()}::text)::text || ',' || to_json(${column()}::text)::text || ','
      || to_json((${parentId})::text)::text || ',' || to_json(${arguments_()}::text)::text || ']'`;
    // A sub-select reads no row of the page: PostgreSQL hashes once per list, not once per item.
    const identity = `(SELECT left(${base64url(`sha256(convert_to(${described}, 'UTF8'))`)}, 22))`;
    const texts = keys.map((k) => `to_json(${k})::text`).join(` || ',' || `);
    const json = `'{"w":' || to_json(${workspace()}::text)::text || ',"o":' || to_json(${identity})::text || ',"k":[' || ${texts} || ']}'`;
    return base64url(`convert_to(${json}, 'UTF8')`);
  };
}

/** The cursor of a keyset list's item (row alias `t`, sort keys `__k0`… as text). */
function cursorSql(r: Reader, query: KeysetQuery, parent: ListParent, read: () => void): () => string {
  const build = cursorBuilder(r, query.workspaceId, query, parent.id);
  const keys = query.sort.map((_, i) => `t.__k${i}`);
  return () => {
    read();
    return build(keys);
  };
}

/**
 * `bytes` as unpadded base64url. `encode` wraps its base64 with a newline every 76 characters;
 * `replace` rather than `translate`, which costs several times more per character.
 */
function base64url(bytes: string): string {
  return `replace(replace(replace(rtrim(encode(${bytes}, 'base64'), E'=\\n'), E'\\n', ''), '+', '-'), '/', '_')`;
}

/** One JSON value per field of the connection. */
function connectionField(r: Reader, field: SelectedField, list: ListStatement): JsonField {
  const { key } = field;
  const { cursor } = list;
  const inPage = (joins: string[] = []) => `FROM ${list.page()} t ${joins.join(' ')} WHERE t.__n <= ${list.first}`;
  // The items of a page, with the joins their relations ask for (a nested list's read per row).
  const items = (build: () => string): { sql: string; joins: string[] } => {
    const outer = r.pageJoins;
    const scope = list.root ? { rows: ['t'], joins: [] } : null;
    r.pageJoins = scope;
    try {
      return { sql: build(), joins: scope?.joins ?? [] };
    } finally {
      r.pageJoins = outer;
    }
  };
  const node = (f: SelectedField) => jsonObject(f.below.fields.map((n) => list.items.node(r, n)));
  if (isLeaf(field)) {
    if (field.name === 'totalCount') return { key, sql: `(SELECT count(*)::int FROM ${list.table} t WHERE ${list.conditions()})` };
    if (field.name === '__typename') return { key, sql: `'${list.items.connection}'` };
    throw new NotThisShape();
  }
  switch (field.name) {
    case 'nodes': {
      const nodes = items(() => node(field));
      return { key, sql: `(SELECT coalesce(json_agg(${nodes.sql} ORDER BY t.__n), '[]'::json) ${inPage(nodes.joins)})` };
    }
    case 'edges': {
      const edges = items(() => jsonObject(field.below.fields.map((f): JsonField => {
        if (f.name === 'cursor') return { key: f.key, sql: cursor() };
        if (f.name === 'node') return { key: f.key, sql: node(f) };
        if (f.name === '__typename') return { key: f.key, sql: `'${list.items.edge}'` };
        throw new NotThisShape();
      })));
      return { key, sql: `(SELECT coalesce(json_agg(${edges.sql} ORDER BY t.__n), '[]'::json) ${inPage(edges.joins)})` };
    }
    case 'pageInfo': {
      const info = field.below.fields.map((f): JsonField => {
        const sql: Record<string, () => string> = {
          hasNextPage: () => `EXISTS (SELECT 1 FROM ${list.page()} t WHERE t.__n > ${list.first})`,
          hasPreviousPage: () => String(list.after),
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
 * A page of a keyset list (`query`) as one SQL value: `totalCount`, `nodes`,
 * `edges { cursor node }` and `pageInfo`, with the node fields `items` answers, cursors
 * included, as graphql-js would serialise them. A page after a cursor only for a list of one
 * parent known here (`parent.value`); a cursor of another list or workspace is the general path's to refuse.
 */
export function listConnection(r: Reader, field: SelectedField, query: KeysetQuery, parent: ListParent, items: ListItems): JsonField {
  if (query.after && parent.value === undefined) throw new NotThisShape();
  r.plan = r.plan === 'custom' ? 'custom' : planFor(query);
  // Built when first read, as every part here: PostgreSQL refuses a parameter the statement never reads.
  const parentBounds = () => [`t.${parent.column} = ${parent.id}`, ...(query.parentBound?.(parent.id, r.params) ?? [])];
  let built: string | undefined;
  const conditions = () => (built ??= [...parentBounds(), ...query.where(r.params)].join(' AND '));
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  let paged = false;
  let cursors = false;
  const list: ListStatement = {
    items, table: query.table, conditions, first: String(query.first), after: Boolean(query.after), root: parent.value !== undefined,
    cursor: cursorSql(r, query, parent, () => (cursors = true)), page: () => ((paged = true), 'page'),
  };
  const object = jsonObject(field.below.fields.map((f) => connectionField(r, f, list)));
  if (!paged) return { key: field.key, sql: `(SELECT ${object})` };
  const bounds = parentBounds();
  if (query.after) {
    // Checked against its list here (another list's or workspace's cursor: the general path refuses it).
    bounds.push(afterBound(query, parent.value!, r.params));
    r.readsCursor = true;
  }
  // The page's rows as the general path reads them (a capped walk where it caps one); the sort
  // keys as text only when a cursor is read.
  const rows = orderedRows(query, r.params, bounds, String(query.first + 1), { keys: cursors });
  return {
    key: field.key,
    sql: `(WITH page AS (SELECT t.*, row_number() OVER (ORDER BY ${orderBy}) AS __n FROM (${rows}) t)
      SELECT ${object})`,
  };
}
