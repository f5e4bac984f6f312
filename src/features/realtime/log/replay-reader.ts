import type { Logger } from 'pino';
import { EntityManager } from 'typeorm';
import { DealEventRow } from './deal-event.type';
import { readPipelineEvents } from './event-log';
import type { JetStreamReplay } from './jetstream-replay';
import { assertReplayable } from './retention';

/** A page of a replay, in seq order. */
export interface ReplayBatch {
  rows: DealEventRow[];
  /** Whether no event of the range comes after these. */
  last: boolean;
}

/**
 * Reads a page of one pipeline's events with `after < seq <= upTo` for a subscriber that
 * resumes, or fails with EVENTS_EXPIRED when retention removed an event after `after`.
 */
export type ReplayReader = (workspaceId: string, pipelineId: string, after: bigint, upTo: bigint, limit: number) => Promise<ReplayBatch>;

/** Replays from the event log, the source of truth; `counted` is called per statement. */
export function logReplay(db: EntityManager, counted?: () => void): ReplayReader {
  return async (workspaceId, pipelineId, after, upTo, limit) => {
    counted?.();
    const { rows, oldest } = await readPipelineEvents(db, workspaceId, pipelineId, after, upTo, limit);
    // Events after `after` were removed: the replay would pass over them.
    assertReplayable(after, oldest);
    return { rows, last: rows.length < limit };
  };
}

/**
 * Replays from JetStream while the stream holds the events, from the log beyond that, and
 * from the log whenever JetStream cannot answer (NATS away or restarting, the stream gone):
 * the log is the source of truth, and a page is a plain read, safe to read again there.
 */
export function streamReplay(stream: JetStreamReplay, log: ReplayReader, logger: Logger): ReplayReader {
  return async (workspaceId, pipelineId, after, upTo, limit) => {
    const page = await stream.page(workspaceId, pipelineId, after, upTo, limit).catch((err: unknown) => {
      logger.warn({ err, pipelineId }, 'replay from JetStream failed; reading the event log');
      return undefined;
    });
    return page ?? log(workspaceId, pipelineId, after, upTo, limit);
  };
}
