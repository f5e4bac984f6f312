import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { queryPrepared } from '../../infra/db/prepared';
import { SqlParams } from '../../infra/db/sql-params';
import { DomainError } from '../../infra/errors/domain-errors';
import { optionalDate, requireMoney, requireName } from '../../infra/validation';
import { CREATED_ANSWER, createdAnswer, CreatedRow } from '../deals/deal.creation';
import { DealWritten, newDealCtes } from '../deals/deal.ledger';
import { defaultOwner } from '../workspaces/access';
import { Role } from '../workspaces/role';
import { Viewer } from '../workspaces/viewer';
import { Lead } from './lead.entity';
import { ConvertLeadInput } from './lead.inputs';
import { LeadStatus } from './lead.enums';

/** A conversion's answer: the new deal, as a creation answers it, and the lead it came from. */
export interface LeadConverted extends DealWritten {
  lead: Lead;
}

/**
 * A lead converted in one statement run on its own (no BEGIN, locks and COMMIT round trips):
 * it locks the lead, if it may still be converted and the viewer may write it, writes its deal
 * in the pipeline's first OPEN stage, owned like the lead (or as a new deal of the viewer's),
 * with the deal's first history entry, CREATED event and field history, and marks the lead
 * CONVERTED. Null when it wrote nothing or the input is one the checks refuse (a named owner
 * among them): the checked path then says why, in its order.
 */
export async function convertInOneStatement(em: EntityManager, viewer: Viewer, id: string, input: ConvertLeadInput): Promise<LeadConverted | null> {
  if (viewer.role === Role.ANALYST || input.ownerId !== undefined) return null;
  const params = new SqlParams();
  const workspace = params.add(viewer.workspaceId);
  let lead: string;
  let values: string[];
  try {
    lead = params.add(parseId(id, 'lead', 'id'));
    values = [
      requireName(input.title, 'input.title'), requireMoney(input.value, 'input.value'),
      optionalDate(input.expectedCloseDate, 'input.expectedCloseDate') ?? null,
      parseId(input.pipelineId, 'pipeline', 'input.pipelineId'),
    ].map((v) => params.add(v));
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
  const [title, value, closeDate, pipeline] = values;
  const actor = params.add(viewer.userId);
  // A rep converts only leads it owns or that are unowned (assertCanWriteOwned).
  const writable = viewer.role === Role.REP ? ` AND (owner_id IS NULL OR owner_id = ${actor}::uuid)` : '';
  const [row] = await queryPrepared<CreatedRow & { lead: Record<string, unknown> }>(em,
    `WITH lead AS (SELECT * FROM leads WHERE id = ${lead}::uuid AND workspace_id = ${workspace}
        AND status NOT IN ('${LeadStatus.CONVERTED}', '${LeadStatus.DISQUALIFIED}')${writable} FOR UPDATE),
      target AS (SELECT * FROM stages WHERE pipeline_id = ${pipeline}::uuid AND workspace_id = ${workspace} AND kind = 'OPEN'
        ORDER BY position LIMIT 1),
      clock AS (SELECT clock_timestamp() AS now FROM lead),
      ${newDealCtes([workspace, title, value, 'target.pipeline_id', 'target.id',
    `coalesce(lead.owner_id, ${params.add(defaultOwner(viewer))}::uuid)`, 'lead.id', `${closeDate}::timestamptz`],
    'target, lead, clock', "jsonb_build_object('leadId', deals.lead_id)", actor).join(',\n')},
      converted AS (UPDATE leads SET status = '${LeadStatus.CONVERTED}', converted_at = now(), updated_at = now()
        FROM created WHERE leads.id = created.lead_id RETURNING leads.*)
    SELECT ${CREATED_ANSWER}, (SELECT row_to_json(converted) FROM converted) AS lead FROM created`, params.values);
  return row ? { ...createdAnswer(em, row), lead: hydrateJsonRows(em, Lead, [row.lead])[0] } : null;
}
