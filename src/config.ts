/** Environment parsed and validated once into a typed Config. */
export interface Config {
  port: number;
  host: string;
  /** Absent: the embedded PGlite database in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  jwtSecret: string;
  production: boolean;
  /** Apply pending migrations on start (under an advisory lock). */
  migrate: boolean;
  /** Create the demo workspace when the database is empty (embedded default only). */
  seedDemo: boolean;
  /** Longest a single SQL statement may run before PostgreSQL cancels it. */
  statementTimeoutMs: number;
  /** Longest a report statement may run (REPORT_TIMEOUT_MS); reports answer QUERY_TOO_COMPLEX past it. */
  reportTimeoutMs: number;
  poolSize: number;
  logLevel: string;
}

/** A development-only secret, used only with the embedded database. */
export const EMBEDDED_JWT_SECRET = 'dealstream-embedded-development-secret';

/** Where the embedded database keeps its files. */
export const DEFAULT_DATA_DIR = '.data/pglite';

export class ConfigError extends Error {}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  const jwtSecret = env.JWT_SECRET || (databaseUrl ? undefined : EMBEDDED_JWT_SECRET);
  if (!jwtSecret) throw new ConfigError('JWT_SECRET is required when DATABASE_URL is set');
  if (databaseUrl && jwtSecret.length < 16) throw new ConfigError('JWT_SECRET must be at least 16 characters');
  return {
    port: integer(env, 'PORT', 4000),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR || DEFAULT_DATA_DIR,
    jwtSecret,
    production: env.NODE_ENV === 'production',
    migrate: flag(env, 'MIGRATE', true),
    seedDemo: flag(env, 'SEED_DEMO', !databaseUrl),
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 15_000, 1),
    reportTimeoutMs: integer(env, 'REPORT_TIMEOUT_MS', 5_000, 1),
    poolSize: integer(env, 'DB_POOL_SIZE', 10, 1),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
  };
}
