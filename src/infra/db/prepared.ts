import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { pgPoolOf } from './typeorm-pool.adapter';

const names = new Map<string, string>();
const NAMES_LIMIT = 1_000;

/** A stable statement name per SQL text: pg keeps one prepared statement per name and connection. */
export function nameOf(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    if (names.size >= NAMES_LIMIT) names.clear();
    name = `ds_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
}

/**
 * Runs one statement as a named prepared statement: each pooled connection parses and plans it
 * once, then only binds and executes (the fast paths' statements are long CTEs whose planning
 * costs about as much as running them). Outside a transaction on PostgreSQL only; inside one,
 * or on the embedded database (one serial session), it is an ordinary query. Either way the
 * data source's logger sees it, like every other statement.
 */
export async function queryPrepared<T = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const pool = em.queryRunner ? undefined : pgPoolOf(em.connection);
  if (!pool) return em.query(sql, params);
  em.connection.logger.logQuery(sql, params);
  const result = await pool.query({ name: nameOf(sql), text: sql, values: params });
  return result.rows as T[];
}
