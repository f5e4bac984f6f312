import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../infra/db/ids';
import { NotFoundError } from '../../../infra/errors/domain-errors';
import { Deal } from '../../deals/deal.entity';
import { Stage } from '../../pipelines/stage.entity';
import { User } from '../../workspaces/user.entity';
import { DealEvent } from '../log/deal-event.type';
import { parseSeq, subscriptionContext } from '../ws/subscription-context';

interface DealEventsArgs {
  pipelineId: string;
  after?: string | null;
}

/** Checks the pipeline (in the viewer's workspace, first of all) and opens the stream. */
async function subscribeDealEvents({ args, context }: SubscribeResolverData<unknown, DealEventsArgs, Context>) {
  const ctx = subscriptionContext(context);
  const pipelineId = parseId(args.pipelineId, 'pipeline', 'pipelineId');
  const after = parseSeq(args.after);
  if (!(await ctx.loaders.pipeline.load(pipelineId))) throw new NotFoundError('pipeline', args.pipelineId);
  return ctx.realtime.dealEvents(ctx.viewer, pipelineId, after, ctx.connection);
}

/** Loaders of the event's delivery when it has them (shared by its audience), else the request's. */
const loadersOf = (event: DealEvent, ctx: Context) => event.loaders ?? ctx.loaders;

@Resolver(() => DealEvent)
export class DealEventResolver {
  @Subscription(() => DealEvent, {
    subscribe: subscribeDealEvents,
    description: 'Every committed change of a deal in the pipeline, in `seq` order, exactly once. With `after`, first every '
      + 'event after that seq, then live, with no gap and no duplicate; without it, every change committed after the '
      + 'subscription started. A subscriber that falls too far behind is closed '
      + 'with 1013 and resumes with `after` = the last seq it received.',
  })
  dealEvents(
    @Root() event: DealEvent,
    @Arg('pipelineId', () => ID, { description: 'The pipeline to follow.' }) _pipelineId: string,
    @Arg('after', () => String, { nullable: true, description: 'The last seq already seen: replay from the one after it.' }) _after?: string | null,
  ): DealEvent {
    return event;
  }

  @Query(() => String, {
    description: 'A seq to subscribe to `dealEvents` after, read before the state a client shows: every change committed '
      + 'since this query comes, none lost between the load and the subscription. Read it, load the board, then subscribe '
      + 'with `after: lastEventSeq`; a change the board already shows may come again (its seq tells).',
  })
  async lastEventSeq(@Ctx() ctx: Context): Promise<string> {
    return (await ctx.deliveredSeq()).toString();
  }

  @FieldResolver(() => Deal, { description: 'The deal as it is now (also after it was deleted).' })
  async deal(@Root() event: DealEvent, @Ctx() ctx: Context): Promise<Deal> {
    const deal = await loadersOf(event, ctx).dealIncludingDeleted.load(event.dealId);
    if (!deal) throw new NotFoundError('deal', event.dealId);
    return deal;
  }

  @FieldResolver(() => Stage, { nullable: true, description: 'The stage the deal left; null when it did not change stage.' })
  fromStage(@Root() event: DealEvent, @Ctx() ctx: Context): Promise<Stage | null> | null {
    return event.fromStageId ? loadersOf(event, ctx).stage.load(event.fromStageId) : null;
  }

  @FieldResolver(() => Stage, { nullable: true, description: 'The stage the deal is in after the change.' })
  toStage(@Root() event: DealEvent, @Ctx() ctx: Context): Promise<Stage | null> | null {
    return event.toStageId ? loadersOf(event, ctx).stage.load(event.toStageId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who made the change.' })
  actor(@Root() event: DealEvent, @Ctx() ctx: Context): Promise<User | null> | null {
    return event.actorId ? loadersOf(event, ctx).user.load(event.actorId) : null;
  }
}
