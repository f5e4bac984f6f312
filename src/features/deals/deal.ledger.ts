import { EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../../infra/errors/domain-errors';
import { hydrate, queryRows } from '../../infra/db/rows';
import { SqlParams } from '../../infra/db/sql-params';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { DealEventType } from './deal.enums';

/** Stands for the time of the write, taken once, after the row lock. */
export const NOW = Symbol('now');

/** What one write does to a deal: the columns it sets, the event it records, the stage it enters. */
export interface DealChange {
  type: DealEventType;
  set: Partial<Record<keyof Deal, unknown>>;
  /** A stage entered: appends a StageChange and restarts `stageEnteredAt`. */
  enterStage?: string;
  payload?: Record<string, unknown>;
}

/**
 * Locks a live deal of the viewer's workspace for the rest of the transaction, so
 * concurrent writes to it queue up and each sees the version the previous one left.
 */
export async function lockDeal(em: EntityManager, viewer: Viewer, id: string, expectedVersion?: number | null): Promise<Deal> {
  const deal = await lockDealIfLive(em, viewer, id);
  if (!deal) throw new NotFoundError('deal', id);
  if (expectedVersion !== undefined && expectedVersion !== null && expectedVersion !== deal.version) {
    throw new ConflictError(`The deal is at version ${deal.version}, not ${expectedVersion}; reload it and retry`, {
      currentVersion: deal.version,
    });
  }
  return deal;
}

/** Like `lockDeal`, without the version check; null when the deal is gone (deleted or never there). */
export async function lockDealIfLive(em: EntityManager, viewer: Viewer, id: string): Promise<Deal | null> {
  const [row] = await em.query(
    'SELECT * FROM deals WHERE id = $1 AND workspace_id = $2 AND deleted_at IS NULL FOR UPDATE',
    [id, viewer.workspaceId],
  );
  return row ? hydrate(em, Deal, row) : null;
}

/** Applies a change to a locked deal: one UPDATE, its history entry and its event. */
export async function applyDealChange(em: EntityManager, viewer: Viewer, deal: Deal, change: DealChange): Promise<Deal> {
  const metadata = em.connection.getMetadata(Deal);
  const params = new SqlParams();
  const set = { ...change.set, ...(change.enterStage ? { stageId: change.enterStage, stageEnteredAt: NOW } : {}) };
  const assignments = Object.entries(set).map(([property, value]) => {
    const column = metadata.findColumnWithPropertyName(property)!.databaseName;
    return `${column} = ${value === NOW ? 'clock.now' : params.add(value)}`;
  });
  const [row] = await queryRows(em,
    `WITH clock AS (SELECT clock_timestamp() AS now)
     UPDATE deals SET ${[...assignments, 'updated_at = clock.now', 'version = version + 1'].join(', ')}
     FROM clock WHERE deals.id = ${params.add(deal.id)} AND deals.workspace_id = ${params.add(viewer.workspaceId)} RETURNING deals.*`,
    params.values,
  );
  const updated = hydrate(em, Deal, row);
  if (change.enterStage) await appendStageChange(em, viewer, updated.id, deal.stageId, change.enterStage);
  await appendEvent(em, viewer, updated, change.type, change.payload ?? {}, change.enterStage ? deal.stageId : null);
  return updated;
}

/**
 * Appends the history entry of the stage a deal has just entered, dated with the deal's
 * `stage_entered_at` as the database holds it (to the microsecond): two changes of one deal
 * in one transaction within the same millisecond still sort in the order they happened.
 */
export async function appendStageChange(
  em: EntityManager, viewer: Viewer, dealId: string, fromStageId: string | null, toStageId: string,
): Promise<void> {
  await em.query(
    `INSERT INTO stage_changes (workspace_id, deal_id, from_stage_id, to_stage_id, changed_at, changed_by_id)
     SELECT $1, d.id, $3, $4, d.stage_entered_at, $5 FROM deals d WHERE d.id = $2 AND d.workspace_id = $1`,
    [viewer.workspaceId, dealId, fromStageId, toStageId, viewer.userId],
  );
}

/**
 * Records the event of a committed change in the change's own transaction; `txid` lets the
 * dispatcher wait for sequence numbers whose transaction has not committed yet.
 */
export async function appendEvent(
  em: EntityManager, viewer: Viewer, deal: Deal, type: DealEventType, payload: Record<string, unknown>, fromStageId: string | null,
): Promise<void> {
  await em.query(
    `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, occurred_at, txid)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, pg_current_xact_id()::text::bigint)`,
    [viewer.workspaceId, deal.pipelineId, deal.id, type, fromStageId, deal.stageId, viewer.userId, payload, deal.updatedAt],
  );
}
