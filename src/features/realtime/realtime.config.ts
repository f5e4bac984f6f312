import { ConfigError } from '../../infra/config-error';

/** Settings of live delivery, read once from the environment. */
export interface RealtimeConfig {
  /** How often the event log is read without a wake-up hint (`REALTIME_POLL_MS`, default 250). */
  pollMs: number;
  /** Live events held for one subscriber before it is closed with 1013 (`REALTIME_MAX_QUEUE`, default 10,000). */
  maxQueue: number;
  /** Operations running at once on one WebSocket (`WS_MAX_OPERATIONS`, default 20). */
  maxOperationsPerSocket: number;
  /** Days an event is kept in the log (`EVENT_RETENTION_DAYS`, a decimal, default 30). */
  retentionDays: number;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function positiveDecimal(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw.trim()) || !(n > 0)) throw new ConfigError(`${name} must be a number > 0 (days; decimals allowed), got "${raw}"`);
  return n;
}

export function loadRealtimeConfig(env: NodeJS.ProcessEnv): RealtimeConfig {
  return {
    pollMs: whole(env, 'REALTIME_POLL_MS', 250, 10),
    maxQueue: whole(env, 'REALTIME_MAX_QUEUE', 10_000, 1),
    maxOperationsPerSocket: whole(env, 'WS_MAX_OPERATIONS', 20, 1),
    retentionDays: positiveDecimal(env, 'EVENT_RETENTION_DAYS', 30),
  };
}
