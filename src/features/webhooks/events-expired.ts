import { EventsExpiredError } from '../../infra/errors/domain-errors';
import type { SqlRunner } from '../realtime/event-log';

/**
 * Refuses a replay from `after` when an event after it was already removed from the log:
 * `after` before the oldest kept seq − 1 answers EVENTS_EXPIRED with `extensions.oldestSeq`.
 * With `after` ≥ oldest − 1 (or an empty log) the replay starts at the oldest kept event.
 */
export async function assertEventsKept(run: SqlRunner, after: bigint): Promise<void> {
  const [{ oldest }] = await run('SELECT min(seq)::text AS oldest FROM deal_events');
  if (oldest !== null && after < BigInt(oldest as string) - 1n) throw new EventsExpiredError(oldest as string);
}
