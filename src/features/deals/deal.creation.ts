import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { queryPrepared } from '../../infra/db/prepared';
import { SqlParams } from '../../infra/db/sql-params';
import { DomainError } from '../../infra/errors/domain-errors';
import { optionalDate, requireMoney, requireName } from '../../infra/validation';
import { Stage } from '../pipelines/stage.entity';
import { ownerFoundInStatement } from '../workspaces/users';
import { User } from '../workspaces/user.entity';
import { defaultOwner } from '../workspaces/access';
import { Viewer } from '../workspaces/viewer';
import { Deal } from './deal.entity';
import { CreateDealInput } from './deal.inputs';
import { DealWritten, newDealCtes } from './deal.ledger';

/**
 * The owner of a new deal as SQL, and whether the input named one that must exist; null when
 * only the checked path can tell (a rep naming someone else is refused there, in its order).
 */
function ownerSql(params: SqlParams, viewer: Viewer, ownerId: string | null | undefined): { sql: string; named: boolean } | null {
  if (ownerId === undefined) return { sql: `${params.add(defaultOwner(viewer))}::uuid`, named: false };
  if (ownerId === null) return { sql: 'NULL::uuid', named: false };
  if (ownerId === viewer.externalId) return { sql: `${params.add(viewer.userId)}::uuid`, named: true };
  const found = ownerFoundInStatement(viewer, ownerId);
  return found ? { sql: found.sql(params), named: true } : null;
}

/**
 * A new deal without a lead, in one statement run on its own (no BEGIN and COMMIT round trips):
 * it finds the stage (the one named if it is an OPEN stage of the pipeline, else the pipeline's
 * first OPEN one), the owner, and writes the deal with its first history entry, CREATED event
 * and field history, reading back the stage and owner for the answer. Null when it wrote nothing
 * (no such pipeline, stage or owner, or input the checks refuse): the checked path then says why.
 */
export async function createInOneStatement(em: EntityManager, viewer: Viewer, input: CreateDealInput): Promise<DealWritten | null> {
  const params = new SqlParams();
  const workspace = params.add(viewer.workspaceId);
  let values: string[];
  try {
    values = [
      requireName(input.title, 'input.title'), requireMoney(input.value, 'input.value'),
      optionalDate(input.expectedCloseDate, 'input.expectedCloseDate') ?? null,
    ].map((v) => params.add(v));
    values.push(params.add(parseId(input.pipelineId, 'pipeline', 'input.pipelineId')));
    if (input.stageId) values.push(params.add(parseId(input.stageId, 'stage', 'input.stageId')));
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
  const [title, value, closeDate, pipeline, stage] = values;
  const owner = ownerSql(params, viewer, input.ownerId);
  if (!owner) return null;
  const actor = params.add(viewer.userId);
  const [row] = await queryPrepared<CreatedRow>(em,
    `WITH target AS (SELECT * FROM stages WHERE pipeline_id = ${pipeline}::uuid AND workspace_id = ${workspace} AND kind = 'OPEN'
        ${stage ? `AND id = ${stage}::uuid` : ''} ORDER BY position LIMIT 1),
      owner AS (SELECT ${owner.sql} AS id),
      clock AS (SELECT clock_timestamp() AS now),
      ${newDealCtes([workspace, title, value, 'target.pipeline_id', 'target.id', 'owner.id', 'NULL', `${closeDate}::timestamptz`],
    `target, owner, clock ${owner.named ? 'WHERE owner.id IS NOT NULL' : ''}`, "'{}'::jsonb", actor).join(',\n')}
    SELECT ${CREATED_ANSWER} FROM created`, params.values);
  return row ? createdAnswer(em, row) : null;
}

/** What a creation's statement (CTEs `created` and `target`, its stage) selects for the answer: the deal, its stage and owner. */
export const CREATED_ANSWER = `row_to_json(created) AS deal, (SELECT row_to_json(target) FROM target) AS stage,
  (SELECT row_to_json(u) FROM users u WHERE u.id = created.owner_id) AS owner`;

/** The row CREATED_ANSWER selects, as entities. */
export interface CreatedRow {
  deal: Record<string, unknown>;
  stage: Record<string, unknown>;
  owner: Record<string, unknown> | null;
}

export function createdAnswer(em: EntityManager, row: CreatedRow): DealWritten {
  return {
    deal: hydrateJsonRows(em, Deal, [row.deal])[0],
    stage: hydrateJsonRows(em, Stage, [row.stage])[0],
    owner: row.owner ? hydrateJsonRows(em, User, [row.owner])[0] : null,
  };
}
