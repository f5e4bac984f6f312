import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { DealFilter } from '../deals/deal.filters';
import { DealAggregate, DealGroupField, resolveGroupKeys } from './aggregates.types';
import { ForecastRow } from './forecast.types';
import { LeadFunnelRow, LeadGroupField } from './funnel.types';
import { DateRange } from './metrics.types';

@Resolver()
export class AnalyticsResolver {
  @Query(() => [DealAggregate], {
    description: 'count, sum, avg, min and max of deal value per group of the given fields, over the deals that meet the filter. '
      + 'Groups come in order of their keys (nulls last). An empty groupBy gives one group of every such deal. Any role.',
  })
  dealAggregates(
    @Arg('filter', () => DealFilter, { nullable: true, description: 'Only deals that meet every condition.' }) filter: DealFilter | null,
    @Arg('groupBy', () => [DealGroupField], { description: 'The group keys, one or more; repeats are ignored.' }) groupBy: DealGroupField[],
    @Ctx() ctx: Context,
  ): Promise<DealAggregate[]> {
    return ctx.services.reports.dealAggregates(ctx.db, ctx.viewer, filter, groupBy).then((rows) => resolveGroupKeys(rows, ctx.loaders));
  }

  @Query(() => [LeadFunnelRow], { description: 'Leads → MQL → SQL → converted → won, for the leads created in the range. Any role.' })
  leadFunnel(
    @Arg('range', () => DateRange, { nullable: true, description: 'Creation time of the leads counted; default: the last 90 days.' }) range: DateRange | null,
    @Arg('groupBy', () => LeadGroupField, { nullable: true, description: 'Split by; absent: one row for every lead.' }) groupBy: LeadGroupField | null,
    @Ctx() ctx: Context,
  ): Promise<LeadFunnelRow[]> {
    return ctx.services.reports.leadFunnel(ctx.db, ctx.viewer, range, groupBy);
  }

  @Query(() => [ForecastRow], {
    description: 'Open deals by month (UTC) of expectedCloseDate, over `months` months from the current month on, one row per month '
      + '(or per quarter the window touches, with byQuarter), empty ones included; of one pipeline, or of the whole workspace without '
      + 'pipelineId. Deals without an expected close date, or expected outside the window, are left out. Any role.',
  })
  forecast(
    @Arg('pipelineId', () => ID, { nullable: true, description: 'The pipeline; absent: every pipeline of the workspace.' }) pipelineId: string | null,
    @Arg('months', () => Int, { nullable: true, description: 'How many months, 1 to 60, from the current month; default 12.' }) months: number | null,
    @Arg('byQuarter', () => Boolean, {
      nullable: true, description: 'Sum per calendar quarter (UTC) the window touches, counting only the window\'s months; default false.',
    }) byQuarter: boolean | null,
    @Ctx() ctx: Context,
  ): Promise<ForecastRow[]> {
    return ctx.services.reports.forecast(ctx.db, ctx.viewer, { pipelineId, months, byQuarter });
  }
}
