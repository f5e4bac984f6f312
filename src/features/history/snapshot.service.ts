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
import { groupPageRows, pageKey, pageLoader, PagesIn } from './page-loader';
import { ValuePageArgs, ValueRow, valuePage, wellFormedPage } from './value-page';


interface PageKey extends ValuePageArgs {
  stageId: string;
}

/** The deals of a snapshot's stages, page by page. */
export type SnapshotPages = DataLoader<PageKey, Page<DealSnapshot>, string>;

/** The deal pages a request asks for, and whether it asks more of their deals than their ids. */
export interface AskedPages {
  pages?: ValuePageArgs[];
  dealRows?: boolean;
}

type SnapshotRow = Record<string, unknown> & Partial<ValueRow> & {
  stage_id: string; n: number; v: string; w: string; total_v: string; total_w: string; page_spec: number | null;
};

/** Pipelines as they stood at a past moment, rebuilt from the durable field history. */
export class SnapshotService {
  constructor(private readonly run: HistoryQuery) {}

  /**
   * The snapshot's figures and, in the same statement, the pages of its stages' deals the
   * request asks for (`asked.pages`, read ahead from the query); other pages are fetched when
   * asked. Without `asked.dealRows` (the query asks nothing of a paged deal as it is now but its
   * id) no deal row is read for that.
   */
  async snapshot(em: EntityManager, viewer: Viewer, pipelineId: string, asOf: Date, asked: AskedPages = {}): Promise<PipelineSnapshot> {
    const { pages = [], dealRows = true } = asked;
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new BadInputError('asOf must be a valid date-time', 'asOf');
    const usable = pages.filter((spec) => wellFormedPage(viewer.workspaceId, SNAPSHOT_ORDERING, spec));
    const rows = await this.run<SnapshotRow>(em, snapshotSql(viewer.workspaceId, id, asOf, usable, dealRows));
    // Every pipeline has OPEN stages: none means no such pipeline in this workspace.
    if (rows.length === 0) throw new NotFoundError('pipeline', pipelineId);
    const stages = [...new Map(rows.map((row) => [row.stage_id, row])).values()];
    const counts = new Map(stages.map((row) => [row.stage_id, row.n]));
    const pagesIn = (all: SnapshotRow[]) => stagePages(em, viewer, all, counts);
    const pageOf = pagesIn(rows);
    const answered = new Map(usable.flatMap((spec, i) => stages.map((stage) =>
      [pageKey(stage.stage_id, spec), pageOf(i, { ...spec, stageId: stage.stage_id })] as const)));
    const loader = pageLoader((key: PageKey) => key.stageId, answered,
      (specs) => this.run<SnapshotRow>(em, snapshotSql(viewer.workspaceId, id, asOf, specs, dealRows)), pagesIn);
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

/**
 * The stages' pages among a statement's rows: its page rows grouped once by page and stage, and
 * their deals as they are now hydrated together (known by their ids alone when read without them).
 */
function stagePages(em: EntityManager, viewer: Viewer, rows: SnapshotRow[], counts: Map<string, number>): PagesIn<PageKey, DealSnapshot> {
  const listed = rows.filter((row) => row.page_deal_id);
  const deals = hydrateJsonRows(em, Deal, listed.map((row) => (row.page_deal ?? {}) as Record<string, unknown>));
  const dealOf = (row: SnapshotRow, i: number) => (row.page_deal ? deals[i] : Object.assign(new Deal(), { id: row.page_deal_id as string }));
  const groups = groupPageRows(listed.map((row, i) => toPageRow(row, dealOf(row, i))), (row) => `${row.spec} ${row.node.stageId}`);
  return (spec, key) => valuePage(groups.get(`${spec} ${key.stageId}`) ?? [], viewer.workspaceId, SNAPSHOT_ORDERING, key,
    (row) => row.node, counts.get(key.stageId) ?? 0);
}

/** A page row: its place in the order (amount, deal id), the page it belongs to, and the deal as it stood. */
function toPageRow(row: SnapshotRow, deal: Deal): ValueRow & { spec: number; node: DealSnapshot } {
  const node = Object.assign(new DealSnapshot(), {
    dealId: row.page_deal_id, deal, stageId: row.stage_id, ownerId: row.page_owner_id as string | null, title: row.page_title as string,
    status: DealStatus.OPEN, value: Number(row.amount), expectedCloseDate: row.page_expected_close_date as Date | null,
    stageEnteredAt: row.page_stage_entered_at as Date,
  });
  return { amount: row.amount as string, deal_id: row.page_deal_id as string, spec: row.page_spec as number, node };
}
