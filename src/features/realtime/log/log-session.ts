import { Client } from 'pg';
import type { Logger } from 'pino';
import { nameOf } from '../../../infra/db/prepared';
import { SqlRunner } from '../../../infra/db/sql-runner';

/** The NOTIFY channel that hints "the event log has grown". Carries no payload: readers read the log. */
export const WAKE_CHANNEL = 'deal_events';

/** The dispatcher sessions' application_name: how instances find each other on the database. */
const APPLICATION_NAME = 'dealstream-events';

/** How often a session asks again whether other instances listen. */
const LISTENERS_RECHECK_MS = 5_000;

/**
 * The dispatcher's own PostgreSQL session: it LISTENs for wake-up hints, reads the log and
 * sends the hints, outside the app's pool (so request statements and the pool stay the
 * app's). It reconnects on failure; while it is down, polling carries delivery on.
 *
 * Hints are for the other instances (this one wakes its own dispatcher directly), so none is
 * sent while no other instance listens. A starting instance announces itself with a hint of
 * its own, and a hint from another session means others listen; besides, the session asks
 * every few seconds. A hint not sent only delays delivery until the reader's next poll.
 */
export class LogSession {
  private client?: Client;
  private connecting?: Promise<Client>;
  private notifying = false;
  private notifyAgain = false;
  private closed = false;
  /** Whether other instances listen, as last asked or heard. */
  private othersListen = true;
  private askedAt = 0;
  private heardAt = 0;

  constructor(private readonly url: string, private readonly onWake: () => void, private readonly logger: Logger) {}

  /** The statement last handed to the session: the next waits for it to settle. */
  private turn: Promise<unknown> = Promise.resolve();

  /**
   * One statement on the session; with parameters, prepared once (the log is read on every
   * commit). Reads, hints and checks come from several places at once, and a session runs one
   * statement at a time: they take turns here rather than in pg's own queue, which pg 9 drops.
   */
  readonly run: SqlRunner = (sql, params) => {
    const result = this.turn.then(async () => {
      const client = await this.connected();
      return (await (params?.length ? client.query({ name: nameOf(sql), text: sql, values: params }) : client.query(sql))).rows;
    });
    this.turn = result.catch(() => undefined);
    return result;
  };

  /**
   * Hints every instance that the log has grown. Sent after commit (never inside a hot
   * transaction) and coalesced: at most one in flight, and one more for whatever came meanwhile.
   */
  notify(): void {
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    this.hintOthers()
      .catch((err) => this.logger.warn({ err }, 'wake-up hint not sent; polling will deliver'))
      .finally(() => {
        this.notifying = false;
        if (this.notifyAgain) {
          this.notifyAgain = false;
          this.notify();
        }
      });
  }

  private async hintOthers(): Promise<void> {
    const now = Date.now();
    if (now - this.askedAt >= LISTENERS_RECHECK_MS) {
      this.askedAt = now;
      const [{ others }] = await this.run(
        `SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                          AND application_name = $1) AS others`, [APPLICATION_NAME]);
      // A hint heard while asking is newer than the answer.
      if (this.heardAt < now) this.othersListen = others as boolean;
    }
    if (this.othersListen) await this.run(`NOTIFY ${WAKE_CHANNEL}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    if (this.closed) throw new Error('The event log session is closed');
    this.connecting ??= this.open().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async open(): Promise<Client> {
    const client = new Client({ connectionString: this.url, application_name: APPLICATION_NAME });
    let ownPid: number | undefined;
    client.on('notification', (message) => {
      if (message.processId === ownPid) return; // this instance's own hint
      this.othersListen = true;
      this.heardAt = Date.now();
      this.onWake();
    });
    client.on('error', (err) => {
      this.logger.warn({ err }, 'event log session lost; reconnecting');
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
    });
    await client.connect();
    ownPid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    await client.query(`LISTEN ${WAKE_CHANNEL}`);
    // Tells the instances already listening that one more does.
    await client.query(`NOTIFY ${WAKE_CHANNEL}`);
    if (this.closed) {
      await client.end();
      throw new Error('The event log session is closed');
    }
    this.client = client;
    // Anything committed while no session listened is found by reading the log now.
    this.onWake();
    return client;
  }
}
