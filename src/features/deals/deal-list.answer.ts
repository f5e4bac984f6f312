import type { Context } from '../../context';
import { DomainError } from '../../infra/errors/domain-errors';
import { SelectedField } from '../../infra/graphql/selection';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { NotThisShape, Reader, RootStatement } from '../../infra/sql-answers/answer-fields';
import { JsonField } from '../../infra/sql-answers/json-fields';
import { ListItems, listConnection, ListParent } from '../../infra/sql-answers/list-connection';
import { DealListArgs, DealParent, dealListQuery } from './deal.query';
import { dealNode } from './deal-node.answer';

const DEAL_ITEMS: ListItems = { node: (r, field, row) => dealNode(r, field, row), connection: 'DealConnection', edge: 'DealEdge' };

/** A deals list (of the workspace, a pipeline or a stage) as `listConnection` builds it, with the deal fields `dealNode` answers. */
export function dealConnection(r: Reader<Context>, field: SelectedField, parent: ListParent & { column: DealParent }): JsonField {
  let query: KeysetQuery;
  try {
    query = dealListQuery(r.ctx.viewer, parent.column, field.args<DealListArgs>());
  } catch (err) {
    if (err instanceof DomainError) throw new NotThisShape(); // the general path reports it, at its field
    throw err;
  }
  return listConnection(r, field, query, parent, DEAL_ITEMS);
}

/** The workspace's `deals(...)`: a page as `dealConnection` builds it (after a cursor too: the list's parent is known). */
export const dealListStatement: RootStatement<Context> = (r, root) =>
  `SELECT ${dealConnection(r, root, { column: 'workspace_id', id: r.workspace, value: r.ctx.viewer.workspaceId }).json} AS answer`;
