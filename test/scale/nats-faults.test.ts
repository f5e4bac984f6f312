import { execFileSync } from 'node:child_process';
import { DealEventSeqsDocument } from '../generated/graphql';
import { dropScratchDatabase, sql } from '../helpers/database';
import { startTestApp, TestApp } from '../helpers/test-app';
import { wsClient } from '../helpers/ws-client';
import { startPostgres, stopPostgres } from '../hardening/postgres-control';
import { livePipeline, moveRetrying, newDeal } from '../realtime/realtime-fixtures';
import { deleteStream, NATS_URL, natsDatabase } from './nats-fixtures';

/**
 * NATS or PostgreSQL restarted under two instances with JetStream delivery: every subscriber
 * still gets every event once, in order. They stop the machine's shared servers, so they run
 * only with FAULT_TESTS=1, alone (`.ci/run` runs them after the rest of the suite).
 */
const faultTest = process.env.FAULT_TESTS === '1' ? test : test.skip;
jest.setTimeout(240_000);

const NATS_SERVER = '/usr/sbin/nats-server';
const stopNats = () => execFileSync('start-stop-daemon', ['--stop', '--oknodo', '--retry', '10', '--exec', NATS_SERVER]);
const startNats = () => execFileSync('start-stop-daemon', [
  '--start', '--oknodo', '--background', '--exec', NATS_SERVER, '--',
  '-a', '127.0.0.1', '-p', '4222', '-js', '-sd', '/var/lib/nats-server', '-l', '/var/log/nats-server.log',
]);

let url: string | undefined;
afterAll(async () => {
  if (url) {
    await deleteStream(url);
    await dropScratchDatabase(url);
  }
});

/** Two instances, a subscriber on each; `fault` runs between two sets of moves (`during` moves while it lasts). */
async function survives(fault: (move: () => Promise<void>) => Promise<void>): Promise<void> {
  url ??= await natsDatabase('nats_faults');
  const env = { DATABASE_URL: url, NATS_URL };
  const [a, b]: TestApp[] = await Promise.all([startTestApp(env), startTestApp(env)]);
  const clients: ReturnType<typeof wsClient>[] = [];
  try {
    const { admin, pipeline, stages } = await livePipeline(a);
    clients.push(wsClient(a.url, admin), wsClient(b.url, admin));
    const subs = clients.map((c) => c.subscribe(DealEventSeqsDocument, { pipelineId: pipeline.id, after: '0' }));
    const deal = await newDeal(a, admin, pipeline.id);
    const order = [stages.s2, stages.s3, stages.s1];
    let i = 0;
    // A write right after PostgreSQL is back may meet a connection that died with it: retried.
    const move = async () => {
      const stageId = order[i % 3];
      const t = i++ % 2 ? a : b;
      for (let attempt = 1; ; attempt++) {
        try {
          await moveRetrying(t, admin, deal.id, stageId);
          return;
        } catch (err) {
          if (attempt >= 40) throw err;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    };
    await move();
    await fault(move);
    await move();
    const rows = await sql<{ seq: string }>('SELECT seq::text AS seq FROM deal_events WHERE pipeline_id = $1 ORDER BY deal_events.seq', [pipeline.id], url);
    for (const sub of subs) {
      const received = await sub.waitFor(rows.length, 60_000);
      expect(received.map((m) => m.dealEvents.seq)).toEqual(rows.map((r) => r.seq));
    }
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all([a.stop(), b.stop()]);
  }
}

faultTest('NATS restarted: writes go on while it is away, and their events arrive once it is back', async () => {
  await survives(async (move) => {
    stopNats();
    try {
      await move();
      await move();
    } finally {
      startNats();
    }
  });
});

faultTest('PostgreSQL restarted: the relay comes back (or another takes over) and nothing is lost', async () => {
  await survives(async () => {
    stopPostgres();
    await startPostgres();
  });
});
