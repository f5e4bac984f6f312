import { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { DealConnection } from '../deals/deal.types';
import { DateRange } from '../reports/metrics.types';
import { FlowMovement, PipelineFlow } from './flow.types';
import { askedPages } from './asked-pages';
import { HistoryPageArgs } from './timeline.types';

@Resolver(() => FlowMovement)
export class PipelineFlowResolver {
  @Query(() => PipelineFlow, {
    description: 'What moved a pipeline between two moments: the pipeline at each end and the nine kinds of movement, with '
      + 'their deals. A deal is in the pipeline at a moment when it exists, is OPEN and, with `closingIn`, its expected close '
      + 'date lies in that window. Any role. NOT_FOUND for a pipeline of no concern to this workspace; QUERY_TOO_COMPLEX when '
      + 'it runs past the report time limit.',
  })
  pipelineFlow(
    @Arg('pipelineId', () => ID, { description: 'The pipeline.' }) pipelineId: string,
    @Arg('range', () => DateRange, { nullable: true, description: 'From and to, half-open; default: the 90 days before `to`, which defaults to now.' })
    range: DateRange | null,
    @Arg('closingIn', () => DateRange, { nullable: true, description: 'Counts only deals whose expected close date lies in it (half-open); absent: every OPEN deal.' })
    closingIn: DateRange | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PipelineFlow> {
    const pages = askedPages(info, 'movements');
    return ctx.services.history.flows.flow(ctx.db, ctx.viewer, pipelineId, range, closingIn, pages);
  }

  @FieldResolver(() => DealConnection, {
    description: 'The deals that moved this way, as they are now (deleted ones included), by the value they moved (largest '
      + 'first), then deal id.',
  })
  deals(@Root() movement: FlowMovement, @Args() args: HistoryPageArgs) {
    return movement.pages.load({ kind: movement.kind, first: args.first, after: args.after });
  }
}

