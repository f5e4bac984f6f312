import type { Context } from '../../context';
import { DomainError } from '../../infra/errors/domain-errors';
import { SelectedField } from '../../infra/graphql/selection';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { leaf, NotThisShape, Reader, related, RootStatement } from '../../infra/sql-answers/answer-fields';
import { JsonField, jsonObject } from '../../infra/sql-answers/json-fields';
import { ListItems, listConnection } from '../../infra/sql-answers/list-connection';
import { dealNode } from '../deals/deal-node.answer';
import { User } from '../workspaces/user.entity';
import { Lead } from './lead.entity';
import { LeadFilter } from './lead.inputs';
import { leadListQuery } from './lead.query';

/** A lead field over row alias `t`: plain, its owner, or its live deal (a lead has at most one, as `dealOfLead` finds it). */
function leadNode(r: Reader, field: SelectedField): JsonField {
  switch (field.name) {
    case 'owner': return related(r, field, User, 'User', 'users', 't.owner_id');
    case 'deal': return {
      key: field.key,
      sql: `(SELECT ${jsonObject(field.below.fields.map((f) => dealNode(r, f, 'ld')))} FROM deals ld
        WHERE ld.lead_id = t.id AND ld.workspace_id = ${r.workspace} AND ld.deleted_at IS NULL LIMIT 1)`,
    };
    default: return leaf(r, Lead, 'Lead', field, 't');
  }
}

const LEAD_ITEMS: ListItems = { node: leadNode, connection: 'LeadConnection', edge: 'LeadEdge' };

/** The workspace's `leads(...)`: the first page as `listConnection` builds it, with the lead fields `leadNode` answers. */
export const leadListStatement: RootStatement<Context> = (r, root, args) => {
  let query: KeysetQuery;
  try {
    query = leadListQuery(r.ctx.viewer, args.filter as LeadFilter | null, args.first as number | null, args.after as string | null);
  } catch (err) {
    if (err instanceof DomainError) throw new NotThisShape(); // the general path reports it, at its field
    throw err;
  }
  return `SELECT ${listConnection(r, root, query, { column: 'workspace_id', id: r.workspace }, LEAD_ITEMS).sql} AS answer`;
};
