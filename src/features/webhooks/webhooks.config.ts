import { ConfigError } from '../../infra/config-error';

/** Settings of webhook delivery, read once from the environment. */
export interface WebhooksConfig {
  /** Accept loopback, private and link-local endpoints, and http to them (`WEBHOOK_ALLOW_PRIVATE`, default false). */
  allowPrivate: boolean;
  /** Retry k of a delivery waits this × 2^(k−1) ms (`WEBHOOK_RETRY_BASE_MS`, default 1000). */
  retryBaseMs: number;
  /** Webhooks this instance sends to at once; a hanging endpoint holds one of them (`WEBHOOK_CONCURRENCY`, default 16). */
  concurrency: number;
  /** How often queues are looked at without a local commit to wake them (`WEBHOOK_POLL_MS`, default 250). */
  pollMs: number;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

export function loadWebhooksConfig(env: NodeJS.ProcessEnv): WebhooksConfig {
  const allow = env.WEBHOOK_ALLOW_PRIVATE ?? '';
  if (!/^(|true|false|1|0)$/i.test(allow)) {
    throw new ConfigError(`WEBHOOK_ALLOW_PRIVATE must be true or false, got "${allow}"`);
  }
  return {
    allowPrivate: /^(true|1)$/i.test(allow),
    retryBaseMs: whole(env, 'WEBHOOK_RETRY_BASE_MS', 1000, 1),
    concurrency: whole(env, 'WEBHOOK_CONCURRENCY', 16, 1),
    pollMs: whole(env, 'WEBHOOK_POLL_MS', 250, 10),
  };
}
