import { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../context';
import { Selection } from '../../infra/graphql/selection';
import { isOnlyRootField, selectedColumns } from '../../infra/sql-answers/selected-columns';
import { Lead } from '../leads/lead.entity';
import { User } from '../workspaces/user.entity';
import { Deal } from './deal.entity';

/** Deal fields whose resolvers load a person by a column of the deal. */
export const DEAL_PEOPLE: Record<string, string> = { owner: 'owner_id', lead: 'lead_id' };

/**
 * What a query asks of deal connections (the given selection): their count, cursors, each
 * deal's owner and lead, and which deal columns. Columns are picked, and cursors left out when
 * none is read, only when `closed` (nothing but these connections can reach their deals) and the
 * operation asks for nothing else, so no other field of the request can read a primed page that
 * lacks a column or its cursors.
 */
export function connectionNeeds(ctx: Context, info: GraphQLResolveInfo, connections: Selection, closed: boolean) {
  const edges = connections.down('edges');
  const deals = Selection.union(connections.down('nodes'), edges.down('node'));
  const owners = deals.down('owner');
  const leads = deals.down('lead');
  const lean = closed && isOnlyRootField(info);
  const dealColumns = lean ? selectedColumns(ctx.db, deals, Deal, DEAL_PEOPLE) : null;
  return {
    totalCount: connections.has('totalCount'),
    owner: deals.has('owner'),
    lead: deals.has('lead'),
    health: deals.has('health'),
    cursors: !lean || connections.has('pageInfo') || edges.has('cursor'),
    dealColumns,
    // With lean deals, owners and leads are reached from them alone, and only for leaf fields.
    ownerColumns: dealColumns && selectedColumns(ctx.db, owners, User),
    leadColumns: dealColumns && selectedColumns(ctx.db, leads, Lead),
  };
}
