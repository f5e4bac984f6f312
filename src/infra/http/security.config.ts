import { ConfigError } from '../config-error';
import { loadQueryLimits, QueryLimits } from '../limits';

/** The abuse limits and browser rules of both doors, read once from the environment. */
export interface SecurityConfig {
  queryLimits: QueryLimits;
  /** Browser origins allowed besides the API's own (`CORS_ORIGINS`, comma-separated; `*` allows any). */
  corsOrigins: string[];
  /** Largest request body, in bytes (`MAX_BODY_BYTES`, default 100 KB); larger answers 413. */
  maxBodyBytes: number;
  /** GraphQL requests per user (or per address, without a token) per minute; 0 = off (`RATE_LIMIT_PER_MINUTE`). */
  httpPerMinute: number;
  /** WebSocket connections a user may open per minute; 0 = off (`WS_CONNECTIONS_PER_MINUTE`). */
  wsConnectionsPerMinute: number;
  /** How long a socket may wait before `connection_init` (`WS_INIT_TIMEOUT_MS`, default 3 s). */
  wsInitTimeoutMs: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

/** Reads the security settings; rate limits are off by default under `NODE_ENV=test`. */
export function loadSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  const testing = env.NODE_ENV === 'test';
  return {
    queryLimits: loadQueryLimits(env),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 100 * 1024, 1),
    httpPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', testing ? 0 : 600),
    wsConnectionsPerMinute: integer(env, 'WS_CONNECTIONS_PER_MINUTE', testing ? 0 : 30),
    wsInitTimeoutMs: integer(env, 'WS_INIT_TIMEOUT_MS', 3_000, 1),
  };
}
