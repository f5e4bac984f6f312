import { FieldNode, getArgumentValues, GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { fieldsNamed, setsOf } from '../../infra/graphql/selection';
import type { Context } from '../../context';
import { DealListArgs } from '../deals/deal.query';
import { Deal } from '../deals/deal.entity';
import { Lead } from '../leads/lead.entity';
import { User } from '../workspaces/user.entity';
import { allLeaves, DEAL_PEOPLE, fieldsOf, isOnlyRootField, selectedColumns } from './selected-columns';

/** What a `pipeline(id)` query asks of the board below it; only what the fast path can serve. */
export interface BoardSelection {
  /** The arguments of `stages { deals(...) }`, as the general path's resolver receives them. */
  dealArgs: DealListArgs;
  totalCount: boolean;
  owner: boolean;
  lead: boolean;
  /** Whether any cursor is asked for (an edge's, or the page info's). */
  cursors: boolean;
  /** The deal columns to load; null: whole rows. */
  dealColumns: string[] | null;
  /** The owners' and leads' columns to load; null: whole rows. */
  ownerColumns: string[] | null;
  leadColumns: string[] | null;
}

/**
 * Reads the board out of the selection set: `stages { deals(...) { ... } }` under the
 * pipeline. Null when there is no board below, or one the general path serves better:
 * columns asked with different arguments (aliases) or a later page (`after`).
 */
export function boardSelection(ctx: Context, info: GraphQLResolveInfo): BoardSelection | null {
  const stages = fieldsNamed(info, setsOf([...info.fieldNodes]), 'stages');
  const columns = fieldsNamed(info, setsOf(stages), 'deals');
  if (columns.length === 0) return null;

  const dealsField = (info.schema.getType('Stage') as GraphQLObjectType).getFields().deals;
  const argSets = columns.map((node) => getArgumentValues(dealsField, node, info.variableValues) as DealListArgs);
  const signature = JSON.stringify(argSets[0]);
  if (argSets.some((args) => JSON.stringify(args) !== signature) || argSets[0].after) return null;

  // Only the columns reach these deals when nothing else under the pipeline leads anywhere.
  const closed = allLeaves(fieldsOf(info, setsOf([...info.fieldNodes])).filter((f) => f.name.value !== 'stages'))
    && allLeaves(fieldsOf(info, setsOf(stages)).filter((f) => f.name.value !== 'deals'));
  return { dealArgs: argSets[0], ...connectionNeeds(ctx, info, columns, closed) };
}

/**
 * What a query asks of deal connections (the given fields): their count, cursors, each deal's
 * owner and lead, and which deal columns. Columns are picked only when `closed` (nothing but
 * these connections can reach their deals) and the operation asks for nothing else, so no
 * other field of the request can read a deal that lacks a column.
 */
export function connectionNeeds(ctx: Context, info: GraphQLResolveInfo, connectionFields: readonly FieldNode[], closed: boolean) {
  const connections = setsOf(connectionFields);
  const edges = fieldsNamed(info, connections, 'edges');
  const deals = [...fieldsNamed(info, connections, 'nodes'), ...fieldsNamed(info, setsOf(edges), 'node')];
  const owners = fieldsNamed(info, setsOf(deals), 'owner');
  const leads = fieldsNamed(info, setsOf(deals), 'lead');
  const dealColumns = closed && isOnlyRootField(info) ? selectedColumns(ctx.db, info, Deal, deals, DEAL_PEOPLE) : null;
  return {
    totalCount: fieldsNamed(info, connections, 'totalCount').length > 0,
    owner: owners.length > 0,
    lead: leads.length > 0,
    cursors: fieldsNamed(info, connections, 'pageInfo').length > 0 || fieldsNamed(info, setsOf(edges), 'cursor').length > 0,
    dealColumns,
    // With lean deals, owners and leads are reached from them alone, and only for leaf fields.
    ownerColumns: dealColumns && selectedColumns(ctx.db, info, User, owners),
    leadColumns: dealColumns && selectedColumns(ctx.db, info, Lead, leads),
  };
}
