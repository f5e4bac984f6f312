import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { Context } from '../../../context';
import { parseId } from '../../../infra/db/ids';
import { NotFoundError } from '../../../infra/errors/domain-errors';
import { DateRange, PipelineMetrics } from '../../reports/metrics.types';
import { resolveRange } from '../../reports/report-range';
import { subscriptionContext } from '../ws/subscription-context';

interface LiveMetricsArgs {
  pipelineId: string;
  range?: DateRange | null;
}

/** Checks the pipeline (in the viewer's workspace, first of all) and the range, then joins the pipeline's channel. */
async function subscribeLiveMetrics({ args, context }: SubscribeResolverData<unknown, LiveMetricsArgs, Context>) {
  const ctx = subscriptionContext(context);
  const pipelineId = parseId(args.pipelineId, 'pipeline', 'pipelineId');
  resolveRange(args.range);
  if (!(await ctx.loaders.pipeline.load(pipelineId))) throw new NotFoundError('pipeline', args.pipelineId);
  return ctx.realtime.pipelineMetrics(ctx.viewer, pipelineId, args.range ?? undefined);
}

@Resolver()
export class LiveMetricsResolver {
  @Subscription(() => PipelineMetrics, {
    subscribe: subscribeLiveMetrics,
    description: 'The pipeline\'s metrics at once, then again after committed changes. Changes that come close together '
      + 'are coalesced into one message; the last message always reflects every committed change.',
  })
  pipelineMetricsUpdated(
    @Root() metrics: PipelineMetrics,
    @Arg('pipelineId', () => ID, { description: 'The pipeline to watch.' }) _pipelineId: string,
    @Arg('range', () => DateRange, { nullable: true, description: 'Bounds the closed-deal figures; default: the last 90 days.' }) _range?: DateRange | null,
  ): PipelineMetrics {
    return metrics;
  }
}
