import { createHmac } from 'node:crypto';
import { CreateWebhookDocument, CreateWebhookInput, WebhookDeliveriesDocument } from '../generated/graphql';
import { sql } from '../helpers/database';
import { migratedScratchDatabase } from '../helpers/own-database';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * A migrated database of its own: every instance on a database delivers its webhooks, so the
 * instances of other test files (with other settings) must not share these.
 */
export function webhookDatabase(suffix: string): Promise<string> {
  return migratedScratchDatabase(`webhooks_${suffix}`);
}

/** An instance that may call the test's receivers (on 127.0.0.1), retrying after 20, 40, 80 … ms. */
export function deliveringApp(url: string, env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ DATABASE_URL: url, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_POLL_MS: '20', ...env });
}

export async function createWebhook(t: TestApp, token: string, input: CreateWebhookInput) {
  return ok(await gql(t.url, token, CreateWebhookDocument, { input })).createWebhook;
}

/** The webhook with its newest deliveries, through the API. */
export async function webhookWithDeliveries(t: TestApp, token: string, id: string, first = 100) {
  return ok(await gql(t.url, token, WebhookDeliveriesDocument, { id, first })).webhook!;
}

/** Attempt rows of a webhook, oldest first, straight from the database. */
export function attemptsOf(url: string, webhookId: string) {
  return sql<{ delivery_id: string; seq: string; attempt: number; status: string; http_status: number | null; error: string | null }>(
    'SELECT delivery_id, seq::text, attempt, status, http_status, error FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id',
    [webhookId], url);
}

/** The seqs of a workspace's events, in order, straight from the log. */
export async function seqsOf(url: string, workspaceId: string): Promise<string[]> {
  const rows = await sql<{ seq: string }>('SELECT seq::text FROM deal_events WHERE workspace_id = $1 ORDER BY deal_events.seq', [workspaceId], url);
  return rows.map((r) => r.seq);
}

/** Whether a Dealstream-Signature header signs `raw` with `secret`, as a receiver checks it. */
export function signatureValid(header: string | string[] | undefined, raw: string, secret: string): boolean {
  const parts = Object.fromEntries(String(header).split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${raw}`).digest('hex');
  return parts.v1 === expected;
}
