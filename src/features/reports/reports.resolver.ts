import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Pipeline } from '../pipelines/pipeline.entity';
import { DateRange, PipelineMetrics } from './metrics.types';

@Resolver(() => Pipeline)
export class PipelineMetricsResolver {
  @Query(() => PipelineMetrics, {
    description: 'The health of a pipeline: its open value, win rate, average deal size, sales cycle and velocity, per stage and '
      + 'in total. Any role, ANALYST included. NOT_FOUND for a pipeline of no concern to this workspace; '
      + 'QUERY_TOO_COMPLEX when it runs past the report time limit.',
  })
  pipelineMetrics(
    @Arg('pipelineId', () => ID, { description: 'The pipeline.' }) pipelineId: string,
    @Arg('range', () => DateRange, { nullable: true, description: 'Bounds the won, lost and ledger figures; default: the last 90 days.' }) range: DateRange | null,
    @Ctx() ctx: Context,
  ): Promise<PipelineMetrics> {
    return ctx.services.reports.pipelineMetrics(ctx.db, ctx.viewer, pipelineId, range);
  }

  @FieldResolver(() => PipelineMetrics, { description: 'The health of this pipeline; see Query.pipelineMetrics.' })
  metrics(
    @Root() pipeline: Pipeline,
    @Arg('range', () => DateRange, { nullable: true, description: 'Bounds the won, lost and ledger figures; default: the last 90 days.' }) range: DateRange | null,
    @Ctx() ctx: Context,
  ): Promise<PipelineMetrics> {
    return ctx.services.reports.pipelineMetrics(ctx.db, ctx.viewer, pipeline.id, range);
  }
}
