import { types } from 'pg';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

const TIMESTAMPTZ_OID = 1184;
const parseWireTimestamp = types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => Date;
/** What `row_to_json` writes for a timestamptz in an ordinary year: ISO 8601 with the offset in hours and minutes. */
const PLAIN_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d$/;

/**
 * A JSON timestamp as the same Date node-postgres makes of the wire text. The engine's ISO
 * parser truncates microseconds to the same millisecond as node-postgres does (checked for
 * every fraction) and is several times faster; anything unusual (BC, infinity, years before
 * 1000, offsets with seconds) goes through node-postgres's own parser.
 */
function parseTimestamp(value: string): Date {
  return PLAIN_ISO.test(value) ? new Date(value) : parseWireTimestamp(value.replace('T', ' '));
}

const isTimestamp = (type: unknown) => type === 'timestamptz' || type === 'timestamp with time zone';

/**
 * Entities from rows as `row_to_json` renders them, equal to what `hydrate` makes of the
 * same rows read over the wire. JSON differs from the wire format only in timestamps;
 * numbers pass through the columns' transformers as usual.
 */
export function hydrateJsonRows<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  const metadata = em.connection.getMetadata(target);
  const columns = metadata.columns.map((column) => ({
    name: column.databaseName,
    property: column.propertyName,
    timestamp: isTimestamp(column.type),
    transformer: column.transformer,
  }));
  return rows.map((row) => {
    const entity = metadata.create() as Record<string, unknown>;
    for (const column of columns) {
      if (!(column.name in row)) continue;
      let value = row[column.name];
      if (column.timestamp && typeof value === 'string') value = parseTimestamp(value);
      entity[column.property] = column.transformer ? ApplyValueTransformers.transformFrom(column.transformer, value) : value;
    }
    return entity as T;
  });
}
