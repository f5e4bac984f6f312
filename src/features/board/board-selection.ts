import { FieldNode, getArgumentValues, GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { fieldsNamed, setsOf } from '../../infra/graphql/selection';
import { DealListArgs } from '../deals/deal.query';

/** What a `pipeline(id)` query asks of the board below it; only what the fast path can serve. */
export interface BoardSelection {
  /** The arguments of `stages { deals(...) }`, as the general path's resolver receives them. */
  dealArgs: DealListArgs;
  totalCount: boolean;
  owner: boolean;
  lead: boolean;
}

/**
 * Reads the board out of the selection set: `stages { deals(...) { ... } }` under the
 * pipeline. Null when there is no board below, or one the general path serves better:
 * columns asked with different arguments (aliases) or a later page (`after`).
 */
export function boardSelection(info: GraphQLResolveInfo): BoardSelection | null {
  const stages = fieldsNamed(info, setsOf([...info.fieldNodes]), 'stages');
  const columns = fieldsNamed(info, setsOf(stages), 'deals');
  if (columns.length === 0) return null;

  const dealsField = (info.schema.getType('Stage') as GraphQLObjectType).getFields().deals;
  const argSets = columns.map((node) => getArgumentValues(dealsField, node, info.variableValues) as DealListArgs);
  const signature = JSON.stringify(argSets[0]);
  if (argSets.some((args) => JSON.stringify(args) !== signature) || argSets[0].after) return null;

  return { dealArgs: argSets[0], ...connectionNeeds(info, columns) };
}

/** What a query asks of deal connections (the given fields): their count, and each deal's owner and lead. */
export function connectionNeeds(info: GraphQLResolveInfo, connectionFields: readonly FieldNode[]) {
  const connections = setsOf(connectionFields);
  const deals = [
    ...fieldsNamed(info, connections, 'nodes'),
    ...fieldsNamed(info, setsOf(fieldsNamed(info, connections, 'edges')), 'node'),
  ];
  return {
    totalCount: fieldsNamed(info, connections, 'totalCount').length > 0,
    owner: fieldsNamed(info, setsOf(deals), 'owner').length > 0,
    lead: fieldsNamed(info, setsOf(deals), 'lead').length > 0,
  };
}
