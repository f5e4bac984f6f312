import { createHash } from 'node:crypto';
import { Pool, PoolConfig } from 'pg';
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
 * plan for all); `generic`, one plan for every value from the first execution on; `per-values`,
 * a plan for each execution's values, always.
 */
export type PlanChoice = 'custom' | 'generic' | 'per-values';

/** The application name of the sessions that plan named statements generically. */
export const GENERIC_PLAN_SESSIONS = 'dealstream-generic-plans';

/** The application name of the sessions that plan each execution for its values, and their setting. */
export const PER_VALUES_PLAN_SESSIONS = 'dealstream-per-values-plans';
export const PER_VALUES_PLAN_SETTING = 'plan_cache_mode=force_custom_plan';

const companions = new WeakMap<Pool, Map<string, Pool>>();

/**
 * Sessions beside the data source's pool, with the pool's settings plus `settings` (`name=value`
 * each) and `config` (e.g. `max`, or `statement_timeout`, which the pool's own setting of it
 * would override in `settings`): made once per pool and kind, ended with the pool.
 */
function companionPool(pool: Pool, applicationName: string, settings: string[], config: PoolConfig = {}): Pool {
  let byKind = companions.get(pool);
  if (!byKind) companions.set(pool, (byKind = new Map()));
  const key = JSON.stringify([applicationName, settings, config]);
  let companion = byKind.get(key);
  if (!companion) {
    const options = [pool.options.options, ...settings.map((setting) => `-c ${setting}`)].filter(Boolean).join(' ');
    companion = new Pool({ ...pool.options, ...config, options, application_name: applicationName, allowExitOnIdle: true });
    // A session that breaks while idle is dropped by the pool; the error needs a listener.
    companion.on('error', () => undefined);
    byKind.set(key, companion);
    endWithPool(pool, companion);
  }
  return companion;
}

/**
 * Sessions that plan each named statement once, generically (`plan_cache_mode =
 * force_generic_plan`). For a statement whose every condition is an equality on an indexed
 * column (a pipeline's OPEN deals by value), the generic plan is the custom plan; yet
 * PostgreSQL, estimating it a little dearer, keeps planning the statement again on every
 * execution: 0.4–0.8 ms of planning for a page that runs in 2 ms. Only statements that say so
 * come here; the rest, TypeORM's included, keep PostgreSQL's choice.
 */
const genericPlanPool = (pool: Pool) => companionPool(pool, GENERIC_PLAN_SESSIONS, ['plan_cache_mode=force_generic_plan']);

/**
 * Sessions that plan each execution of a named statement for its values. A list whose best plan
 * depends on its values (a range, a search) is planned for them; but left to itself PostgreSQL
 * keeps that up only while it estimates the generic plan dearer than the first five custom
 * ones. After five pages of a common lead source (then a parameter), whose walk of the list in
 * order is cheap, it took the generic plan, and a source with no deals then walked the whole
 * list to find none: 42 ms a page, against 0.1 ms by the source's index.
 */
const perValuesPlanPool = (pool: Pool) => companionPool(pool, PER_VALUES_PLAN_SESSIONS, [PER_VALUES_PLAN_SETTING]);

/** The application name of the sessions that run report statements under the report timeout. */
export const REPORT_SESSIONS = 'dealstream-reports';

/**
 * A report statement as a named prepared statement on report sessions: PostgreSQL cancels it
 * after `timeoutMs` (SQLSTATE 57014); like every session, they compile nothing with JIT (about
 * 0.7 s of compilation was measured on a 40 ms aggregate). One round trip, planned once per session, where a
 * transaction setting the limit takes three and plans every time. At most half the pool's
 * connections run reports at once, so heavy reports leave the rest of the pool to the others.
 * Null on the embedded database and inside a transaction: the caller sets the limit itself.
 */
export async function queryReportPrepared<T = Record<string, unknown>>(em: EntityManager, sql: string, params: unknown[],
  timeoutMs: number): Promise<T[] | null> {
  const pool = em.queryRunner ? undefined : pgPoolOf(em.connection);
  if (!pool) return null;
  const sessions = companionPool(pool, REPORT_SESSIONS, [],
    { statement_timeout: Math.max(1, Math.trunc(timeoutMs)), max: Math.max(2, Math.ceil((pool.options.max ?? 10) / 2)) });
  em.connection.logger.logQuery(sql, params);
  const result = await sessions.query({ name: nameOf(sql), text: sql, values: params });
  return result.rows as T[];
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
  const sessions = plan === 'generic' ? genericPlanPool(pool) : plan === 'per-values' ? perValuesPlanPool(pool) : pool;
  const result = await sessions.query({ name: nameOf(sql), text: sql, values: params });
  return result.rows as T[];
}
