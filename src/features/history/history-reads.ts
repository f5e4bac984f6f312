import { Pool } from 'pg';

/** Runs one read statement of the pipeline over time and answers its rows. */
export type HistoryRead = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** A pool of sessions for the history reads; `close` ends them. */
export interface HistoryReadPool {
  read: HistoryRead;
  close(): Promise<void>;
}

/**
 * A small pool for the history reads (snapshot, flow): its sessions start with the report time
 * limit and JIT off (startup parameters), so that each read is its one statement, with no
 * transaction and no settings sent around it: three round trips fewer than a transaction that
 * sets them, on reads of a few dozen milliseconds.
 */
export function historyReadPool(url: string, size: number, timeoutMs: number): HistoryReadPool {
  const pool = new Pool({
    connectionString: url, max: size, application_name: 'dealstream-history',
    statement_timeout: Math.max(1, Math.trunc(timeoutMs)), options: '-c jit=off',
  });
  // An idle session's error (the server restarted) is reported here; the next read reconnects.
  pool.on('error', () => undefined);
  return {
    read: async (sql, params) => (await pool.query(sql, params)).rows,
    close: () => pool.end(),
  };
}
