import { parseId } from '../../infra/db/ids';
import { objectOf, RootStatement } from '../../infra/sql-answers/answer-fields';

/**
 * A deal's answer built by PostgreSQL: `deal(id)` with the fields the node readers answer
 * (`dealNode` and the readers of the types it leads to, to any depth), as one SQL value, as
 * graphql-js would serialise it. No row for a deal that is not there (deleted, or of another
 * workspace): the general path answers NOT_FOUND.
 */
export const dealStatement: RootStatement = (r, root, args) => {
  const dealId = r.params.add(parseId(args.id as string, 'deal', 'id'));
  return `SELECT ${objectOf(r, 'Deal', root, 'd')} AS answer FROM deals d
    WHERE d.id = ${dealId} AND d.workspace_id = ${r.workspace} AND d.deleted_at IS NULL`;
};
