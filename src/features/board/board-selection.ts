import { FieldNode, getArgumentValues, GraphQLObjectType, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
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
 * The fields named `name` directly under a selection set, through inline fragments and
 * fragment spreads. Type conditions need no check: every type on this path is an object type.
 */
function fieldsNamed(info: GraphQLResolveInfo, sets: readonly (SelectionSetNode | undefined)[], name: string): FieldNode[] {
  const found: FieldNode[] = [];
  const visit = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === name) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return found;
}

const setsOf = (fields: FieldNode[]) => fields.map((f) => f.selectionSet);

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

  const connections = setsOf(columns);
  const deals = [
    ...fieldsNamed(info, connections, 'nodes'),
    ...fieldsNamed(info, setsOf(fieldsNamed(info, connections, 'edges')), 'node'),
  ];
  return {
    dealArgs: argSets[0],
    totalCount: fieldsNamed(info, connections, 'totalCount').length > 0,
    owner: fieldsNamed(info, setsOf(deals), 'owner').length > 0,
    lead: fieldsNamed(info, setsOf(deals), 'lead').length > 0,
  };
}
