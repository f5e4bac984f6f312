import { SelectedField } from '../graphql/selection';
import { cursorHead, IDENTITY_LENGTH, identityText, listIdentity, ListParts } from '../pagination/cursor';
import { afterBound, countSql, KeysetQuery, pageRows, parentRows, planFor } from '../pagination/keyset';
import { isLeaf, NotThisShape, Reader } from './answer-fields';
import { jsonArray, JsonField, jsonObject, jsonText } from './json-fields';

/**
 * A statement parameter added, and its value worked out, when first used: PostgreSQL refuses
 * parameters a statement never reads, and most lists read no cursor.
 */
function lazyParam(r: Reader, value: () => unknown): () => string {
  let placeholder: string | undefined;
  return () => (placeholder ??= r.params.add(value()));
}

/**
 * What a list hangs from: the column naming it, the SQL of its id (`st.id`, the workspace
 * parameter) and, where the statement is written for one parent (a root list), its id's value:
 * a cursor names its list by it, so only such a list reads a page after a cursor here. Without
 * a value, the parent is a row a node reader read, as every row here, in the viewer's workspace.
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
 * body's head (`cursorHeadSql`: workspace and list), then of the sort keys (`cursorsAfter`).
 */
export function cursorBuilder(r: Reader, workspaceId: string, list: ListParts, parent: { id: string; value?: string }):
  (keys: { text: string; cast: string }[]) => string {
  return cursorsAfter(cursorHeadSql(r, workspaceId, list, parent));
}

/**
 * SQL of the text of the cursors' head, base64url. A parameter when the parent is known;
 * otherwise encoded in a sub-select that reads no row of the page, hashing the list's identity
 * as `listIdentity` does. Parameters are added when first read.
 */
function cursorHeadSql(r: Reader, workspaceId: string, list: ListParts, parent: { id: string; value?: string }): () => string {
  const [before, after] = cursorHead(workspaceId);
  if (parent.value === undefined) return headOfParent(r, list, parent.id, before, after);
  const parentId = parent.value;
  const encoded = lazyParam(r, () => Buffer.from(`${before}${listIdentity(list, parentId)}${after}`).toString('base64url'));
  return () => `${encoded()}::text`;
}

/**
 * Cursors of sort keys (`keys`: SQL of their text, and their type) after `head`, SQL of the
 * head's text. `to_json` escapes text as JSON.stringify does; the text of a number, a uuid or a
 * timestamp needs no escape, and quotes cost less.
 */
function cursorsAfter(head: () => string): (keys: { text: string; cast: string }[]) => string {
  return (keys) => {
    // The keys' JSON, `"1.5","…"]}`, the constants between two keys one literal: each `||` copies.
    let texts = '';
    let constant = '';
    keys.forEach((k, i) => {
      const quoted = k.cast !== 'text';
      constant += `${i > 0 ? ',' : ''}${quoted ? '"' : ''}`;
      texts += `${constant ? `'${constant}' || ` : ''}${quoted ? k.text : `to_json(${k.text})::text`} || `;
      constant = quoted ? '"' : '';
    });
    return `${head()} || ${base64url(`convert_to(${texts}'${constant}]}', 'UTF8')`)}`;
  };
}

/** A cursor's head for a parent known only in SQL (`parentId`): its list's identity hashed there, around `before` and `after`. */
function headOfParent(r: Reader, list: ListParts, parentId: string, before: string, after: string): () => string {
  const [beforeId, afterId] = identityText(list).map((text) => lazyParam(r, () => text));
  const [beforeIdentity, afterIdentity] = [before, after].map((text) => lazyParam(r, () => text));
  return () => {
    const identity = `left(translate(encode(sha256(convert_to(${beforeId()} || to_json((${parentId})::text)::text || ${afterId()}, 'UTF8')),
      'base64'), '+/', '-_'), ${IDENTITY_LENGTH})`;
    return `(SELECT ${base64url(`convert_to(${beforeIdentity()} || ${identity} || ${afterIdentity()}, 'UTF8')`)})`;
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
    if (field.name === 'totalCount') return { key, json: `(${list.count()})::text` };
    if (field.name === '__typename') return { key, json: jsonText.literal(list.items.connection) };
    throw new NotThisShape();
  }
  switch (field.name) {
    case 'nodes': {
      const nodes = items(() => node(field));
      return { key, json: `(SELECT ${jsonArray(nodes.sql, list.order)} ${inPage(nodes.joins)})` };
    }
    case 'edges': {
      const edges = items(() => jsonObject(field.below.fields.map((f): JsonField => {
        if (f.name === 'cursor') return { key: f.key, json: `'"' || ${cursor()} || '"'` };
        if (f.name === 'node') return { key: f.key, json: node(f) };
        if (f.name === '__typename') return { key: f.key, json: jsonText.literal(list.items.edge) };
        throw new NotThisShape();
      })));
      return { key, json: `(SELECT ${jsonArray(edges.sql, list.order)} ${inPage(edges.joins)})` };
    }
    case 'pageInfo': {
      const info = field.below.fields.map((f): JsonField => {
        const json: Record<string, () => string> = {
          hasNextPage: () => `(EXISTS (SELECT 1 FROM ${list.page()} ${row} WHERE ${row}.__n > ${list.first}))::text`,
          hasPreviousPage: () => jsonText.literal(list.after),
          startCursor: () => `coalesce((SELECT '"' || ${cursor()} || '"' ${inPage()} AND ${row}.__n = 1), 'null')`,
          endCursor: () => `coalesce((SELECT '"' || ${cursor()} || '"' ${inPage()} ORDER BY ${row}.__n DESC LIMIT 1), 'null')`,
          __typename: () => jsonText.literal('PageInfo'),
        };
        if (!Object.hasOwn(json, f.name)) throw new NotThisShape();
        return { key: f.key, json: json[f.name]() };
      });
      return { key, json: jsonObject(info) };
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
  // A parent known only in SQL is a row the readers read in the viewer's workspace: its scope holds.
  const origin = { viewers: parent.value === undefined };
  // Counted once, in a CTE of its own, which the page reads too (`orderedRows`' `matches`).
  const count = () => ((counted ??= countSql(query, parent.id, r.params, origin)), '(SELECT n FROM total)');
  const orderBy = query.sort.map((k) => `${k.sql} ${k.descending ? 'DESC' : 'ASC'}`).join(', ');
  let paged = false;
  let cursors = false;
  const row = r.alias();
  const readers = pageReaders(field);
  // A parent known only in SQL: its cursors' head is hashed once, a column of its page, not once per cursor.
  const head = cursorHeadSql(r, query.workspaceId, query, parent);
  const headOnPage = parent.value === undefined;
  const cursorOf = cursorsAfter(headOnPage ? () => `${row}.__h` : head);
  const onePass = readers.length === 1 && (readers[0] === 'nodes' || readers[0] === 'edges');
  const list: ListStatement = {
    items, row, count, first: String(query.first), after: Boolean(query.after), root: parent.value !== undefined,
    cursor: () => {
      cursors = true;
      return cursorOf(query.sort.map((k, i) => ({ text: `${row}.__k${i}`, cast: k.cast })));
    },
    page: () => ((paged = true), 'page'), onePass,
    order: onePass ? query.sort.map((k, i) => `${row}.__s${i} ${k.descending ? 'DESC' : 'ASC'}`).join(', ') : `${row}.__n`,
  };
  const object = jsonObject(field.below.fields.map((f) => connectionField(r, f, list)));
  const total = counted === undefined ? [] : [`total AS (SELECT ${counted} AS n)`];
  if (!paged) return { key: field.key, json: `(${total.length ? `WITH ${total[0]} ` : ''}SELECT ${object})` };
  const { bounds, checked } = parentRows(query, parent.id, r.params, origin);
  if (query.after) {
    // Checked against its list here (another list's or workspace's cursor: the general path refuses it).
    bounds.push(afterBound(query, parent.value!, r.params));
    r.readsCursor = true;
  }
  // The page's rows as the general path reads them (a capped walk where it caps one, a page per
  // part merged); the sort keys as text only when a cursor is read.
  const rows = pageRows(query, r.params, bounds, String(onePass ? query.first : query.first + 1),
    { keys: cursors, checked, matches: counted === undefined ? undefined : count() });
  // Read once, the page is a subquery that PostgreSQL inlines: no numbering, no stored rows.
  const position = onePass ? query.sort.map((k, i) => `${k.sql} AS __s${i}`) : [`row_number() OVER (ORDER BY ${orderBy}) AS __n`];
  if (cursors && headOnPage) position.push(`${head()} AS __h`);
  return {
    key: field.key,
    json: `(WITH ${[...total, `page AS (SELECT ${[...columnsRead(object, row), ...position].join(', ')} FROM (${rows}) t)`].join(', ')}
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
  for (const own of named) if (/^__([ns]\d*|h)$/.test(own)) named.delete(own); // the page's own: numbers, sort keys, cursors' head
  const whole = new RegExp(`\\b${row}\\b`).test(sql.replace(new RegExp(`\\bpage ${row}\\b|\\b${row}\\.(?=["\\w])`, 'g'), ''));
  return whole ? ['t.*'] : [...named].map((c) => `t."${c}"`);
}
