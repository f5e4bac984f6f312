import type { Logger } from 'pino';
import { DeliveryObserver, makeAttempt } from './webhook-attempt';
import { WebhookDb } from './webhook-db';
import { WebhookFeed } from './webhook-feed';
import { WebhookHttp } from './webhook-http';
import { claimHead, dueWebhooks } from './webhook-queue';
import { PRUNE_EVERY_MS, pruneDeliveries } from './webhook-retention';
import { WebhooksConfig } from './webhooks.config';

/** Attempts one webhook makes in a row before its slot goes back to the others. */
const BURST = 50;

export interface WebhookWorkerOptions {
  db: WebhookDb;
  config: WebhooksConfig;
  logger: Logger;
  observer?: DeliveryObserver;
  /** Days a settled attempt is kept: the event log's retention (`EVENT_RETENTION_DAYS`). */
  retentionDays: number;
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
    if (Date.now() - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await pruneDeliveries(this.options.db.run, this.options.retentionDays);
    }
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

  /** Sends one webhook's due attempts in queue order, while it holds their claims. */
  private async send(webhookId: string): Promise<void> {
    const { db, config, observer } = this.options;
    for (let n = 0; n < BURST && !this.stopped; n++) {
      const claim = await claimHead(db.run, webhookId);
      if (!claim) return;
      await makeAttempt(db, this.http, claim, config.retryBaseMs, this.abort.signal, observer);
    }
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
