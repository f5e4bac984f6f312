import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Deal } from '../deals/deal.entity';
import { DealTimelineConnection, HistoryPageArgs } from './timeline.types';

@Resolver(() => Deal)
export class DealTimelineResolver {
  @FieldResolver(() => DealTimelineConnection, {
    description: 'Changes of the deal and activities on it, newest first. An activity sorts by its doneAt, else its creation; '
      + 'at the same moment a change comes before an activity, and the later seq or id first. Every change that set a field '
      + 'stays here for good; the event log keeps the others (e.g. STALLED) only for its retention period.',
  })
  timeline(@Root() deal: Deal, @Args() args: HistoryPageArgs, @Ctx() ctx: Context): Promise<DealTimelineConnection> {
    return ctx.loaders.timeline.load({ dealId: deal.id, first: args.first, after: args.after });
  }
}
