import type { Context } from '../../context';
import { parseId } from '../../infra/db/ids';
import { DomainError } from '../../infra/errors/domain-errors';
import { SelectedField } from '../../infra/graphql/selection';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { leaf, NotThisShape, objectOf, Reader, related, relatedList, RootStatement } from '../../infra/sql-answers/answer-fields';
import { JsonField } from '../../infra/sql-answers/json-fields';
import { ListItems, listConnection } from '../../infra/sql-answers/list-connection';
import { Lead } from './lead.entity';
import { LeadFilter } from './lead.inputs';
import { leadListQuery } from './lead.query';

/**
 * A lead field over row alias `row`: plain, its owner, its live deal (a lead has at most one, as
 * `dealOfLead` finds it) or its activities (oldest first, as their loader orders them).
 */
export function leadNode(r: Reader, field: SelectedField, row: string): JsonField {
  switch (field.name) {
    case 'owner': return related(r, field, 'User', 'users', `${row}.owner_id`);
    case 'deal': {
      const d = r.alias();
      return {
        key: field.key,
        json: `coalesce((SELECT ${objectOf(r, 'Deal', field, d)} FROM deals ${d}
          WHERE ${d}.lead_id = ${row}.id AND ${d}.workspace_id = ${r.workspace} AND ${d}.deleted_at IS NULL LIMIT 1), 'null')`,
      };
    }
    case 'activities': return relatedList(r, field, 'Activity', 'activities',
      { where: (a) => `${a}.lead_id = ${row}.id`, orderBy: (a) => `${a}.created_at, ${a}.id` });
    default: return leaf(r, Lead, 'Lead', field, row);
  }
}

const LEAD_ITEMS: ListItems = { node: (r, field, row) => leadNode(r, field, row), connection: 'LeadConnection', edge: 'LeadEdge' };

/** The workspace's `leads(...)`: a page as `listConnection` builds it, with the lead fields `leadNode` answers. */
export const leadListStatement: RootStatement<Context> = (r, root, args) => {
  let query: KeysetQuery;
  try {
    query = leadListQuery(r.ctx.viewer, args.filter as LeadFilter | null, args.first as number | null, args.after as string | null);
  } catch (err) {
    if (err instanceof DomainError) throw new NotThisShape(); // the general path reports it, at its field
    throw err;
  }
  return `SELECT ${listConnection(r, root, query, { column: 'workspace_id', id: r.workspace, value: r.ctx.viewer.workspaceId }, LEAD_ITEMS).json} AS answer`;
};

/** `lead(id)`: no row for a lead that is not there (or of another workspace): the general path answers NOT_FOUND. */
export const leadStatement: RootStatement<Context> = (r, root, args) => {
  const leadId = r.params.add(parseId(args.id as string, 'lead', 'id'));
  return `SELECT ${objectOf(r, 'Lead', root, 'l')} AS answer FROM leads l WHERE l.id = ${leadId} AND l.workspace_id = ${r.workspace}`;
};
