import { getNamedType, GraphQLObjectType, isEnumType, isScalarType } from 'graphql';
import { EntityManager } from 'typeorm';
import { SelectedField } from '../graphql/selection';
import { plainColumnOf } from './selected-columns';

/**
 * A field as PostgreSQL builds it: its response key and SQL of its value's JSON text, written
 * as JSON.stringify writes it ('null' for none, never NULL). The answer is built as text, not
 * with `json_build_object`: PostgreSQL writes text in two thirds of the time, compact, so the
 * server sends it as it comes, where a `json` value would be parsed and serialised again.
 */
export interface JsonField {
  key: string;
  json: string;
}

/** JSON text of SQL values, NULL as `null`. */
export const jsonText = {
  /** Text of any content: `to_json` escapes it as JSON.stringify does. */
  string: (sql: string) => `coalesce(to_json(${sql})::text, 'null')`,
  /** Text that needs no escape: a uuid, an enum's name, a timestamp as `dateTimeJson` writes it. */
  bare: (sql: string) => `coalesce('"' || ${sql} || '"', 'null')`,
  /** An integer or a boolean, whose text in PostgreSQL is JSON's. */
  plain: (sql: string) => `coalesce((${sql})::text, 'null')`,
  /** A constant. */
  literal: (value: string | number | boolean | null) => `'${JSON.stringify(value).replace(/'/g, "''")}'`,
  /**
   * A float8 as JavaScript writes it. Both write the shortest digits that read back the same
   * number, but PostgreSQL turns to an exponent below 1e-4 and from 1e15, JavaScript below
   * 1e-6 and from 1e21 (and writes `1e-7`, not `1e-07`): `bounded`, for values that never reach
   * those ranges (a numeric of at most 15 integer digits and 4 decimals), skips the rewriting.
   * PostgreSQL's exponent form taken apart: `s` the sign, `m` the mantissa (`1.25`), `e` the
   * exponent, `d` the mantissa's digits (`125`), written again as JavaScript's form of the number.
   */
  float: (sql: string, bounded = false) => (bounded ? jsonText.plain(`(${sql})::float8`) : `(SELECT CASE
      WHEN f.t IS NULL THEN 'null' WHEN position('e' IN f.t) = 0 THEN f.t
      ELSE (SELECT CASE WHEN x.e >= 21 OR x.e <= -7 THEN x.s || x.m || 'e' || CASE WHEN x.e > 0 THEN '+' ELSE '' END || x.e
        WHEN x.e >= 0 THEN x.s || CASE WHEN length(x.d) <= x.e + 1 THEN rpad(x.d, x.e + 1, '0') ELSE left(x.d, x.e + 1) || '.' || substr(x.d, x.e + 2) END
        ELSE x.s || '0.' || repeat('0', -x.e - 1) || x.d END
        FROM (SELECT CASE WHEN f.t LIKE '-%' THEN '-' ELSE '' END AS s, split_part(ltrim(f.t, '-'), 'e', 1) AS m,
          split_part(f.t, 'e', 2)::int AS e, replace(split_part(ltrim(f.t, '-'), 'e', 1), '.', '') AS d) x) END
    FROM (SELECT (${sql})::float8::text AS t) f)`),
};

/** An object of `fields`, in the order the query asked for them. */
export function jsonObject(fields: JsonField[]): string {
  // Keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): nothing to escape, in JSON or in SQL.
  if (fields.length === 0) return `'{}'`;
  return fields.map((f, i) => `'${i === 0 ? '{' : ','}"${f.key}":' || ${f.json}`).join(' || ') + ` || '}'`;
}

/** An aggregate of the items' JSON text (`item`, per row) as an array, in `order`: `[]` for no rows. */
export const jsonArray = (item: string, order: string) => `'[' || coalesce(string_agg(${item}, ',' ORDER BY ${order}), '') || ']'`;

/**
 * The JSON of a leaf field as GraphQL would serialise it, over the row alias `row`: ids and
 * enums as text, floats as JavaScript writes them, DateTime as `toISOString()` writes it (UTC,
 * milliseconds truncated as node-postgres does). Null for anything else: a computed field,
 * arguments, or a type this path does not serialise; the caller then leaves the request to graphql-js.
 */
export function leafField(em: EntityManager, entity: Function, type: GraphQLObjectType, field: SelectedField, row: string): JsonField | null {
  const { key } = field;
  if (field.nodes[0].selectionSet || field.nodes[0].arguments?.length) return null;
  if (field.name === '__typename') return { key, json: jsonText.literal(type.name) };
  const column = plainColumnOf(em, entity, field.name);
  const definition = type.getFields()[field.name];
  if (!column || !definition) return null;
  const ref = `${row}."${column.databaseName}"`;
  const named = getNamedType(definition.type);
  if (isEnumType(named)) {
    // Stored as the enum's name (every enum of this schema): what GraphQL sends.
    return named.getValues().every((v) => v.value === v.name) ? { key, json: jsonText.bare(`${ref}::text`) } : null;
  }
  if (!isScalarType(named)) return null;
  switch (named.name) {
    case 'ID':
      return { key, json: column.type === 'uuid' ? jsonText.bare(`${ref}::text`) : jsonText.string(`${ref}::text`) };
    case 'String':
      return { key, json: jsonText.string(ref) };
    case 'Boolean':
    case 'Int':
      return { key, json: jsonText.plain(ref) };
    case 'Float': {
      const { precision, scale } = column;
      const bounded = column.type === 'numeric' && precision != null && scale != null && scale <= 4 && precision - scale <= 15;
      return { key, json: jsonText.float(ref, bounded) };
    }
    case 'DateTime':
      return { key, json: jsonText.bare(dateTimeJson(ref)) };
    default:
      return null;
  }
}

/**
 * A timestamptz (SQL `sql`) as the DateTime scalar and `Date.toISOString()` write it: UTC, to the
 * millisecond (truncated, as node-postgres reads it).
 */
export const dateTimeJson = (sql: string) => `to_char((${sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
