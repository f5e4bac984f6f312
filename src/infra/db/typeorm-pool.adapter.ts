import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The one place that reaches into TypeORM's driver internals: the node-postgres pool behind
 * a data source (`driver.master`, not part of its typed API). Undefined on the embedded
 * database (a driver of its own, one serial session) and before the data source connects.
 * test/hardening/dependency-adapters.test.ts breaks when an upgrade of TypeORM changes it.
 */
export function pgPoolOf(dataSource: DataSource): Pool | undefined {
  if (dataSource.options.type !== 'postgres' || dataSource.options.driver) return undefined;
  return (dataSource.driver as unknown as { master?: Pool }).master;
}

/**
 * Ends `companion` whenever TypeORM ends the data source's pool (`DataSource.destroy`), so that
 * a pool made beside it never outlives it. TypeORM ends its pool with a callback; both forms of
 * `Pool.end` are kept.
 */
export function endWithPool(pool: Pool, companion: { end(): Promise<void> }): void {
  const end = pool.end.bind(pool) as () => Promise<void>;
  pool.end = ((callback?: (err?: Error) => void) => {
    const ended = companion.end().catch(() => undefined).then(end);
    if (!callback) return ended;
    ended.then(() => callback(), callback);
    return undefined;
  }) as Pool['end'];
}
