import { Client } from 'pg';
import type { Logger } from 'pino';
import { readFinal, SqlRunner, startPosition } from './event-log';
import { JetStreamBus } from './jetstream-bus';
import { LogCursor } from './log-cursor';

/** Held, on a session of its own, by the one instance that relays the log to JetStream. */
const RELAY_LOCK = 7216717;

/** How often an instance that is not the relay tries to become it: a dead relay is replaced within this (plus a read). */
export const RELAY_CAMPAIGN_MS = 2_000;

export interface RelayOptions {
  /** The log session's statements (reads of the log). */
  run: SqlRunner;
  databaseUrl: string;
  bus: JetStreamBus;
  logger: Logger;
  pollMs: number;
  /** Counts each statement run on the event log (`dealstream_event_log_reads_total`). */
  onLogRead?: () => void;
}

/**
 * With NATS: one instance at a time reads the event log, with the same guard as the
 * dispatcher (no seq passed over while a transaction that may hold it runs), and publishes
 * each final event to JetStream, in order. Which instance is chosen through PostgreSQL: a
 * session-level advisory lock, which the server releases the moment the holder's session
 * ends (a killed process included); the others try for it every RELAY_CAMPAIGN_MS. A new
 * relay starts after the last event the stream holds, so events committed while NATS or
 * the relay was away are published once they are back, and JetStream drops a repeat.
 */
export class EventRelay {
  private lockSession?: Client;
  private cursor?: LogCursor;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wanted = false;
  private stopped = false;
  private campaigning = false;
  /** Whether this instance relays now. */
  leader = false;
  /** Log reads so far (zero on every instance but the relay). */
  reads = 0;

  constructor(private readonly options: RelayOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.leader) this.wake();
      else void this.campaign();
    }, Math.min(this.options.pollMs, RELAY_CAMPAIGN_MS));
    this.timer.unref();
    void this.campaign();
  }

  /** A commit (here, or hinted by another instance): a read soon, if this instance relays. */
  wake(): void {
    if (!this.leader || this.stopped) return;
    this.wanted = true;
    this.running ??= this.loop().finally(() => { this.running = undefined; });
  }

  private async campaign(): Promise<void> {
    if (this.campaigning || this.leader || this.stopped) return;
    this.campaigning = true;
    try {
      const session = this.lockSession ?? (await this.openLockSession());
      const [{ held }] = (await session.query('SELECT pg_try_advisory_lock($1) AS held', [RELAY_LOCK])).rows;
      if (held && !this.stopped) {
        this.leader = true;
        this.cursor = undefined;
        this.options.logger.info('this instance now relays the event log to JetStream');
        this.wake();
      }
    } catch (err) {
      this.options.logger.warn({ err }, 'could not try for the relay lock; trying again');
    } finally {
      this.campaigning = false;
    }
  }

  private async openLockSession(): Promise<Client> {
    const session = new Client({ connectionString: this.options.databaseUrl, application_name: 'dealstream-relay' });
    session.on('error', (err) => {
      // The lock went with the session: stop relaying; another instance (or this one, once
      // connected again) takes over.
      this.options.logger.warn({ err }, 'relay lock session lost');
      if (this.lockSession === session) this.lockSession = undefined;
      this.leader = false;
      session.end().catch(() => undefined);
    });
    await session.connect();
    this.lockSession = session;
    return session;
  }

  private async loop(): Promise<void> {
    while (this.wanted && this.leader && !this.stopped) {
      this.wanted = false;
      try {
        if (await this.tick()) this.wanted = true;
      } catch (err) {
        // Where to go on from is read again from the stream: nothing is skipped.
        this.cursor = undefined;
        this.options.logger.warn({ err }, 'relaying the event log failed; retrying at the next poll');
      }
    }
  }

  /** Reads a batch of final events and publishes it; true when more may be waiting. */
  private async tick(): Promise<boolean> {
    const { run, bus } = this.options;
    const counted = () => {
      this.reads++;
      this.options.onLogRead?.();
    };
    if (!this.cursor) {
      const { eventSeq, streamSeq } = await bus.last();
      if (streamSeq > 0) this.cursor = new LogCursor(eventSeq);
      else {
        counted();
        const head = await startPosition(run);
        await bus.publishHead(head);
        this.cursor = new LogCursor(head);
      }
    }
    const { ready, more } = await readFinal(run, this.cursor, 500, counted);
    if (ready.length > 0) await bus.publish(ready);
    return more;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.leader = false;
    await this.lockSession?.end().catch(() => undefined);
  }
}
