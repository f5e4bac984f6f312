import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { SqlRunner } from '../../infra/db/sql-runner';

/** The statements of webhook delivery: one at a time, or several as one transaction. */
export interface WebhookDb {
  run: SqlRunner;
  transaction<T>(work: (run: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A small pool of its own on PostgreSQL, so that delivery never waits for, nor takes, the
 * connections requests use (and its statements are not counted as theirs).
 */
export function poolDb(url: string, size: number): WebhookDb {
  const pool = new Pool({ connectionString: url, max: size, application_name: 'dealstream-webhooks' });
  // An idle client's error (the server restarted) is reported here; the next statement reconnects.
  pool.on('error', () => undefined);
  return {
    run: async (sql, params) => (await pool.query(sql, params)).rows,
    async transaction(work) {
      const client = await pool.connect();
      // A checked-out client has no listener of the pool's: a session cut between two
      // statements (PostgreSQL restarting) would otherwise be an unhandled 'error' event.
      let lost: Error | undefined;
      const onLost = (err: Error) => { lost = err; };
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await work(async (sql, params) => (await client.query(sql, params)).rows);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        if (!lost) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.removeListener('error', onLost);
        // A lost session is destroyed, not handed to the next caller.
        client.release(lost);
      }
    },
    close: () => pool.end(),
  };
}

/** The app's data source (the embedded database, whose one session the app serialises). */
export function dataSourceDb(dataSource: DataSource): WebhookDb {
  return {
    run: (sql, params) => dataSource.query(sql, params),
    transaction: (work) => dataSource.transaction((em) => work((sql, params) => em.query(sql, params))),
    close: async () => undefined,
  };
}
