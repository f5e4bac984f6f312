import type { Logger } from 'pino';
import { DeliveryObserver, makeAttempt } from './webhook-attempt';
import { WebhookDb } from './webhook-db';
import { WebhookFeed } from './webhook-feed';
import { WebhookHttp } from './webhook-http';
import { readBodies } from './webhook-body';
import { DELIVERY_TIMEOUT_MS } from './webhook-http';
import { CLAIM_MS, claimHeads, dueWebhooks, releaseClaims } from './webhook-queue';
import { PRUNE_EVERY_MS, pruneDeliveries } from './webhook-retention';
import { WebhooksConfig } from './webhooks.config';

/**
 * Attempts claimed (and their bodies read) in one statement each: the database's share of an
 * attempt shrinks to its one recording statement, so a webhook's ordered, one-at-a-time
 * delivery runs close to its endpoint's pace. Bodies are read with the batch, so the `deal`
 * they carry is at most one batch's sending time older than its POST.
 */
const BATCH = 20;
/** A POST starts only if its timeout ends this long before the claim would lapse. */
const CLAIM_MARGIN_MS = 5_000;
/**
 * With no webhook in the database an instance only looks again for one every second, and
 * moves the feed along every 5 s (so that it never lags far behind the log): an idle worker
 * costs PostgreSQL about one statement a second per instance, not a poll every 250 ms.
 */
const NO_WEBHOOKS_RECHECK_MS = 1_000;
const WEBHOOKS_RECHECK_MS = 30_000;
const IDLE_FEED_MS = 5_000;
/** Batches one webhook sends in a row before its slot goes back to the others. */
const BATCHES_IN_A_ROW = 3;

export interface WebhookWorkerOptions {
  db: WebhookDb;
  config: WebhooksConfig;
  logger: Logger;
  observer?: DeliveryObserver;
  /** Days a settled attempt is kept: the event log's retention (`EVENT_RETENTION_DAYS`). */
  retentionDays: number;
  /**
   * Whether this instance does the deployment's upkeep now (with NATS, the event relay only):
   * pruning, and while no webhook exists, looking for one every second and moving the feed
   * along. The others look every 30 s; the first webhook is sent by the upkeep instance at once.
   */
  upkeepHere?: () => boolean;
}

/**
 * Webhook delivery on one instance: feeds the queues from the event log, and sends to at most
 * `concurrency` webhooks at once, each in its own loop, so a slow or dead endpoint holds one
 * slot and never the others, nor the API (its statements run on a pool of their own). Wakes on
 * local commits and polls for the rest: other instances' commits, retries coming due.
 */
export class WebhookWorker {
  private readonly feed: WebhookFeed;
  private readonly http: WebhookHttp;
  private readonly sending = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private again = false;
  private stopped = false;
  private prunedAt = 0;
  private fedAt = 0;
  private known?: { any: boolean; at: number };

  constructor(private readonly options: WebhookWorkerOptions) {
    this.feed = new WebhookFeed(options.db);
    this.http = new WebhookHttp(options.config.allowPrivate);
  }

  async start(): Promise<void> {
    await this.feed.init();
    this.wake();
  }

  /** Looks at the log and the queues now (a write committed here, or a replay was queued). */
  readonly wake = (): void => {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.ticking = this.tick()
      .catch((err) => this.options.logger.warn({ err }, 'webhook delivery step failed; retrying at the next poll'))
      .finally(() => {
        this.ticking = undefined;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.wake();
        } else {
          this.timer = setTimeout(this.wake, this.options.config.pollMs);
        }
      });
  };

  private async tick(): Promise<void> {
    const upkeep = this.options.upkeepHere?.() ?? true;
    if (upkeep && Date.now() - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await pruneDeliveries(this.options.db.run, this.options.retentionDays);
    }
    if (!(await this.anyWebhooks(upkeep)) && (!upkeep || Date.now() - this.fedAt < IDLE_FEED_MS)) return;
    this.fedAt = Date.now();
    for (let step = await this.feed.step(); step.more && !this.stopped; step = await this.feed.step());
    const free = this.options.config.concurrency - this.sending.size;
    if (free <= 0 || this.stopped) return;
    for (const webhookId of await dueWebhooks(this.options.db.run, [...this.sending.keys()], free)) {
      if (this.sending.has(webhookId) || this.stopped) continue;
      const loop = this.send(webhookId)
        .catch((err) => this.options.logger.warn({ err, webhookId }, 'webhook delivery failed; retrying at the next poll'))
        .finally(() => {
          this.sending.delete(webhookId);
          this.wake();
        });
      this.sending.set(webhookId, loop);
    }
  }

  /** Whether any webhook exists, as last seen (an answer of none is looked at again sooner). */
  private async anyWebhooks(upkeep: boolean): Promise<boolean> {
    const age = this.known ? Date.now() - this.known.at : Infinity;
    if (this.known && age < (this.known.any || !upkeep ? WEBHOOKS_RECHECK_MS : NO_WEBHOOKS_RECHECK_MS)) return this.known.any;
    const [row] = await this.options.db.run('SELECT EXISTS (SELECT 1 FROM webhooks) AS any');
    this.known = { any: row.any === true, at: Date.now() };
    return this.known.any;
  }

  /**
   * Sends one webhook's due attempts in queue order, one at a time, a few batches in a row
   * before its slot goes back to the others.
   */
  private async send(webhookId: string): Promise<void> {
    for (let n = 0; n < BATCHES_IN_A_ROW && !this.stopped; n++) {
      if (!(await this.sendBatch(webhookId))) return;
    }
  }

  /**
   * One batch, while this instance holds its claims; true when it was full and all went out.
   * What it cannot send (after a failure, the lease running out, a stop) goes back unclaimed.
   */
  private async sendBatch(webhookId: string): Promise<boolean> {
    const { db, config, observer } = this.options;
    const claimed = await claimHeads(db.run, webhookId, BATCH);
    if (claimed.length === 0) return false;
    const lapsesAt = Date.now() + CLAIM_MS;
    const bodies = await readBodies(db.run, claimed[0].workspaceId, claimed);
    for (const [i, claim] of claimed.entries()) {
      const fits = Date.now() + DELIVERY_TIMEOUT_MS + CLAIM_MARGIN_MS <= lapsesAt;
      const result = !this.stopped && fits
        ? await makeAttempt(db, this.http, claim, bodies.get(claim.deliveryId), config.retryBaseMs, this.abort.signal, observer)
        : 'released';
      if (result === 'delivered' || result === 'failed') continue;
      // A retry now waits at the head, or this claim went back: the later events wait behind it.
      await releaseClaims(db.run, claimed.slice(result === 'released' ? i : i + 1).map((c) => c.id));
      return false;
    }
    return claimed.length === BATCH;
  }

  /** Stops feeding and sending; attempts in flight are abandoned and their claims released. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.ticking;
    await Promise.all(this.sending.values());
    this.http.close();
    await this.options.db.close();
  }
}
