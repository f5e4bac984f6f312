import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { NotFoundError } from '../../infra/errors/domain-errors';
import { Stage } from '../pipelines/stage.entity';
import { Viewer } from '../workspaces/viewer';
import { DealFilter } from '../deals/deal.filters';
import { DealAggregate, DealGroupField } from './aggregates.types';
import { dealAggregates } from './aggregates.service';
import { ForecastRow } from './forecast.types';
import { forecast, ForecastArgs } from './forecast.service';
import { LeadFunnelRow, LeadGroupField } from './funnel.types';
import { leadFunnel } from './funnel.service';
import { PIPELINE_METRICS_SQL } from './metrics.sql';
import { DateRange, PipelineMetrics, StageMetrics } from './metrics.types';
import { resolveRange, wholeDays } from './report-range';
import { foldVisitBacklogBeforeReading } from './report-folder';
import { queryReport, ReportQuery } from './report-timeout';
import { num } from '../../infra/db/numeric';

type Row = Record<string, unknown>;

const money = (value: unknown): number => num(value) ?? 0;

/** velocity = openDealCount × averageDealSize × winRate ÷ averageSalesCycleDays; null when a part is missing. */
function velocity(open: number, size: number | null, winRate: number | null, cycleDays: number | null): number | null {
  if (size === null || winRate === null || cycleDays === null || cycleDays === 0) return null;
  return (open * size * winRate) / cycleDays;
}

function stageMetrics(em: EntityManager, row: Row): StageMetrics {
  const stage = hydrate(em, Stage, row);
  return Object.assign(new StageMetrics(), {
    stage,
    stageId: stage.id,
    dealCount: row.stage_deal_count as number,
    value: money(row.stage_value),
    weightedValue: money(row.stage_weighted_value),
    averageDaysInStage: num(row.stage_average_days),
    conversionRate: num(row.stage_conversion_rate),
    lostCount: row.stage_lost_count as number,
    stalledCount: row.stage_stalled_count as number,
  });
}

/** The pipeline reports (metrics, aggregates, funnel), computed in PostgreSQL and scoped to the viewer's workspace. */
export class ReportService {
  constructor(readonly timeoutMs: number) {}

  /** Runs one report statement under the report statement timeout (on the report sessions, where there are some). */
  query<R = Row>(em: EntityManager, sql: string, params: unknown[]): Promise<R[]> {
    return queryReport<R>(em, this.timeoutMs, sql, params);
  }

  /** `query` on `em`, for a report that runs its statements one by one. */
  private queryOn(em: EntityManager): ReportQuery {
    return (sql, params) => this.query(em, sql, params);
  }

  /**
   * PipelineMetrics of a pipeline of the viewer's workspace, complete: serialising it needs
   * no further database access. NOT_FOUND for a missing pipeline or one of another workspace.
   */
  async pipelineMetrics(em: EntityManager, viewer: Viewer, pipelineId: string, range?: DateRange | null): Promise<PipelineMetrics> {
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    const now = new Date();
    const { from, to } = resolveRange(range, now);
    const days = wholeDays({ from, to }, now);
    // Fold-on-read: the visits are exact only once the backlog is in. Outside the report's
    // transaction, so the fold's lock is held only as long as the fold.
    await foldVisitBacklogBeforeReading(em);
    const rows = await this.query(em, PIPELINE_METRICS_SQL, [viewer.workspaceId, id, from, to, days.start, days.end]);
    // Every pipeline has stages, so no row means no such pipeline in this workspace.
    if (rows.length === 0) throw new NotFoundError('pipeline', pipelineId);
    const first = rows[0];
    const wonCount = first.won_count as number;
    const lostCount = first.lost_count as number;
    const openDealCount = first.open_deal_count as number;
    const averageDealSize = num(first.average_deal_size);
    const winRate = wonCount + lostCount > 0 ? wonCount / (wonCount + lostCount) : null;
    const averageSalesCycleDays = num(first.average_sales_cycle_days);
    return Object.assign(new PipelineMetrics(), {
      pipelineId: id,
      from,
      to,
      openDealCount,
      openValue: money(first.open_value),
      weightedOpenValue: money(first.weighted_open_value),
      wonCount,
      lostCount,
      wonValue: money(first.won_value),
      averageDealSize,
      winRate,
      averageSalesCycleDays,
      velocityPerDay: velocity(openDealCount, averageDealSize, winRate, averageSalesCycleDays),
      stages: rows.map((row) => stageMetrics(em, row)),
      computedAt: new Date(first.computed_at as string | Date),
    });
  }

  /** Deal value statistics per group, for any DealFilter. */
  dealAggregates(em: EntityManager, viewer: Viewer, filter: DealFilter | null | undefined, groupBy: DealGroupField[]): Promise<DealAggregate[]> {
    return dealAggregates(this.queryOn(em), viewer, filter, groupBy);
  }

  /** Leads → MQL → SQL → converted → won, for the leads created in the range. */
  leadFunnel(em: EntityManager, viewer: Viewer, range: DateRange | null | undefined, groupBy: LeadGroupField | null | undefined): Promise<LeadFunnelRow[]> {
    return leadFunnel(this.queryOn(em), viewer, range, groupBy);
  }

  /** Open deals of a pipeline by month of expected close. */
  forecast(em: EntityManager, viewer: Viewer, args: ForecastArgs): Promise<ForecastRow[]> {
    return forecast(this.queryOn(em), viewer, args);
  }
}
