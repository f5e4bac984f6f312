import { GraphQLResolveInfo } from 'graphql';
import { Selection } from '../../infra/graphql/selection';
import type { ValuePageArgs } from './value-page';

/**
 * The distinct pages of `list { deals(first, after) }` the query asks under the field being
 * resolved, so that one statement answers them with the figures (aliases asking other sizes
 * each count).
 */
export function askedPages(info: GraphQLResolveInfo, list: string): ValuePageArgs[] {
  const asked = Selection.of(info).down(list).named('deals').map((field) => field.args<ValuePageArgs>());
  return [...new Map(asked.map((args) => [JSON.stringify([args.first ?? null, args.after ?? null]), args])).values()];
}

/**
 * Whether the query asks anything of `list { deals { nodes|edges { node { deal } } } }` but its
 * id: only then must a page read each deal's row as it is now.
 */
export function asksPagedDeals(info: GraphQLResolveInfo, list: string): boolean {
  const connection = Selection.of(info).down(list).down('deals');
  const nodes = Selection.union(connection.down('nodes'), connection.down('edges').down('node'));
  return nodes.down('deal').fields.some((field) => field.name !== 'id' && field.name !== '__typename');
}
