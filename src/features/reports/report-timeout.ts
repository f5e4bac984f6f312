import { EntityManager } from 'typeorm';
import { queryReportPrepared } from '../../infra/db/prepared';

/** Default longest run of one report statement; `REPORT_TIMEOUT_MS` overrides it. */
export const DEFAULT_REPORT_TIMEOUT_MS = 5_000;

/**
 * Runs report queries in a transaction whose statements PostgreSQL cancels after
 * `timeoutMs` (SQLSTATE 57014, which the error formatter answers as QUERY_TOO_COMPLEX),
 * so an analyst's heavy query ends with a clear error instead of holding the database.
 * Inside a caller's transaction the limit is set for the rest of that transaction.
 */
export async function withReportTimeout<T>(em: EntityManager, timeoutMs: number, work: (em: EntityManager) => Promise<T>): Promise<T> {
  // An integer from configuration, never user input: safe to inline (SET takes no parameters).
  // (No session compiles with JIT: infra/db/data-source.ts.)
  const set = `SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(timeoutMs))}`;
  if (em.queryRunner?.isTransactionActive) {
    await em.query(set);
    return work(em);
  }
  // BEGIN and the settings go in one round trip (a report is often a single statement, so the
  // two it would otherwise take before it are a fair part of its time). The work runs on the
  // runner's own manager; COMMIT or ROLLBACK ends the transaction before the runner returns to the pool.
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  try {
    await runner.query(`BEGIN; ${set}`);
    try {
      const result = await work(runner.manager);
      await runner.query('COMMIT');
      return result;
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    if (runner !== em.queryRunner) await runner.release();
  }
}

/** Runs one report statement (under the report timeout) and answers its rows. */
export type ReportQuery = <R = Record<string, unknown>>(sql: string, params: unknown[]) => Promise<R[]>;

/** One report statement under the report timeout: on report sessions where they exist, else in a transaction of its own. */
export async function queryReport<T = Record<string, unknown>>(em: EntityManager, timeoutMs: number, sql: string, params: unknown[]): Promise<T[]> {
  return (await queryReportPrepared<T>(em, sql, params, timeoutMs))
    ?? withReportTimeout(em, timeoutMs, (tx) => tx.query(sql, params) as Promise<T[]>);
}
