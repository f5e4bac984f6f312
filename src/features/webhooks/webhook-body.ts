import type { SqlRunner } from '../../infra/db/sql-runner';

/** What is POSTed for one event; `deal` is read at send time. */
export interface WebhookBody {
  id: string;
  seq: string;
  type: string;
  occurredAt: string;
  workspaceId: string;
  pipelineId: string;
  dealId: string;
  fromStageId: string | null;
  toStageId: string | null;
  actorId: string | null;
  /** The fields the change set, as `DealEvent.changes` lists them. */
  changes: unknown[];
  deal: Record<string, unknown> | null;
}

type Row = Record<string, unknown>;

const iso = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

/** The deal's scalar fields as the API names them (users by their token `sub`), or null once it is gone. */
function dealFields(row: Row): Record<string, unknown> | null {
  if (row.deal_title === null) return null;
  return {
    id: row.deal_id,
    title: row.deal_title,
    value: Number(row.deal_value),
    status: row.deal_status,
    expectedCloseDate: iso(row.deal_expected_close_date),
    lostReason: row.deal_lost_reason,
    createdAt: iso(row.deal_created_at),
    updatedAt: iso(row.deal_updated_at),
    stageEnteredAt: iso(row.deal_stage_entered_at),
    closedAt: iso(row.deal_closed_at),
    lastActivityAt: iso(row.deal_last_activity_at),
    version: row.deal_version,
    slipCount: row.deal_slip_count,
    pipelineId: row.deal_pipeline_id,
    stageId: row.deal_stage_id,
    ownerId: row.deal_owner_id,
  };
}

/**
 * The bodies of a batch of deliveries, read in one statement, by seq; an event no longer in
 * the log has none. The event's workspace must be the webhook's: a second wall behind the queue.
 */
export async function readBodies(
  run: SqlRunner, workspaceId: string, deliveries: readonly { deliveryId: string; seq: string }[],
): Promise<Map<string, WebhookBody>> {
  const rows = await run(
    `SELECT e.seq::text AS seq, e.type, e.occurred_at, e.workspace_id, e.pipeline_id, e.deal_id, e.from_stage_id,
            e.to_stage_id, actor.external_id AS actor_id, e.changes, d.title AS deal_title, d.value::text AS deal_value,
            d.status AS deal_status, d.expected_close_date AS deal_expected_close_date, d.lost_reason AS deal_lost_reason,
            d.created_at AS deal_created_at, d.updated_at AS deal_updated_at, d.stage_entered_at AS deal_stage_entered_at,
            d.closed_at AS deal_closed_at, d.last_activity_at AS deal_last_activity_at, d.version AS deal_version,
            d.slip_count AS deal_slip_count, d.pipeline_id AS deal_pipeline_id, d.stage_id AS deal_stage_id,
            owner.external_id AS deal_owner_id
     FROM deal_events e
     LEFT JOIN users actor ON actor.id = e.actor_id
     LEFT JOIN deals d ON d.id = e.deal_id AND d.workspace_id = e.workspace_id
     LEFT JOIN users owner ON owner.id = d.owner_id
     WHERE e.seq = ANY($1::bigint[]) AND e.workspace_id = $2`,
    [deliveries.map((d) => d.seq), workspaceId],
  );
  const bySeq = new Map(rows.map((row) => [row.seq as string, row]));
  const bodies = new Map<string, WebhookBody>();
  for (const { deliveryId, seq } of deliveries) {
    const row = bySeq.get(seq);
    if (row) bodies.set(deliveryId, bodyOf(deliveryId, row));
  }
  return bodies;
}

function bodyOf(deliveryId: string, row: Row): WebhookBody {
  return {
    id: deliveryId,
    seq: row.seq as string,
    type: row.type as string,
    occurredAt: iso(row.occurred_at)!,
    workspaceId: row.workspace_id as string,
    pipelineId: row.pipeline_id as string,
    dealId: row.deal_id as string,
    fromStageId: row.from_stage_id as string | null,
    toStageId: row.to_stage_id as string | null,
    actorId: row.actor_id as string | null,
    changes: row.changes as unknown[],
    deal: dealFields(row),
  };
}
