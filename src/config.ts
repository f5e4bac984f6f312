import { loadRealtimeConfig, RealtimeConfig } from './features/realtime/realtime.config';
import { loadSecurityConfig, SecurityConfig } from './infra/http/security.config';
import { loadWebhooksConfig, WebhooksConfig } from './features/webhooks/webhooks.config';
import { ConfigError } from './infra/config-error';

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
  /** How often the stage-visit backlog and the stage-tally deltas are folded in (REPORT_FOLD_INTERVAL_MS; 0: never). */
  reportFoldIntervalMs: number;
  /** How often each instance looks for deals that have just stalled, in ms; 0: never (`STALL_CHECK_INTERVAL_MS`, default 15,000). */
  stallCheckIntervalMs: number;
  poolSize: number;
  logLevel: string;
  /** Query limits, body limit, CORS allow-list and rate limits (see README, Limits). */
  security: SecurityConfig;
  /** Serve GraphiQL on a browser GET of /graphql (default: on outside production; `EXPLORER`). */
  explorer: boolean;
  /** How long a SIGTERM waits for in-flight work before closing what is left. */
  shutdownTimeoutMs: number;
  /** Keep the demo workspace's board moving (default: with the demo, outside production; `DEMO_ACTIVITY`). */
  demoActivity: boolean;
  /** Redis for rate and connection limits shared by every instance (`REDIS_URL`); absent: per instance. */
  redisUrl?: string;
  /** Live delivery: poll interval, per-subscriber queue, operations per socket. */
  realtime: RealtimeConfig;
  /** Webhook delivery: private addresses, retry base, concurrency, poll interval. */
  webhooks: WebhooksConfig;
}

/** A development-only secret, used only with the embedded database. */
export const EMBEDDED_JWT_SECRET = 'dealstream-embedded-development-secret';

/** Where the embedded database keeps its files. */
export const DEFAULT_DATA_DIR = '.data/pglite';

export { ConfigError };

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ConfigError(`${name} must be an integer ${bounds}, got "${raw}"`);
  }
  return n;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NODE_ENVS = ['development', 'production', 'test'];

function oneOf(env: NodeJS.ProcessEnv, name: string, allowed: string[], fallback: string): string {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw;
}

/** A URL variable of one of `protocols` (e.g. `['postgres', 'postgresql']`); undefined when unset. */
function serviceUrl(env: NodeJS.ProcessEnv, name: string, protocols: string[], example: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let protocol: string;
  try {
    protocol = new URL(raw).protocol;
  } catch {
    throw new ConfigError(`${name} must be a URL such as ${example}`);
  }
  if (!protocols.some((p) => `${p}:` === protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.map((p) => `${p}://`).join(' or ')}, got "${protocol}//"`);
  }
  return raw;
}

/**
 * The secret tokens are signed with: JWT_SECRET, required with DATABASE_URL and in production
 * (embedded too), where the development secret, public in this repository, is refused.
 */
function signingSecret(given: string | undefined, { databaseUrl, production }: { databaseUrl?: string; production: boolean }): string {
  if (!given) {
    if (production) throw new ConfigError('JWT_SECRET is required when NODE_ENV=production: set it to a private random value of 16+ characters');
    if (databaseUrl) throw new ConfigError('JWT_SECRET is required when DATABASE_URL is set');
    return EMBEDDED_JWT_SECRET;
  }
  if ((databaseUrl || production) && given.length < 16) throw new ConfigError('JWT_SECRET must be at least 16 characters');
  if (production && given === EMBEDDED_JWT_SECRET) throw new ConfigError('JWT_SECRET must not be the public development secret when NODE_ENV=production');
  return given;
}

/** Reads and validates the environment; a bad value throws a ConfigError that names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = serviceUrl(env, 'DATABASE_URL', ['postgres', 'postgresql'], 'postgres://user@host:5432/dealstream');
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  const production = nodeEnv === 'production';
  const jwtSecret = signingSecret(env.JWT_SECRET, { databaseUrl, production });
  // A demo in production would mean well-known users and tokens printed to the log.
  const seedDemo = flag(env, 'SEED_DEMO', !databaseUrl && !production);
  if (seedDemo && production) throw new ConfigError('SEED_DEMO=true is refused with NODE_ENV=production: unset SEED_DEMO');
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    dataDir: env.DATA_DIR || DEFAULT_DATA_DIR,
    jwtSecret,
    production,
    migrate: flag(env, 'MIGRATE', true),
    seedDemo,
    statementTimeoutMs: integer(env, 'STATEMENT_TIMEOUT_MS', 15_000, 1),
    reportTimeoutMs: integer(env, 'REPORT_TIMEOUT_MS', 5_000, 1),
    reportFoldIntervalMs: integer(env, 'REPORT_FOLD_INTERVAL_MS', 1_000, 0),
    stallCheckIntervalMs: integer(env, 'STALL_CHECK_INTERVAL_MS', 15_000, 0),
    poolSize: integer(env, 'DB_POOL_SIZE', 10, 1),
    security: loadSecurityConfig(env),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info'),
    explorer: flag(env, 'EXPLORER', nodeEnv !== 'production'),
    // Under the 10 s an orchestrator (and the contract) gives a stop, with room to exit.
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 8_000, 0),
    demoActivity: flag(env, 'DEMO_ACTIVITY', seedDemo),
    redisUrl: serviceUrl(env, 'REDIS_URL', ['redis', 'rediss'], 'redis://127.0.0.1:6379'),
    realtime: loadRealtimeConfig(env),
    webhooks: loadWebhooksConfig(env),
  };
}
