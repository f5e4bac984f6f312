import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { hydrate } from '../../infra/db/rows';
import { queryPrepared } from '../../infra/db/prepared';
import { SqlParams } from '../../infra/db/sql-params';
import { DomainError } from '../../infra/errors/domain-errors';
import { optionalDate, requireName } from '../../infra/validation';
import { Deal } from '../deals/deal.entity';
import { changeCtes } from '../deals/deal.ledger';
import { Role } from '../workspaces/role';
import { Viewer } from '../workspaces/viewer';
import { Activity } from './activity.entity';
import { LogActivityInput } from './activity.inputs';
import { doneAtAllowed } from './done-at';

/** An activity and the deal it moved: what `logActivity` answers with. */
export interface ActivityLogged {
  activity: Activity;
  deal: Deal | null;
}

/**
 * An activity on a deal or on a lead (not both) in one statement run on its own: it checks that
 * the caller may write the deal or lead and inserts the activity; on a deal it first locks the
 * live deal, then moves its `lastActivityAt` to the latest of its activities (this one included),
 * with the UPDATED event and field history a deal write appends. Null when it wrote nothing or
 * the input is not one to write: the checked path then says why, in its order.
 */
export async function logInOneStatement(em: EntityManager, viewer: Viewer, input: LogActivityInput): Promise<ActivityLogged | null> {
  if (Boolean(input.dealId) === Boolean(input.leadId)) return null;
  const params = new SqlParams();
  const workspace = params.add(viewer.workspaceId);
  const actor = params.add(viewer.userId);
  let parent: string;
  let values: string;
  try {
    parent = params.add(input.dealId ? parseId(input.dealId, 'deal', 'input.dealId') : parseId(input.leadId!, 'lead', 'input.leadId'));
    const doneAt = optionalDate(input.doneAt, 'input.doneAt') ?? null;
    if (doneAt && !doneAtAllowed(doneAt)) return null;
    values = `${params.add(input.type)}::activity_type, ${params.add(requireName(input.subject, 'input.subject'))}::text,
      ${params.add(optionalDate(input.dueAt, 'input.dueAt') ?? null)}::timestamptz, ${params.add(doneAt)}::timestamptz`;
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
  // A rep writes only deals and leads it owns or that are unowned (assertCanWriteOwned).
  const writable = viewer.role === Role.REP ? `WHERE owner_id IS NULL OR owner_id = ${actor}::uuid` : '';
  if (!input.dealId) {
    const [row] = await queryPrepared(em, `WITH lead AS (SELECT * FROM leads WHERE id = ${parent}::uuid AND workspace_id = ${workspace}),
      logged AS (INSERT INTO activities (workspace_id, type, subject, due_at, done_at, deal_id, lead_id, owner_id, created_at)
        SELECT ${workspace}, ${values}, NULL, lead.id, ${actor}::uuid, clock_timestamp() FROM (SELECT * FROM lead ${writable}) lead RETURNING *)
      SELECT * FROM logged`, params.values);
    return row ? { activity: hydrate(em, Activity, row), deal: null } : null;
  }
  const latest = `greatest((SELECT max(COALESCE(a.done_at, a.created_at)) FROM activities a WHERE a.deal_id = deal.id),
    COALESCE(logged.done_at, logged.created_at))`;
  const ctes = [
    `deal AS (SELECT * FROM deals WHERE id = ${parent}::uuid AND workspace_id = ${workspace} AND deleted_at IS NULL FOR UPDATE)`,
    'clock AS (SELECT clock_timestamp() AS now FROM deal)',
    `logged AS (INSERT INTO activities (workspace_id, type, subject, due_at, done_at, deal_id, lead_id, owner_id, created_at)
      SELECT ${workspace}, ${values}, deal.id, NULL, ${actor}::uuid, clock.now
      FROM (SELECT * FROM deal ${writable}) deal, clock RETURNING *)`,
  ];
  return withDealFollowing(em, params, actor, ctes, latest);
}

/**
 * An open activity marked done now, in one statement run on its own: it checks that the caller
 * may write it, sets `doneAt`, and, when it belongs to a live deal, moves the deal's
 * `lastActivityAt` to the latest of its activities, with the UPDATED event and field history.
 * Null when it wrote nothing (no such activity, one done already, one the caller may not
 * write): the checked path then answers, in its order.
 */
export async function completeInOneStatement(em: EntityManager, viewer: Viewer, id: string): Promise<ActivityLogged | null> {
  if (viewer.role === Role.ANALYST) return null; // refused by the checks, after they look the activity up
  const params = new SqlParams();
  const workspace = params.add(viewer.workspaceId);
  const actor = params.add(viewer.userId);
  let activity: string;
  try {
    activity = params.add(parseId(id, 'activity', 'id'));
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
  const writable = viewer.role === Role.REP ? ` AND (owner_id IS NULL OR owner_id = ${actor}::uuid)` : '';
  const latest = `greatest((SELECT max(COALESCE(a.done_at, a.created_at)) FROM activities a WHERE a.deal_id = deal.id), logged.done_at)`;
  const ctes = [
    // The activity first, then its deal: the order the checked path locks them in.
    `logged AS (UPDATE activities SET done_at = clock_timestamp()
      WHERE id = ${activity}::uuid AND workspace_id = ${workspace} AND done_at IS NULL${writable} RETURNING *)`,
    `deal AS (SELECT d.* FROM deals d, logged WHERE d.id = logged.deal_id AND d.workspace_id = ${workspace} AND d.deleted_at IS NULL FOR UPDATE OF d)`,
    'clock AS (SELECT clock_timestamp() AS now FROM deal)',
  ];
  return withDealFollowing(em, params, actor, ctes, latest);
}

/**
 * Runs an activity's write (CTEs `deal`, `clock` and `logged`, the activity written) with the
 * deal's `lastActivityAt` moved to `latest` (SQL over `deal` and `logged`), its UPDATED event
 * and field history appended, and answers both; null when no activity was written.
 */
async function withDealFollowing(em: EntityManager, params: SqlParams, actor: string, ctes: string[], latest: string): Promise<ActivityLogged | null> {
  const statement = [...ctes, ...changeCtes({
    assignments: [`last_activity_at = ${latest}`], from: ', logged',
    event: { type: "'UPDATED'::deal_event_type", payload: `'{"fields":["lastActivityAt"]}'::jsonb` }, entry: false,
  }, { from: 'deal, clock', where: 'true', actor })];
  const [row] = await queryPrepared<{ activity: Record<string, unknown>; deal: Record<string, unknown> | null }>(em,
    `WITH ${statement.join(',\n')}
    SELECT row_to_json(logged) AS activity, (SELECT row_to_json(changed) FROM changed) AS deal FROM logged`, params.values);
  if (!row) return null;
  return {
    activity: hydrateJsonRows(em, Activity, [row.activity])[0],
    deal: row.deal ? hydrateJsonRows(em, Deal, [row.deal])[0] : null,
  };
}
