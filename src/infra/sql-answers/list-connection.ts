import { SelectedField } from '../graphql/selection';
import { cursorHead, IDENTITY_LENGTH, identityText, listIdentity, ListParts } from '../pagination/cursor';
import { afterBound, countSql, KeysetQuery, pageRows, parentRows, planFor } from '../pagination/keyset';
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

/** A list's items: the node's fields over row alias `row`, and the GraphQL names of its connection and edge. */
export interface ListItems {
  node: (r: Reader, field: SelectedField, row: string) => JsonField;
  connection: string;
  edge: string;
}

interface ListStatement {
  items: ListItems;
  /** The alias of the page's rows, read by no other part of the statement. */
  row: string;
  /** The parent's count, built when first read: PostgreSQL refuses a parameter a statement never reads. */
  count: () => string;
  /** The page size, written out: with it as a parameter PostgreSQL plans every execution afresh. */
  first: string;
  cursor: () => string;
  /** The page's rows (first + 1, numbered `__n`), a CTE built only when some field reads it. */
  page: () => string;
  /**
   * The page read once (`onePass`): its `first` rows alone, unnumbered, ordered by their sort
   * keys (`__s0`…). Else `first + 1` rows numbered `__n`.
   */
  onePass: boolean;
  /** The ORDER BY of the page's items over `row`. */
  order: string;
  /** A page after a cursor: there is a page before it. */
  after: boolean;
  /** A root list: one page in the statement, whose rows' single-row relations are joined beside it. */
  root: boolean;
}

/**
 * Cursors as `encodeCursor` writes them for the list `list` hanging from `parent` (SQL of its id,
 * and its value where the statement is written for one parent): base64url, unpadded, of the
 * body's head (`cursorHead`: workspace and list), then of the sort keys (`keys`: SQL of their
 * text, and their type). The head is a parameter when the parent is known; otherwise it is
 * encoded once per list, in a sub-select that reads no row of the page, hashing the list's
 * identity as `listIdentity` does. `to_json` escapes text as JSON.stringify does; the text of a
 * number, a uuid or a timestamp needs no escape, and quotes cost less. Parameters are added on the first cursor.
 */
export function cursorBuilder(r: Reader, workspaceId: string, list: ListParts, parent: { id: string; value?: string }):
  (keys: { text: string; cast: string }[]) => string {
  const [before, after] = cursorHead(workspaceId);
  let head = headOfParent(r, list, parent.id, before, after);
  if (parent.value !== undefined) {
    const encoded = lazyParam(r, Buffer.from(`${before}${listIdentity(list, parent.value)}${after}`).toString('base64url'));
    head = () => `${encoded()}::text`;
  }
  return (keys) => {
    const texts = keys.map((k) => (k.cast === 'text' ? `to_json(${k.text})::text` : `'"' || ${k.text} || '"'`)).join(` || ',' || `);
    return `${head()} || ${base64url(`convert_to(${texts} || ']}', 'UTF8')`)}`;
  };
}

/** A cursor's head for a parent known only in SQL (`parentId`): its list's identity hashed there, around `before` and `after`. */
function headOfParent(r: Reader, list: ListParts, parentId: string, before: string, after: string): () => string {
  const [beforeId, afterId] = identityText(list).map((text) => lazyParam(r, text));
  const [beforeIdentity, afterIdentity] = [before, after].map((text) => lazyParam(r, text));
  return () => {
    const identity = `left(translate(encode(sha256(convert_to(${beforeId()} || to_json((${parentId})::text)::text || ${afterId()}, 'UTF8')),
      'base64'), '+/', '-_'), ${IDENTITY_LENGTH})`;
    return `(SELECT ${base64url(`convert_to(${beforeIdentity()} || ${identity} || ${afterIdentity()}, 'UTF8')`)})`;
  };
}

/** The cursor of a keyset list's item (row alias `row`, sort keys `__k0`… as text). */
function cursorSql(r: Reader, query: KeysetQuery, parent: ListParent, row: string, read: () => void): () => string {
  const build = cursorBuilder(r, query.workspaceId, query, parent);
  const keys = query.sort.map((k, i) => ({ text: `${row}.__k${i}`, cast: k.cast }));
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
  const { cursor, row } = list;
  const inPage = (joins: string[] = []) => `FROM ${list.page()} ${row} ${joins.join(' ')}${list.onePass ? '' : ` WHERE ${row}.__n <= ${list.first}`}`;
  // The items of a page, with the joins their relations ask for (a nested list's read per row).
  const items = (build: () => string): { sql: string; joins: string[] } => {
    const outer = r.pageJoins;
    const scope = list.root ? { rows: [row], joins: [] } : null;
    r.pageJoins = scope;
    try {
      return { sql: build(), joins: scope?.joins ?? [] };
    } finally {
      r.pageJoins = outer;
    }
  };
  const node = (f: SelectedField) => jsonObject(f.below.fields.map((n) => list.items.node(r, n, row)));
  if (isLeaf(field)) {
    if (field.name === 'totalCount') return { key, sql: list.count() };
    if (field.name === '__typename') return { key, sql: `'${list.items.connection}'` };
    throw new NotThisShape();
  }
  switch (field.name) {
    case 'nodes': {
      const nodes = items(() => node(field));
      return { key, sql: `(SELECT coalesce(json_agg(${nodes.sql} ORDER BY ${list.order}), '[]'::json) ${inPage(nodes.joins)})` };
    }
    case 'edges': {
      const edges = items(() => jsonObject(field.below.fields.map((f): JsonField => {
        if (f.name === 'cursor') return { key: f.key, sql: cursor() };
        if (f.name === 'node') return { key: f.key, sql: node(f) };
        if (f.name === '__typename') return { key: f.key, sql: `'${list.items.edge}'` };
        throw new NotThisShape();
      })));
      return { key, sql: `(SELECT coalesce(json_agg(${edges.sql} ORDER BY ${list.order}), '[]'::json) ${inPage(edges.joins)})` };
    }
    case 'pageInfo': {
      const info = field.below.fields.map((f): JsonField => {
        const sql: Record<string, () => string> = {
          hasNextPage: () => `EXISTS (SELECT 1 FROM ${list.page()} ${row} WHERE ${row}.__n > ${list.first})`,
          hasPreviousPage: () => String(list.after),
          startCursor: () => `(SELECT ${cursor()} ${inPage()} AND ${row}.__n = 1)`,
          endCursor: () => `(SELECT ${cursor()} ${inPage()} ORDER BY ${row}.__n DESC LIMIT 1)`,
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
  r.plan = r.plan === 'per-values' ? 'per-values' : planFor(query);
  // Built when first read, as every part here: PostgreSQL refuses a parameter the statement never reads.
  let counted: string | undefined;
  const count = () => (counted ??= countSql(query, parent.id, r.params));
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  let paged = false;
  let cursors = false;
  const row = r.alias();
  const readers = pageReaders(field);
  const onePass = readers.length === 1 && (readers[0] === 'nodes' || readers[0] === 'edges');
  const list: ListStatement = {
    items, row, count, first: String(query.first), after: Boolean(query.after), root: parent.value !== undefined,
    cursor: cursorSql(r, query, parent, row, () => (cursors = true)), page: () => ((paged = true), 'page'), onePass,
    order: onePass ? query.sort.map((k, i) => `${row}.__s${i} ${k.descending ? 'DESC' : 'ASC'}`).join(', ') : `${row}.__n`,
  };
  const object = jsonObject(field.below.fields.map((f) => connectionField(r, f, list)));
  if (!paged) return { key: field.key, sql: `(SELECT ${object})` };
  const { bounds, checked } = parentRows(query, parent.id, r.params);
  if (query.after) {
    // Checked against its list here (another list's or workspace's cursor: the general path refuses it).
    bounds.push(afterBound(query, parent.value!, r.params));
    r.readsCursor = true;
  }
  // The page's rows as the general path reads them (a capped walk where it caps one, a page per
  // part merged); the sort keys as text only when a cursor is read.
  const rows = pageRows(query, r.params, bounds, String(onePass ? query.first : query.first + 1), { keys: cursors, checked });
  // Read once, the page is a subquery that PostgreSQL inlines: no numbering, no stored rows.
  const position = onePass ? query.sort.map((k, i) => `${k.sql} AS __s${i}`) : [`row_number() OVER (ORDER BY ${orderBy}) AS __n`];
  return {
    key: field.key,
    sql: `(WITH page AS (SELECT ${[...columnsRead(object, row), ...position].join(', ')} FROM (${rows}) t)
      SELECT ${object})`,
  };
}

/** What reads a page's rows: `nodes` and `edges`, and `pageInfo`'s `hasNextPage`, `startCursor` and `endCursor`. */
const PAGE_INFO_READERS = new Set(['hasNextPage', 'startCursor', 'endCursor']);

/** The fields of a connection that read its page's rows, by name. */
function pageReaders(connection: SelectedField): string[] {
  return connection.below.fields.flatMap((f) => (f.name === 'nodes' || f.name === 'edges' ? [f.name]
    : f.name === 'pageInfo' ? f.below.fields.filter((p) => PAGE_INFO_READERS.has(p.name)).map((p) => p.name) : []));
}

/**
 * The columns of the page's rows (alias `row`) that the statement `sql` reads, as a select list
 * over `t`: only they are carried (a deal row has thirty columns, a card reads a few: a fifth of
 * a board's statement). All of them when some part reads the row whole.
 */
function columnsRead(sql: string, row: string): string[] {
  const named = new Set<string>();
  for (const [, quoted, bare] of sql.matchAll(new RegExp(`\\b${row}\\.(?:"(\\w+)"|(\\w+))`, 'g'))) named.add(quoted ?? bare);
  for (const own of named) if (/^__[ns]\d*$/.test(own)) named.delete(own); // the page's own: its numbers or sort keys
  const whole = new RegExp(`\\b${row}\\b`).test(sql.replace(new RegExp(`\\bpage ${row}\\b|\\b${row}\\.(?=["\\w])`, 'g'), ''));
  return whole ? ['t.*'] : [...named].map((c) => `t."${c}"`);
}
