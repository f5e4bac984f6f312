import { SESSION_LIFETIME_S } from '../../src/infra/db/data-source';
import { queryPrepared, queryReportPrepared } from '../../src/infra/db/prepared';
import { pgPoolOf } from '../../src/infra/db/typeorm-pool.adapter';
import { newWorkspace, startTestApp } from '../helpers/test-app';
import { postQuery } from './http';

test('every session of the pool has a statement timeout, an idle-in-transaction timeout and no JIT compilation', async () => {
  const t = await startTestApp({ STATEMENT_TIMEOUT_MS: '15000' });
  try {
    const [statement] = await t.app.dataSource.query('SHOW statement_timeout');
    const [idle] = await t.app.dataSource.query('SHOW idle_in_transaction_session_timeout');
    expect(statement.statement_timeout).toBe('15s');
    expect(idle.idle_in_transaction_session_timeout).toBe('1min');
    // No JIT on the pool's sessions, nor on the companion pools' (generic plans, reports).
    const [jit] = await t.app.dataSource.query('SHOW jit');
    expect(jit.jit).toBe('off');
    const [generic] = await queryPrepared<{ jit: string }>(t.app.dataSource.manager, "SELECT current_setting('jit') AS jit", [], 'generic');
    expect(generic.jit).toBe('off');
    const [report] = (await queryReportPrepared<{ jit: string }>(t.app.dataSource.manager, "SELECT current_setting('jit') AS jit", [], 5_000))!;
    expect(report.jit).toBe('off');
  } finally {
    await t.stop();
  }
});

test('an exhausted pool answers a retryable 503 within the connect timeout, then serves again', async () => {
  const t = await startTestApp({ DB_POOL_SIZE: '1' });
  const token = newWorkspace().token('ADMIN');
  try {
    expect((await postQuery(t.url, '{ me { id } }', { token })).status).toBe(200);
    const holder = t.app.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction(); // the only connection, held
    let waiting;
    try {
      waiting = await postQuery(t.url, '{ me { id } pipelines { id } }', { token });
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    expect(waiting.status).toBe(503);
    expect(waiting.headers.get('retry-after')).toBe('1');
    expect(waiting.body?.errors?.[0]).toMatchObject({
      message: 'The database is unavailable; retry in a moment',
      extensions: { code: 'INTERNAL_SERVER_ERROR', retryable: true },
    });
    const again = await postQuery(t.url, '{ me { id } }', { token });
    expect(again.body?.data).toEqual({ me: { id: 'admin-user' } });
  } finally {
    await t.stop();
  }
});

test('pooled sessions outlive a pause longer than node-postgres\'s default idle timeout of 10 s', async () => {
  const t = await startTestApp();
  try {
    // Three sessions at once, then a quiet spell: a board that paused must find them (and
    // their prepared plans) still there, not connect and plan again.
    const pids = await Promise.all([0, 1, 2].map(async () => {
      const [row] = await t.app.dataSource.query('SELECT pg_backend_pid() AS pid, pg_sleep(0.3)');
      return Number(row.pid);
    }));
    expect(new Set(pids).size).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const [{ alive }] = await t.app.dataSource.query(
      'SELECT count(*)::int AS alive FROM pg_stat_activity WHERE pid = ANY($1::int[])', [pids]);
    expect(alive).toBe(3);
  } finally {
    await t.stop();
  }
}, 30_000);

test('a pooled session ends after a bounded life, and with it the statements it prepared', async () => {
  const t = await startTestApp();
  try {
    // The pool node-postgres runs: TypeORM passes the data source's options on to it.
    expect(pgPoolOf(t.app.dataSource)?.options).toMatchObject({ maxLifetimeSeconds: SESSION_LIFETIME_S });
  } finally {
    await t.stop();
  }
});
