import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { queryPrepared } from '../../infra/db/prepared';
import { hydrate, queryRows } from '../../infra/db/rows';
import { SqlParams, SqlValue } from '../../infra/db/sql-params';
import { DomainError } from '../../infra/errors/domain-errors';
import { Role } from '../workspaces/role';
import { Viewer } from '../workspaces/viewer';
import { Lead } from './lead.entity';

/** Stands for the time of the write. */
export const NOW = Symbol('now');
/** Stands for the time of the write unless the column holds a time already (a first qualification). */
export const FIRST_TIME = Symbol('first time');

/** Columns a lead write sets, by column name; undefined leaves one as it is. */
export type LeadSet = Record<string, unknown>;

/**
 * The SET list of a lead write: each column of `set` with its new value, and `updated_at`
 * moved only when some column changes. An edit to the values the lead has is no change, as
 * for deals: the lead keeps its `updatedAt`.
 */
function assignments(params: SqlParams, set: LeadSet): string[] {
  const values = Object.entries(set)
    .filter(([, value]) => value !== undefined)
    .map(([column, value]) => [column, value === NOW ? 'now()' : value === FIRST_TIME ? `coalesce(${column}, now())`
      : value instanceof SqlValue ? value.sql(params) : params.add(value)] as const);
  if (values.length === 0) return ['updated_at = updated_at'];
  // On the right of SET a column is its value before the write.
  const changed = values.map(([column, value]) => `${column} IS DISTINCT FROM ${value}`).join(' OR ');
  return [...values.map(([column, value]) => `${column} = ${value}`), `updated_at = CASE WHEN ${changed} THEN now() ELSE updated_at END`];
}

/** Writes `set` to a lead its caller has locked and checked, and returns the lead. */
export async function saveLead(em: EntityManager, lead: Lead, set: LeadSet): Promise<Lead> {
  const params = new SqlParams();
  const [row] = await queryRows(em, `UPDATE leads SET ${assignments(params, set).join(', ')}
    WHERE id = ${params.add(lead.id)} AND workspace_id = ${params.add(lead.workspaceId)} RETURNING *`, params.values);
  return hydrate(em, Lead, row);
}

/**
 * A lead write in one statement run on its own (no BEGIN, lock and COMMIT round trips): it
 * updates the lead of the viewer's workspace where the viewer may write it (a rep: its own or
 * unowned leads), `allowed` (SQL over the row as it was) holds and every SqlValue in `set`
 * (a new owner found by external id) is found. Null when it wrote nothing,
 * or when `set` refuses the input: the checked path then says why, in its order (NOT_FOUND,
 * FORBIDDEN, then the input).
 */
export async function writeLeadInOneStatement(em: EntityManager, viewer: Viewer, id: string, set: () => LeadSet,
  allowed?: string): Promise<Lead | null> {
  if (viewer.role === Role.ANALYST) return null;
  const params = new SqlParams();
  let conditions: string[];
  let columns: string[];
  try {
    conditions = [`id = ${params.add(parseId(id, 'lead', 'id'))}::uuid`, `workspace_id = ${params.add(viewer.workspaceId)}`];
    const values = set();
    columns = assignments(params, values);
    // A value the statement finds itself (a new owner) must be found: else it writes nothing.
    for (const value of Object.values(values)) if (value instanceof SqlValue) conditions.push(`${value.sql(params)} IS NOT NULL`);
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
  if (viewer.role === Role.REP) conditions.push(`(owner_id IS NULL OR owner_id = ${params.add(viewer.userId)}::uuid)`);
  if (allowed) conditions.push(allowed);
  // A SELECT at the top: every driver answers it with the rows alone (see queryRows).
  const [row] = await queryPrepared(em, `WITH written AS (UPDATE leads SET ${columns.join(', ')} WHERE ${conditions.join(' AND ')} RETURNING *)
    SELECT * FROM written`, params.values);
  return row ? hydrate(em, Lead, row) : null;
}
