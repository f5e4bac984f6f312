import { randomUUID } from 'node:crypto';
import { TIMELINE_ORDER, timelineEntriesSql } from '../../src/features/history/timeline.sql';
import { clientOnItsOwnDatabase } from '../helpers/own-database';
import { PlanNode, planNodes as nodes } from '../helpers/plan-nodes';

/**
 * A deal's timeline reads that deal's events, whatever the planner believes of the log. The log
 * starts empty, so its statistics can say so long after it has filled (they are renewed when
 * autovacuum gets to it, or never where it is off): a planner that believes the workspace holds
 * a handful of events ANDs the workspace's index into the read, and reads every event of the
 * workspace to find one deal's.
 */

const WORKSPACE = 'timeline-plan';
const EVENTS = 5_000;
const own = clientOnItsOwnDatabase('timeline_plan');

test("a deal's timeline reads its own events, with statistics taken while the log was empty", async () => {
  await own.client.query('ANALYZE deal_events');
  // Events of many deals of one workspace, written after the statistics were taken.
  await own.client.query(
    `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, occurred_at, txid)
     SELECT $1, $2, gen_random_uuid(), 'STALLED', now() - i * interval '1 minute', pg_current_xact_id()::text::bigint FROM generate_series(1, $3) i`,
    [WORKSPACE, randomUUID(), EVENTS]);
  const dealId = randomUUID();
  await own.client.query(
    `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, occurred_at, txid) VALUES ($1, $2, $3, 'STALLED', now(), pg_current_xact_id()::text::bigint)`,
    [WORKSPACE, randomUUID(), dealId]);

  const sql = `SELECT * FROM (${timelineEntriesSql('$2::uuid', '$1', 21)}) e`;
  const { rows: [found] } = await own.client.query(`SELECT count(*)::int AS n FROM (${sql}) x`, [WORKSPACE, dealId]);
  expect(found.n).toBe(1);
  const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [WORKSPACE, dealId]);
  const { rows: indexes } = await own.client.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'deal_events'`);
  const ofTheLog = new Set(indexes.map((i) => i.indexname));
  const events = nodes(row['QUERY PLAN'][0].Plan).filter((n) => n['Relation Name'] === 'deal_events' || ofTheLog.has(n['Index Name'] ?? ''));
  expect(events.length).toBeGreaterThan(0);
  // The deal's one event, not the workspace's thousands.
  expect(Math.max(...events.map((n) => n['Actual Rows'] ?? 0))).toBeLessThanOrEqual(1);
});

test("a page of a deal's timeline reads about its size, not the deal's whole past", async () => {
  const [dealId, pipelineId] = [randomUUID(), randomUUID()];
  // 300 changes, each in the log and in the durable history, a minute apart.
  await own.client.query(
    `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, occurred_at, txid)
     SELECT $1, $2, $3, 'UPDATED', now() - i * interval '1 minute', pg_current_xact_id()::text::bigint FROM generate_series(1, 300) i`,
    [WORKSPACE, pipelineId, dealId]);
  await own.client.query(
    `INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, seq, type)
     SELECT deal_id, occurred_at, occurred_at - interval '1 minute', workspace_id, pipeline_id, seq, type FROM deal_events WHERE deal_id = $1`,
    [dealId]);
  // And the history of the workspace's other deals (the first test wrote their events).
  await own.client.query(
    `INSERT INTO deal_history (deal_id, valid_to, valid_from, workspace_id, pipeline_id, seq, type)
     SELECT deal_id, occurred_at, occurred_at - interval '1 minute', workspace_id, pipeline_id, seq, type FROM deal_events WHERE deal_id <> $1`,
    [dealId]);
  await own.client.query('ANALYZE deal_events, deal_history');

  const sql = `SELECT seq::text FROM (${timelineEntriesSql('$2::uuid', '$1', 6)}) e ORDER BY ${TIMELINE_ORDER} LIMIT 6`;
  const { rows: newest } = await own.client.query(
    'SELECT seq::text FROM deal_events WHERE deal_id = $1 ORDER BY occurred_at DESC LIMIT 6', [dealId]);
  expect((await own.client.query(sql, [WORKSPACE, dealId])).rows).toEqual(newest);

  const { rows: [row] } = await own.client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [WORKSPACE, dealId]);
  const reads = nodes(row['QUERY PLAN'][0].Plan).filter((n) => ['deal_events', 'deal_history'].includes(n['Relation Name'] ?? ''));
  expect(reads.length).toBeGreaterThan(0);
  // Six history rows, and the events back to the sixth each looked up once: not 300 of each.
  const read = (n: PlanNode) => ((n['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0)) * (n['Actual Loops'] ?? 1);
  expect(Math.max(...reads.map(read))).toBeLessThanOrEqual(6);
});
