import { getNamedType, GraphQLObjectType, isEnumType, isScalarType } from 'graphql';
import { EntityManager } from 'typeorm';
import { SelectedField } from '../graphql/selection';
import { plainColumn } from './selected-columns';

/** A field as PostgreSQL builds it: its response key and a SQL expression of its JSON value. */
export interface JsonField {
  key: string;
  sql: string;
}

/**
 * The SQL value of a leaf field as GraphQL would serialise it, over the row alias `row`:
 * ids and enums as text, floats as float8 (PostgreSQL and JavaScript both print the shortest
 * exact form), DateTime as `toISOString()` writes it (UTC, milliseconds truncated as
 * node-postgres does). Null for anything else: a computed field, arguments, or a
 * type this path does not serialise; the caller then leaves the request to graphql-js.
 */
export function leafField(em: EntityManager, entity: Function, type: GraphQLObjectType, field: SelectedField, row: string): JsonField | null {
  const { key } = field;
  if (field.nodes[0].selectionSet || field.nodes[0].arguments?.length) return null;
  if (field.name === '__typename') return { key, sql: `'${type.name}'` };
  const column = plainColumn(em, entity, field.name);
  const definition = type.getFields()[field.name];
  if (!column || !definition) return null;
  const ref = `${row}."${column}"`;
  const named = getNamedType(definition.type);
  if (isEnumType(named)) {
    // Stored as the enum's name (every enum of this schema): what GraphQL sends.
    return named.getValues().every((v) => v.value === v.name) ? { key, sql: `${ref}::text` } : null;
  }
  if (!isScalarType(named)) return null;
  switch (named.name) {
    case 'ID':
      return { key, sql: `${ref}::text` };
    case 'String':
    case 'Boolean':
    case 'Int':
      return { key, sql: ref };
    case 'Float':
      return { key, sql: `${ref}::float8` };
    case 'DateTime':
      return { key, sql: dateTimeJson(ref) };
    default:
      return null;
  }
}

/**
 * A timestamptz (SQL `sql`) as the DateTime scalar and `Date.toISOString()` write it: UTC, to the
 * millisecond (truncated, as node-postgres reads it).
 */
export const dateTimeJson = (sql: string) => `to_char((${sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `json_build_object(...)` of the fields, in the order the query asked for them. */
export function jsonObject(fields: JsonField[]): string {
  // Keys are GraphQL names ([_A-Za-z][_0-9A-Za-z]*): safe inside a string literal.
  return `json_build_object(${fields.map((f) => `'${f.key}', ${f.sql}`).join(', ')})`;
}
