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
