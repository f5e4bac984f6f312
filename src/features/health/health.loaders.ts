import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { Viewer } from '../workspaces/viewer';
import { DealHealth } from './deal-health.type';
import { HEALTH_REASONS } from './health.enums';
import { DAYS_IN_STAGE_SQL, DAYS_SINCE_ACTIVITY_SQL, reasonHolds } from './health.sql';

const REASON_COLUMNS = HEALTH_REASONS.map((reason) => `${reasonHolds(reason, 't')} AS "${reason}"`);

/**
 * The health of deals `t` as columns of a statement that reads them (`id` first): the
 * loader's own statement and the board's fast path both select these, computed by the same
 * SQL as `DealFilter.healthReasons`.
 */
export const HEALTH_COLUMNS = `t.id,
    ${DAYS_IN_STAGE_SQL('t')} AS days_in_stage,
    ${DAYS_SINCE_ACTIVITY_SQL('t')} AS days_since_activity,
    ${REASON_COLUMNS.join(',\n    ')}`;

/** A deal's health from a row of HEALTH_COLUMNS (as a row, or as JSON). */
export function healthOf(row: Record<string, unknown>): DealHealth {
  return Object.assign(new DealHealth(), {
    daysInStage: row.days_in_stage as number,
    daysSinceActivity: row.days_since_activity as number | null,
    reasons: HEALTH_REASONS.filter((reason) => row[reason] === true),
  });
}

/**
 * The health of every deal of a batch in one statement (a board of hundreds of deals costs
 * one). Deleted deals keep a health: events still name them.
 */
const HEALTH_SQL = `SELECT ${HEALTH_COLUMNS} FROM deals t WHERE t.id = ANY($1::uuid[]) AND t.workspace_id = $2`;

export function createHealthLoaders(em: EntityManager, viewer: Viewer) {
  return {
    /** By deal id; null for a deal of no concern to this workspace. */
    dealHealth: new DataLoader<string, DealHealth | null>(async (ids) => {
      const rows: Record<string, unknown>[] = await em.query(HEALTH_SQL, [ids, viewer.workspaceId]);
      const byId = new Map(rows.map((row) => [row.id as string, healthOf(row)]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}
