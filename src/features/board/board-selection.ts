import { GraphQLResolveInfo } from 'graphql';
import { Selection } from '../../infra/graphql/selection';
import type { Context } from '../../context';
import { DealListArgs } from '../deals/deal.query';
import { Deal } from '../deals/deal.entity';
import { Lead } from '../leads/lead.entity';
import { User } from '../workspaces/user.entity';
import { DEAL_PEOPLE, isOnlyRootField, selectedColumns } from './selected-columns';

/** What a `pipeline(id)` query asks of the board below it; only what the fast path can serve. */
export interface BoardSelection {
  /** The arguments of `stages { deals(...) }`, as the general path's resolver receives them. */
  dealArgs: DealListArgs;
  totalCount: boolean;
  owner: boolean;
  lead: boolean;
  /** Whether each deal's health is asked for (computed in the same statement). */
  health: boolean;
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
  const pipeline = Selection.of(info);
  const stages = pipeline.down('stages');
  const columns = stages.named('deals');
  if (columns.length === 0) return null;

  const argSets = columns.map((column) => column.args<DealListArgs>());
  const signature = JSON.stringify(argSets[0]);
  if (argSets.some((args) => JSON.stringify(args) !== signature) || argSets[0].after) return null;

  // Only the columns reach these deals when nothing else under the pipeline leads anywhere.
  const leadsNowhere = (selection: Selection, except: string) => selection.fields.every((f) => f.name === except || !f.nodes[0].selectionSet);
  const closed = leadsNowhere(pipeline, 'stages') && leadsNowhere(stages, 'deals');
  return { dealArgs: argSets[0], ...connectionNeeds(ctx, info, stages.down('deals'), closed) };
}

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
