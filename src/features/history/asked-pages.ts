import { getArgumentValues, GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { fieldsNamed, setsOf } from '../../infra/graphql/selection';
import type { ValuePageArgs } from './value-page';

/**
 * The distinct pages of `list { deals(first, after) }` a query asks under the field being
 * resolved (`type` names the list's object type), so that one statement answers them with the
 * figures. Aliases asking other sizes each count; a page whose field is skipped costs a few rows.
 */
export function askedPages(info: GraphQLResolveInfo, list: string, type: string): ValuePageArgs[] {
  const deals = fieldsNamed(info, setsOf(fieldsNamed(info, setsOf([...info.fieldNodes]), list)), 'deals');
  const field = (info.schema.getType(type) as GraphQLObjectType).getFields().deals;
  const asked = deals.map((node) => getArgumentValues(field, node, info.variableValues) as ValuePageArgs);
  return [...new Map(asked.map((args) => [JSON.stringify([args.first ?? null, args.after ?? null]), args])).values()];
}
