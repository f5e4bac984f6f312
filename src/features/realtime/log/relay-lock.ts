import { Client } from 'pg';
import type { Logger } from 'pino';

/** Held, on a session of its own, by the one instance that relays the log to JetStream. */
const RELAY_LOCK = 7216717;

/**
 * How long the holder's lock session may stay silent before PostgreSQL ends it (and with it
 * the lock): the longest a relay that hangs, or whose machine vanished without closing its
 * connection, keeps the others waiting.
 */
export const RELAY_LEASE_MS = 5_000;

/** How often the holder shows PostgreSQL it is alive: well inside the lease. */
const HEARTBEAT_MS = 1_000;

/** How long a lost session waits before campaigning again (PostgreSQL restarting, say). */
const RETRY_MS = 1_000;

/**
 * The relay's lease: a session-level advisory lock whose holder is chosen and watched by
 * PostgreSQL alone. An instance that wants it waits inside `pg_advisory_lock`, so it is
 * granted the moment the holder's session ends, and waiting costs no statement. The holder's
 * session ends
 * - at once when its process dies (kill -9: the kernel closes the socket),
 * - or, when the holder stops speaking (a hung process, a machine or network gone without a
 *   FIN, where TCP keepalives would take hours), after RELAY_LEASE_MS of silence: the session
 *   runs with `idle_session_timeout`, and the holder runs a statement every HEARTBEAT_MS.
 * The holder likewise gives the lease up when a heartbeat fails or takes longer than the
 * lease. Two relays at once for a moment (a hung holder that wakes) publish the same events,
 * which JetStream drops by their `Nats-Msg-Id`.
 */
export class RelayLock {
  private session?: Client;
  private heartbeat?: NodeJS.Timeout;
  private beating = false;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  /** Whether this instance holds the lease now. */
  held = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly logger: Logger,
    private readonly changed: (held: boolean) => void,
  ) {}

  start(): void {
    void this.campaign();
  }

  private async campaign(): Promise<void> {
    if (this.stopped) return;
    const session = new Client({ connectionString: this.databaseUrl, application_name: 'dealstream-relay', keepAlive: true });
    this.session = session;
    session.on('error', (err) => this.lose(session, err));
    try {
      await session.connect();
      // client_connection_check_interval: a waiter whose instance went away leaves the queue
      // within a second instead of being granted a lock nobody uses.
      await session.query(`SET statement_timeout = 0; SET lock_timeout = 0;
        SET idle_session_timeout = ${RELAY_LEASE_MS}; SET client_connection_check_interval = 1000`);
      await session.query('SELECT pg_advisory_lock($1)', [RELAY_LOCK]);
    } catch (err) {
      this.lose(session, err);
      return;
    }
    if (this.session !== session || this.stopped) return;
    this.held = true;
    this.heartbeat = setInterval(() => void this.beat(session), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.changed(true);
  }

  private async beat(session: Client): Promise<void> {
    if (this.beating) return;
    this.beating = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        session.query('SELECT 1'),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('relay lease heartbeat timed out')), RELAY_LEASE_MS); }),
      ]);
    } catch (err) {
      this.lose(session, err);
    } finally {
      clearTimeout(timer);
      this.beating = false;
    }
  }

  /** The session (and any lock on it) is gone: stop relaying, and campaign again. */
  private lose(session: Client, err: unknown): void {
    if (this.session !== session) return;
    this.session = undefined;
    clearInterval(this.heartbeat);
    session.end().catch(() => undefined);
    if (this.held) {
      this.held = false;
      this.logger.warn({ err }, 'relay lease lost; another instance takes over');
      this.changed(false);
    } else if (!this.stopped) {
      this.logger.warn({ err }, 'could not wait for the relay lease; trying again');
    }
    if (!this.stopped) {
      this.retry = setTimeout(() => void this.campaign(), RETRY_MS);
      this.retry.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const session = this.session;
    this.session = undefined;
    this.held = false;
    await session?.end().catch(() => undefined);
  }
}
