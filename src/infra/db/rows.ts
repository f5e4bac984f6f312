import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';

/** Builds an entity from a raw row of its table (snake_case columns), transformers applied. */
export function hydrate<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = em.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    const raw = row[column.databaseName];
    (entity as Record<string, unknown>)[column.propertyName] = column.transformer
      ? ApplyValueTransformers.transformFrom(column.transformer, raw)
      : raw;
  }
  return entity;
}

export function hydrateAll<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, rows: Record<string, unknown>[]): T[] {
  return rows.map((row) => hydrate(em, target, row));
}

/**
 * The rows a statement returns, whatever its kind. `em.query` answers UPDATE and DELETE with
 * `[rows, count]` and every other statement with the rows (and a PGlite `WITH … UPDATE` with
 * the rows again), so `… RETURNING *` must be read through here to mean the same everywhere.
 */
export async function queryRows(em: EntityManager, sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return result.records ?? [];
  } finally {
    if (!em.queryRunner) await runner.release();
  }
}
