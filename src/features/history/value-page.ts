import { SqlParams } from '../../infra/db/sql-params';
import { Page } from '../../infra/pagination/connection.types';
import { decodeCursor, encodeCursor, pageSize } from '../../infra/pagination/cursor';

/** A page request over rows ordered by an amount (largest first), then deal id. */
export interface ValuePageArgs {
  first?: number | null;
  after?: string | null;
}

/** A row of such a page: its amount (numeric as text) and deal id. */
export interface ValueRow {
  amount: string;
  deal_id: string;
}

/**
 * Keyset paging by (amount DESC, deal_id ASC): the condition for rows after `args.after`
 * over columns `amount` and `deal_id`, and the row limit (one more than the page, to tell
 * whether more follow). `ordering` names the list a cursor belongs to.
 */
export function valuePageSql(params: SqlParams, workspaceId: string, ordering: string, args: ValuePageArgs) {
  const limit = pageSize(args.first) + 1;
  if (!args.after) return { after: 'true', limit };
  const [amount, dealId] = decodeCursor(args.after, workspaceId, ordering, 2);
  const v = `${params.add(amount)}::numeric`;
  return { after: `(amount < ${v} OR (amount = ${v} AND deal_id > ${params.add(dealId)}::uuid))`, limit };
}

/**
 * The Page of rows fetched with `valuePageSql` (one more than the page: whether more follow),
 * mapping each row to its node; cursors are encoded only when read.
 */
export function valuePage<R extends ValueRow, T>(rows: R[], workspaceId: string, ordering: string, args: ValuePageArgs,
  node: (row: R) => T, total: number): Page<T> {
  const size = pageSize(args.first);
  const kept = rows.slice(0, size);
  const cursors = () => kept.map((row) => encodeCursor(workspaceId, ordering, [row.amount, row.deal_id]));
  return new Page(kept.map(node), cursors, { hasNextPage: rows.length > size, hasPreviousPage: Boolean(args.after) }, async () => total);
}

/** Whether a page's size and cursor are valid (else the page's own statement reports the error, on its field). */
export function wellFormedPage(workspaceId: string, ordering: string, args: ValuePageArgs): boolean {
  try {
    valuePageSql(new SqlParams(), workspaceId, ordering, args);
    return true;
  } catch {
    return false;
  }
}
