import { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { Selection } from '../../infra/graphql/selection';
import { queryPrepared } from '../../infra/db/prepared';
import { DomainError } from '../../infra/errors/domain-errors';
import { KeysetQuery } from '../../infra/pagination/keyset';
import { DealListArgs, dealListQuery } from './deal.query';
import { connectionNeeds } from './deal-page-needs';
import { DealPageRows, dealListStatement } from './deal-pages.query';
import { primeDealPages } from './deal-pages.prime';

/**
 * The deals-list fast path: when the first page of `deals(...)` asks for its deals' owners or
 * leads, loads the page, its count and those people in one statement and primes the
 * request's loaders, as the board does for its columns. A later page (`after`), a list that
 * needs nothing beyond its deals, or arguments the general path refuses go the general way.
 */
export async function primeDealList(ctx: Context, info: GraphQLResolveInfo, args: DealListArgs): Promise<void> {
  // Below the list, only the connection's own fields: none leads back to these deals.
  const needs = connectionNeeds(ctx, info, Selection.of(info), true);
  if (args.after || !(needs.owner || needs.lead)) return;
  let query: KeysetQuery;
  try {
    query = dealListQuery(ctx.viewer, 'workspace_id', args);
  } catch (err) {
    if (err instanceof DomainError) return;
    throw err;
  }
  const statement = dealListStatement(ctx.viewer.workspaceId, query, needs);
  const [rows] = await queryPrepared<DealPageRows>(ctx.db, statement.sql, statement.params);
  primeDealPages(ctx, query, 'workspace_id', [ctx.viewer.workspaceId], args, needs, rows);
}
