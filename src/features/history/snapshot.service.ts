import type DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrateJsonRows } from '../../infra/db/json-rows';
import { hydrate } from '../../infra/db/rows';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Page } from '../../infra/pagination/connection.types';
import { Deal } from '../deals/deal.entity';
import { DealStatus } from '../deals/deal.enums';
import { Stage } from '../pipelines/stage.entity';
import { Viewer } from '../workspaces/viewer';
import { DealSnapshot, PipelineSnapshot, StageSnapshot } from './snapshot.types';
import { SNAPSHOT_ORDERING, snapshotSql } from './snapshot.sql';
import type { HistoryQuery } from './history.service';
import { pageKey, pageLoader } from './page-loader';
import { ValuePageArgs, ValueRow, valuePage, wellFormedPage } from './value-page';


interface PageKey extends ValuePageArgs {
  stageId: string;
}

/** The deals of a snapshot's stages, page by page. */
export type SnapshotPages = DataLoader<PageKey, Page<DealSnapshot>, string>;

type SnapshotRow = Record<string, unknown> & Partial<ValueRow> & {
  stage_id: string; n: number; v: string; w: string; total_v: string; total_w: string; page_spec: number | null;
};

/** Pipelines as they stood at a past moment, rebuilt from the durable field history. */
export class SnapshotService {
  constructor(private readonly run: HistoryQuery) {}

  /**
   * The snapshot's figures and, in the same statement, the pages of its stages' deals the
   * request asks for (`pages`, read ahead from the query); other pages are fetched when asked.
   */
  async snapshot(em: EntityManager, viewer: Viewer, pipelineId: string, asOf: Date, pages: ValuePageArgs[] = []): Promise<PipelineSnapshot> {
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new BadInputError('asOf must be a valid date-time', 'asOf');
    const usable = pages.filter((spec) => wellFormedPage(viewer.workspaceId, SNAPSHOT_ORDERING, spec));
    const rows = await this.run<SnapshotRow>(em, snapshotSql(viewer.workspaceId, id, asOf, usable));
    // Every pipeline has OPEN stages: none means no such pipeline in this workspace.
    if (rows.length === 0) throw new NotFoundError('pipeline', pipelineId);
    const stages = [...new Map(rows.map((row) => [row.stage_id, row])).values()];
    const counts = new Map(stages.map((row) => [row.stage_id, row.n]));
    const pageOf = (all: SnapshotRow[], spec: number, key: PageKey) => page(em, all, spec, key, viewer, counts.get(key.stageId) ?? 0);
    const answered = new Map(usable.flatMap((spec, i) => stages.map((stage) =>
      [pageKey(stage.stage_id, spec), pageOf(rows, i, { ...spec, stageId: stage.stage_id })] as const)));
    const loader = pageLoader((key: PageKey) => key.stageId, answered,
      (specs) => this.run<SnapshotRow>(em, snapshotSql(viewer.workspaceId, id, asOf, specs)), pageOf);
    return Object.assign(new PipelineSnapshot(), {
      pipelineId: id, asOf, openDealCount: stages.reduce((sum, row) => sum + row.n, 0),
      openValue: Number(stages[0].total_v), weightedOpenValue: Number(stages[0].total_w),
      stages: stages.map((row) => Object.assign(new StageSnapshot(), {
        stageId: row.stage_id, stage: hydrate(em, Stage, row), pages: loader, dealCount: row.n, value: Number(row.v),
        weightedValue: Number(row.w),
      })),
    });
  }
}

/** The page of a stage's deals among a statement's rows (those of page `spec`). */
function page(em: EntityManager, rows: SnapshotRow[], spec: number, key: PageKey, viewer: Viewer, total: number) {
  const own = rows.filter((row) => row.page_spec === spec && row.stage_id === key.stageId && row.page_deal_id)
    .map((row) => ({ ...row, deal_id: row.page_deal_id as string, amount: row.amount as string }));
  return valuePage(own, viewer.workspaceId, SNAPSHOT_ORDERING, key, (row) => toDealSnapshot(em, row), total);
}

function toDealSnapshot(em: EntityManager, row: SnapshotRow & ValueRow): DealSnapshot {
  const [deal] = row.page_deal ? hydrateJsonRows(em, Deal, [row.page_deal as Record<string, unknown>]) : [];
  return Object.assign(new DealSnapshot(), {
    dealId: row.deal_id, deal, stageId: row.stage_id, ownerId: row.page_owner_id as string | null, title: row.page_title as string,
    status: DealStatus.OPEN, value: Number(row.amount), expectedCloseDate: row.page_expected_close_date as Date | null,
    stageEnteredAt: row.page_stage_entered_at as Date,
  });
}
