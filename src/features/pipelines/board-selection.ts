import { GraphQLResolveInfo } from 'graphql';
import { Selection } from '../../infra/graphql/selection';
import type { Context } from '../../context';
import { DealListArgs } from '../deals/deal.query';
import { connectionNeeds } from '../deals/deal-page-needs';
import { PageNeeds } from '../deals/deal-pages.query';

/** What a `pipeline(id)` query asks of the board below it; only what the fast path can serve. */
export interface BoardSelection extends PageNeeds {
  /** The arguments of `stages { deals(...) }`, as the general path's resolver receives them. */
  dealArgs: DealListArgs;
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
