import { EntityManager } from 'typeorm';
import { hydrate } from '../../infra/db/rows';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { queryPrepared } from '../../infra/db/prepared';
import { SqlParams, SqlValue } from '../../infra/db/sql-params';
import { DomainError, NotFoundError } from '../../infra/errors/domain-errors';
import { fieldChangesSql } from '../history/field-changes.sql';
import { appendFieldHistory } from '../history/history.ledger';
import { Stage } from '../pipelines/stage.entity';
import { User } from '../workspaces/user.entity';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { DealEventType } from './deal.enums';

/** Stands for the time of the write, taken once, after the row lock. */
export const NOW = Symbol('now');

/** A check's answer when the write has nothing to do: the deal is answered as it is. */
export const UNCHANGED = Symbol('unchanged');

/**
 * One rule a write obeys. `holds` is SQL over the locked `deal` row (and the `target` stage of
 * a stage entry), evaluated in the write's own statement; when it does not hold, nothing is
 * written and `otherwise` says why, from the deal as it was locked.
 */
export interface DealCheck {
  holds: (params: SqlParams) => string;
  otherwise: (deal: Deal, em: EntityManager) => DomainError | typeof UNCHANGED | Promise<DomainError | typeof UNCHANGED>;
}

/**
 * What a write does to a deal. Entering a stage (`target`: SQL selecting one `stages` row, which
 * may read the locked `deal`) sets the status its kind means, `closedAt` (and `lostReason` for
 * LOST), appends a StageChange and names the event MOVED, WON, LOST or REOPENED. Otherwise
 * `set` lists the columns (by property) it changes, and `type` names the event.
 */
export type DealChange =
  | { target: (params: SqlParams) => string; lostReason?: string | null }
  | { set: Partial<Record<keyof Deal, unknown>>; type: DealEventType; payload?: Record<string, unknown> };

/** The deal after a write, the stage it is in and its owner, all read by the write's own statement. */
export interface DealWritten {
  deal: Deal;
  stage: Stage;
  owner: User | null;
}

interface WriteRows {
  verdict: Record<string, boolean>;
  after: Record<string, unknown> | null;
  /** The deal as locked, when the write refused or had nothing to do. */
  before: Record<string, unknown> | null;
  stage: Record<string, unknown> | null;
  owner: Record<string, unknown> | null;
}

/**
 * A write to a live deal of the viewer's workspace in one SQL statement: it locks the deal (a
 * concurrent write of it queues, then sees the version the other left), evaluates the checks
 * in order, and only when all hold updates the deal and appends its StageChange and DealEvent.
 * Run outside a transaction, the statement is its own: no BEGIN and COMMIT round trips. The
 * first check that fails decides the answer (NOT_FOUND comes first); nothing is written then.
 */
export async function writeDeal(
  em: EntityManager, viewer: Viewer, id: string, checks: DealCheck[], change: DealChange,
): Promise<DealWritten> {
  const params = new SqlParams();
  const [rows] = await queryPrepared<WriteRows>(em, writeStatement(em, params, viewer, id, checks, change), params.values);
  const [stage] = rows.stage ? hydrateJsonRows(em, Stage, [rows.stage]) : [];
  const [owner = null] = rows.owner ? hydrateJsonRows(em, User, [rows.owner]) : [];
  if (rows.after) return { deal: hydrateJsonRows(em, Deal, [rows.after])[0], stage, owner };
  if (!rows.before) throw new NotFoundError('deal', id);
  const [before] = hydrateJsonRows(em, Deal, [rows.before]);
  const failed = checks.findIndex((_, i) => !rows.verdict[`c${i}`]);
  if (failed < 0) throw new Error(`Every check held, yet deal ${id} was not written`);
  const answer = await checks[failed].otherwise(before, em);
  if (answer === UNCHANGED) return { deal: before, stage, owner };
  throw answer;
}

function writeStatement(em: EntityManager, params: SqlParams, viewer: Viewer, id: string, checks: DealCheck[], change: DealChange): string {
  const workspace = params.add(viewer.workspaceId);
  const actor = params.add(viewer.userId);
  const entry = 'target' in change;
  const ctes = [
    `deal AS (SELECT * FROM deals WHERE id = ${params.add(id)}::uuid AND workspace_id = ${workspace} AND deleted_at IS NULL FOR UPDATE)`,
    // Read from the locked row, so after the lock is granted: a later write of a deal is dated later.
    'clock AS (SELECT clock_timestamp() AS now FROM deal)',
  ];
  if (entry) ctes.push(`target AS (${change.target(params)})`);
  // One row even without a deal, so that the answer says which check failed.
  const verdict = checks.map((check, i) => `coalesce(${check.holds(params)}, false) AS c${i}`);
  ctes.push(`verdict AS (SELECT ${verdict.join(', ')} FROM (SELECT) one
    LEFT JOIN deal ON true${entry ? ' LEFT JOIN target ON true' : ''})`);
  const go = checks.map((_, i) => `verdict.c${i}`).join(' AND ') || 'true';
  const write = entry ? stageEntry(params.add(change.lostReason ?? null)) : fieldChange(em, params, change);
  ctes.push(...changeCtes(write, { from: 'deal, clock, verdict', where: go, actor }));
  return `WITH ${ctes.join(',\n')}
    SELECT row_to_json(verdict) AS verdict, (SELECT row_to_json(changed) FROM changed) AS after,
      (SELECT row_to_json(deal) FROM deal WHERE NOT EXISTS (SELECT FROM changed)) AS before,
      (SELECT row_to_json(s) FROM stages s WHERE s.id = coalesce((SELECT stage_id FROM changed), (SELECT stage_id FROM deal))) AS stage,
      (SELECT row_to_json(u) FROM users u WHERE u.id = coalesce((SELECT owner_id FROM changed), (SELECT owner_id FROM deal))
        AND u.workspace_id = ${workspace}) AS owner
    FROM verdict`;
}

/** A change as SQL: the columns it sets, the relation it reads besides those of `changeCtes`, its event. */
export interface ChangeSql {
  assignments: string[];
  from: string;
  event: { type: string; payload: string };
  /** It enters a stage: a StageChange is appended too. */
  entry: boolean;
}

/**
 * The statement's part that writes a change to each row of `deal` (the deals as they were,
 * one row each) at `clock.now`, where `where` holds: `changed` (the deals updated, each with
 * its event's type, payload and field changes), the stage entry's ledger row, the event
 * (by `actor`, SQL over `changed`) and the field history with each deal's state before.
 * `from` lists the relations the update reads (`deal` and `clock` among them).
 */
export function changeCtes(change: ChangeSql, { from, where, actor }: { from: string; where: string; actor: string }): string[] {
  return [
    `changed AS (
    UPDATE deals SET ${[...change.assignments, 'updated_at = clock.now', 'version = deals.version + 1'].join(', ')}
    FROM ${from}${change.from} WHERE deals.id = deal.id AND ${where}
    RETURNING deals.*, deal.stage_id AS left_stage_id, ${change.event.type} AS event_type, ${change.event.payload} AS event_payload,
      ${fieldChangesSql((c) => `deal.${c}`, (c) => `deals.${c}`)} AS event_changes)`,
    ...(change.entry ? [`history AS (${appendHistory('changed', 'left_stage_id', actor)})`] : []),
    `event AS (${appendEvent('changed', change.entry ? 'left_stage_id' : 'NULL', actor)})`,
    `field_history AS (${appendFieldHistory('event', 'deal')})`,
  ];
}

/**
 * What a creation returns besides each new deal (rows inserted into `deals`, in a CTE named
 * `created`), for its CREATED event; `payload` is SQL of the event's payload.
 */
export function creationReturning(payload: string): string {
  return `*, 'CREATED'::deal_event_type AS event_type, ${payload} AS event_payload,
    ${fieldChangesSql((c) => `(NULL::deals).${c}`, (c) => `deals.${c}`)} AS event_changes`;
}

/**
 * A new deal written by a statement that has a `clock`: `values` are SQL of its workspace, title,
 * value, pipeline, stage, owner, lead and expected close date, in that order, selected `from`
 * (the relations they read, and any WHERE); then its first ledger entry, CREATED event (payload
 * SQL `payload`) and field history, by `actor`.
 */
export function newDealCtes(values: string[], from: string, payload: string, actor: string): string[] {
  return [
    `created AS (INSERT INTO deals (workspace_id, title, value, pipeline_id, stage_id, owner_id, lead_id, expected_close_date,
        created_at, updated_at, stage_entered_at)
      SELECT ${values.join(', ')}, now, now, now FROM ${from}
      RETURNING ${creationReturning(payload)})`,
    ...creationCtes(actor),
  ];
}

/** The first ledger entry, CREATED event and (empty) field history of each deal in `created`, by `actor`. */
export function creationCtes(actor: string): string[] {
  return [
    `history AS (${appendHistory('created', 'NULL', actor)})`,
    `event AS (${appendEvent('created', 'NULL', actor)})`,
    `field_history AS (${appendFieldHistory('event', null)})`,
  ];
}

/**
 * A stage entry into `target`: the status follows the target's kind; the event says how the
 * deal got there. `lostReason` is SQL of the reason a LOST entry records.
 */
export function stageEntry(lostReason: string): ChangeSql {
  return {
    assignments: [
      'stage_id = target.id', 'stage_entered_at = clock.now', 'status = target.kind::text::deal_status',
      "closed_at = CASE WHEN target.kind = 'OPEN' THEN NULL ELSE clock.now END",
      `lost_reason = CASE WHEN target.kind = 'LOST' THEN ${lostReason}::text END`,
    ],
    from: ', target',
    event: {
      type: `(CASE WHEN target.kind <> 'OPEN' THEN target.kind::text WHEN deal.status = 'OPEN' THEN 'MOVED' ELSE 'REOPENED' END)::deal_event_type`,
      payload: "CASE WHEN target.kind = 'LOST' THEN jsonb_build_object('reason', deals.lost_reason) ELSE '{}'::jsonb END",
    },
    entry: true,
  };
}

/** Each property of `set` as its column and its value in SQL (NOW: the write's time, `clock.now`). */
export function columnValues(em: EntityManager, params: SqlParams, set: Partial<Record<keyof Deal, unknown>>): { column: string; value: string }[] {
  const metadata = em.connection.getMetadata(Deal);
  return Object.entries(set).map(([property, value]) => ({
    column: metadata.findColumnWithPropertyName(property)!.databaseName,
    value: value === NOW ? 'clock.now' : value instanceof SqlValue ? value.sql(params) : params.add(value),
  }));
}

/** A change of fields (`set`, by property; NOW is the change's time, a SqlValue SQL), named `type` in its event. */
export function fieldChange(em: EntityManager, params: SqlParams, change: Extract<DealChange, { set: unknown }>): ChangeSql {
  const assignments = columnValues(em, params, change.set).map(({ column, value }) => `${column} = ${value}`);
  if (change.set.expectedCloseDate !== undefined) {
    // A slip: an OPEN deal's close date moved from a date to a later one (setting or clearing it is none).
    const later = `${params.add(change.set.expectedCloseDate)}::timestamptz > deal.expected_close_date`;
    assignments.push(`slip_count = deal.slip_count + (deal.status = 'OPEN' AND coalesce(${later}, false))::int`);
  }
  return {
    assignments,
    from: '',
    event: { type: `${params.add(change.type)}::deal_event_type`, payload: `${params.add(change.payload ?? {})}::jsonb` },
    entry: false,
  };
}

/**
 * Appends the history entry of the stage each row of `source` (deals just written) has entered,
 * dated with its `stage_entered_at` to the microsecond: changes of one deal within the same
 * millisecond still sort in the order they happened.
 */
function appendHistory(source: string, fromStage: string, actor: string): string {
  return `INSERT INTO stage_changes (workspace_id, deal_id, from_stage_id, to_stage_id, changed_at, changed_by_id)
    SELECT workspace_id, id, ${fromStage}, stage_id, stage_entered_at, ${actor}::uuid FROM ${source}`;
}

/**
 * Records the event of each row of `source` in the write's own transaction; `txid` lets the
 * dispatcher wait for sequence numbers whose transaction has not committed yet. `source` names
 * the event in `event_type`, `event_payload` and `event_changes` (the tracked fields it set).
 * Returns the rows, for the field history.
 */
function appendEvent(source: string, fromStage: string, actor: string): string {
  return `INSERT INTO deal_events (workspace_id, pipeline_id, deal_id, type, from_stage_id, to_stage_id, actor_id, payload, changes,
      occurred_at, txid)
    SELECT workspace_id, pipeline_id, id, event_type, ${fromStage}, stage_id, ${actor}::uuid, event_payload, event_changes, updated_at,
      pg_current_xact_id()::text::bigint FROM ${source}
    RETURNING *`;
}

/**
 * Locks a live deal of the viewer's workspace for the rest of the transaction; null when it is
 * gone. A write that reads other tables after the lock (and must see what the previous writer
 * of the deal committed) takes it first: one statement reads with the snapshot it started with.
 */
export async function lockDealIfLive(em: EntityManager, viewer: Viewer, id: string): Promise<Deal | null> {
  const [row] = await em.query(
    'SELECT * FROM deals WHERE id = $1 AND workspace_id = $2 AND deleted_at IS NULL FOR UPDATE',
    [id, viewer.workspaceId],
  );
  return row ? hydrate(em, Deal, row) : null;
}
