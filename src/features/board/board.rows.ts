import { types } from 'pg';
import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { hydrate } from '../../infra/db/rows';

const TIMESTAMPTZ_OID = 1184;
const parseTimestamp = types.getTypeParser(TIMESTAMPTZ_OID, 'text') as (value: string) => Date;
const isTimestamp = (type: unknown) => type === 'timestamptz' || type === 'timestamp with time zone';

/**
 * An entity from a row as `row_to_json` renders it. JSON differs from the wire format only in
 * timestamps (`2026-01-02T03:04:05.123456+00:00`): they go through node-postgres's own
 * parser, so a date comes out to the same millisecond as on the general path. Numbers pass
 * through the columns' transformers as usual.
 */
export function hydrateJson<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = em.connection.getMetadata(target);
  const wire: Record<string, unknown> = { ...row };
  for (const column of metadata.columns) {
    const value = wire[column.databaseName];
    if (typeof value === 'string' && isTimestamp(column.type)) wire[column.databaseName] = parseTimestamp(value.replace('T', ' '));
  }
  return hydrate(em, target, wire);
}
