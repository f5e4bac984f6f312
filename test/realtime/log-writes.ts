import { Client } from 'pg';
import { TEST_DATABASE_URL } from '../helpers/database';

/**
 * A transaction of its own on the test database that writes event-log rows the way the
 * ledger does (the transaction has an id before it draws a seq), for the cases the API
 * cannot produce on demand: a rollback after the event was written, and commits out of order.
 */
export async function openWriter() {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT pg_current_xact_id()');
  return {
    /** Appends an UPDATED event of `dealId`; returns its seq. */
    async append(workspaceId: string, pipelineId: string, dealId: string, stageId: string): Promise<string> {
      const { rows } = await client.query(
        `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, occurred_at, txid)
         VALUES ($1, $2, $3, 'UPDATED', NULL, $4, NULL, '{}', now(), pg_current_xact_id()::text::bigint) RETURNING seq::text`,
        [workspaceId, pipelineId, dealId, stageId],
      );
      return rows[0].seq;
    },
    async commit() {
      await client.query('COMMIT');
      await client.end();
    },
    async rollback() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Appends `count` UPDATED events of one deal in one committed statement (no wake-up hint to anyone); returns their seqs. */
export async function appendMany(workspaceId: string, pipelineId: string, dealId: string, stageId: string, count: number,
  url = TEST_DATABASE_URL) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, occurred_at, txid)
       SELECT $1, $2, $3, 'UPDATED', NULL, $4, NULL, '{}', now(), pg_current_xact_id()::text::bigint FROM generate_series(1, $5)
       RETURNING seq::text`,
      [workspaceId, pipelineId, dealId, stageId, count],
    );
    return rows.map((r) => r.seq as string);
  } finally {
    await client.end();
  }
}
