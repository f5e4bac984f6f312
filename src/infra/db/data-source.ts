import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { DataSource, DataSourceOptions, Logger, MigrationExecutor } from 'typeorm';
import { entities } from '../../entities';
import { SnakeNamingStrategy } from './naming';
import { serialPGliteDriver } from './embedded';

export interface DataSourceSettings {
  /** A PostgreSQL URL; absent means `embedded`. */
  url?: string;
  embedded?: PGlite;
  poolSize?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** Sees every SQL statement the app sends (tests count them). */
  onQuery?: (sql: string, parameters?: unknown[]) => void;
}

const migrationsGlob = path.join(__dirname, '../../../migrations/*.{ts,js}');

/** The options shared by the app, the migration CLI and the tests. Never `synchronize`. */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations: [migrationsGlob],
    migrationsTableName: 'migrations',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    ...(settings.onQuery ? { logger: statementObserver(settings.onQuery) } : {}),
  };
  if (!settings.url) {
    if (!settings.embedded) throw new Error('Either a database URL or an embedded database is needed');
    return { ...common, driver: serialPGliteDriver(settings.embedded) };
  }
  return {
    ...common,
    url: settings.url,
    poolSize: settings.poolSize ?? 10,
    applicationName: settings.applicationName ?? 'dealstream',
    extra: {
      // A heavy query ends with a clear error instead of holding the database.
      statement_timeout: settings.statementTimeoutMs ?? 15_000,
      idle_in_transaction_session_timeout: 60_000,
      // No JIT compilation: it pays off for statements that run for seconds, and it starts at a
      // planner cost that a list's totalCount over a few thousand rows reaches, where compiling
      // took a quarter of the statement (every stage's count: 35 against 26 ms; a report's
      // aggregate, 0.7 s on 40 ms). The companion pools (prepared.ts) add their settings to these.
      options: '-c jit=off',
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: IDLE_SESSION_MS,
      maxLifetimeSeconds: SESSION_LIFETIME_S,
    },
  };
}

function statementObserver(onQuery: (sql: string, parameters?: unknown[]) => void): Logger {
  const ignore = () => undefined;
  return { logQuery: onQuery, logQueryError: ignore, logQuerySlow: ignore, logSchemaBuild: ignore, logMigration: ignore, log: ignore };
}

/**
 * How long a pooled session may sit idle before it is closed. Each session holds its prepared
 * statements' plans and PostgreSQL's catalog caches; a new one connects and plans every
 * statement again (milliseconds each for the long answer statements). With node-postgres's
 * default of 10 s, a board or wallboard that paused for ten seconds met cold sessions on its
 * next request, so idle sessions are kept for minutes instead. The companion pools
 * (prepared.ts) inherit it.
 */
export const IDLE_SESSION_MS = 10 * 60_000;

/**
 * How long a pooled session lives at most (it is closed when next released). A session keeps
 * every statement it prepared until it ends, and documents that differ become statements
 * that differ: without an end, a busy session would collect analysts' one-off shapes for good.
 */
export const SESSION_LIFETIME_S = 30 * 60;

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource(dataSourceOptions(settings));
}

/**
 * Applies pending migrations, one instance at a time (a session advisory lock). They run on
 * that same session with no statement timeout: a migration that backfills a large table
 * must not be cut off by the limit meant for requests. The embedded database serves one
 * process and one connection, so it needs no lock.
 */
export async function migrate(dataSource: DataSource, progress: (step: string) => void = () => undefined): Promise<void> {
  if (dataSource.options.driver) {
    const executor = new MigrationExecutor(dataSource);
    const pending = (await executor.getPendingMigrations()).length;
    if (pending > 0) progress(`applying ${pending} migration${pending === 1 ? '' : 's'}`);
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SET statement_timeout = 0');
    await runner.query('SELECT pg_advisory_lock(7216536)');
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const pending = (await executor.getPendingMigrations()).length;
    if (pending > 0) progress(`applying ${pending} migration${pending === 1 ? '' : 's'}`);
    await executor.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock(7216536)').catch(() => undefined);
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}
