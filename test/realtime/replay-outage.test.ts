import { Client } from 'pg';
import { DealEventSeqsDocument, LastEventSeqDocument } from '../generated/graphql';
import { until } from '../hardening/memory';
import { dropScratchDatabase, sql } from '../helpers/database';
import { gql, ok } from '../helpers/graphql';
import { migratedScratchDatabase } from '../helpers/own-database';
import { startTestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { livePipeline, moveRetrying, newDeal } from './realtime-fixtures';

/** The app's reads of the event log waiting for the test's lock: the replay's pages, or the dispatcher's ticks. */
const waitingReads = (database: string, url: string) => sql<{ pid: number; replay: boolean }>(
  `SELECT pid, query LIKE '%seq <= $4%' AS replay FROM pg_stat_activity
   WHERE datname = $1 AND wait_event_type = 'Lock' AND query LIKE '%deal_events%'`, [database], url);

/**
 * A subscriber that resumes with `after` reads its replay from the log. A page whose read fails
 * because the database is away (here its session is terminated, as a PostgreSQL restart ends
 * every session) is read again once the database answers: the subscriber gets every event, and
 * no error. Before, the failed page ended the subscription. On a database of its own, whose
 * event log the test locks so that the reads wait where it can end them.
 */
test('a replay page whose session is ended under it is read again: the resuming subscriber gets every event', async () => {
  const own = await migratedScratchDatabase('replay_outage');
  const database = new URL(own).pathname.slice(1);
  const t = await startTestApp({ DATABASE_URL: own });
  const locker = new Client({ connectionString: own });
  const clients: ReturnType<typeof wsClient>[] = [];
  try {
    const { admin, pipeline, stages } = await livePipeline(t);
    const deal = await newDeal(t, admin, pipeline.id);
    for (const stageId of [stages.s2, stages.s3, stages.s1]) await moveRetrying(t, admin, deal.id, stageId);
    const logged = await sql<{ seq: string }>('SELECT seq::text AS seq FROM deal_events WHERE pipeline_id = $1 ORDER BY seq', [pipeline.id], own);
    expect(logged).toHaveLength(4);
    // The instance has read the log up to them, so a subscriber resuming after 0 replays all four.
    expect(ok(await gql(t.url, admin, LastEventSeqDocument)).lastEventSeq).toBe(logged[3].seq);

    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE deal_events IN ACCESS EXCLUSIVE MODE');
    clients.push(wsClient(t.url, admin));
    const sub = clients[0].subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: '0' });
    // End every read of the log that waits, the dispatcher's included, until a replay page has been ended.
    let replayEnded = false;
    await until(async () => {
      for (const read of await waitingReads(database, own)) {
        await sql('SELECT pg_terminate_backend($1)', [read.pid], own);
        replayEnded ||= read.replay;
      }
      return replayEnded;
    }, 15_000, "a replay page's read waiting for the lock");
    await locker.query('COMMIT');

    const received = await sub.waitFor(logged.length, 15_000);
    expect(sub.errors).toEqual([]);
    expect(received.map((m) => m.dealEvents.seq)).toEqual(logged.map((r) => r.seq));
  } finally {
    await locker.end();
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
    await dropScratchDatabase(own);
  }
}, 60_000);
