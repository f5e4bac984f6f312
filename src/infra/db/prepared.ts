import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { EntityManager } from 'typeorm';
import { endWithPool, pgPoolOf } from './typeorm-pool.adapter';

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
 * How PostgreSQL plans a named statement: `custom`, its own choice (a plan for the values of
 * each of the first five executions, then, unless it estimates the generic plan dearer, one
 * plan for all); `generic`, one plan for every value from the first execution on.
 */
export type PlanChoice = 'custom' | 'generic';

/** The application name of the sessions that plan named statements generically. */
export const GENERIC_PLAN_SESSIONS = 'dealstream-generic-plans';

const genericPools = new WeakMap<Pool, Pool>();

/**
 * Sessions that plan each named statement once, generically: the data source's pool settings
 * with `plan_cache_mode = force_generic_plan`, a pool beside it that ends with it. For a
 * statement whose every condition is an equality on an indexed column (a pipeline's OPEN
 * deals by value), the generic plan is the custom plan; yet PostgreSQL, estimating it a
 * little dearer, keeps planning the statement again on every execution: 0.4–0.8 ms of
 * planning for a page that runs in 2 ms. Only statements that say so come here; the rest,
 * TypeORM's included, keep PostgreSQL's choice.
 */
function genericPlanPool(pool: Pool): Pool {
  let generic = genericPools.get(pool);
  if (!generic) {
    const options = [pool.options.options, '-c plan_cache_mode=force_generic_plan'].filter(Boolean).join(' ');
    generic = new Pool({ ...pool.options, options, application_name: GENERIC_PLAN_SESSIONS, allowExitOnIdle: true });
    // A session that breaks while idle is dropped by the pool; the error needs a listener.
    generic.on('error', () => undefined);
    genericPools.set(pool, generic);
    endWithPool(pool, generic);
  }
  return generic;
}

/**
 * Runs one statement as a named prepared statement: each pooled connection parses and plans it
 * once, then only binds and executes (the fast paths' statements are long CTEs whose planning
 * costs about as much as running them). Outside a transaction on PostgreSQL only; inside one,
 * or on the embedded database (one serial session), it is an ordinary query. Either way the
 * data source's logger sees it, like every other statement.
 */
export async function queryPrepared<T = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[],
  plan: PlanChoice = 'custom'): Promise<T[]> {
  const pool = em.queryRunner ? undefined : pgPoolOf(em.connection);
  if (!pool) return em.query(sql, params);
  em.connection.logger.logQuery(sql, params);
  const sessions = plan === 'generic' ? genericPlanPool(pool) : pool;
  const result = await sessions.query({ name: nameOf(sql), text: sql, values: params });
  return result.rows as T[];
}
