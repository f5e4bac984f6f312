import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Page } from '../../infra/pagination/connection.types';
import { DealStatus } from '../deals/deal.enums';
import { Stage } from '../pipelines/stage.entity';
import { Viewer } from '../workspaces/viewer';
import { DealSnapshot, PipelineSnapshot, StageSnapshot } from './snapshot.types';
import { SNAPSHOT_ORDERING, snapshotSql } from './snapshot.sql';
import type { HistoryQuery } from './history.service';
import { ValuePageArgs, ValueRow, valuePage, wellFormedPage } from './value-page';


interface PageKey extends ValuePageArgs {
  stageId: string;
}

/** The deals of a snapshot's stages, page by page. */
export type SnapshotPages = DataLoader<PageKey, Page<DealSnapshot>, string>;

type SnapshotRow = Record<string, unknown> & Partial<ValueRow> & {
  stage_id: string; n: number; v: string; w: string; total_v: string; total_w: string; page_spec: number | null;
};

const pageKey = (stageId: string, args: ValuePageArgs) => JSON.stringify([stageId, args.first ?? null, args.after ?? null]);

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
    const { sql, params } = snapshotSql(viewer.workspaceId, id, asOf, usable);
    const rows = await this.run<SnapshotRow>(em, sql, params);
    // Every pipeline has OPEN stages: none means no such pipeline in this workspace.
    if (rows.length === 0) throw new NotFoundError('pipeline', pipelineId);
    const stages = [...new Map(rows.map((row) => [row.stage_id, row])).values()];
    const counts = new Map(stages.map((row) => [row.stage_id, row.n]));
    const answered = new Map<string, Page<DealSnapshot>>();
    for (const [i, spec] of usable.entries()) {
      for (const stage of stages) answered.set(pageKey(stage.stage_id, spec), page(rows, i, stage.stage_id, viewer, spec, stage.n));
    }
    const loader = this.pages(em, viewer, id, asOf, counts, answered);
    return Object.assign(new PipelineSnapshot(), {
      pipelineId: id, asOf, openDealCount: stages.reduce((sum, row) => sum + row.n, 0),
      openValue: Number(stages[0].total_v), weightedOpenValue: Number(stages[0].total_w),
      stages: stages.map((row) => Object.assign(new StageSnapshot(), {
        stageId: row.stage_id, stage: hydrate(em, Stage, row), pages: loader, dealCount: row.n, value: Number(row.v),
        weightedValue: Number(row.w),
      })),
    });
  }

  /** Pages answered by the snapshot's own statement, and the others one statement per page size asked. */
  private pages(em: EntityManager, viewer: Viewer, pipelineId: string, asOf: Date, counts: Map<string, number>,
    answered: Map<string, Page<DealSnapshot>>): SnapshotPages {
    const cacheKeyFn = (key: PageKey) => pageKey(key.stageId, key);
    return new DataLoader<PageKey, Page<DealSnapshot>, string>(async (keys) => {
      const missing = keys.filter((key) => !answered.has(cacheKeyFn(key)));
      for (const first of new Set(missing.map((key) => key.first ?? null))) {
        const asked = missing.filter((key) => (key.first ?? null) === first);
        const specs = [...new Map(asked.map((key) => [key.after ?? null, { first, after: key.after }])).values()];
        const { sql, params } = snapshotSql(viewer.workspaceId, pipelineId, asOf, specs);
        const rows = await this.run<SnapshotRow>(em, sql, params);
        for (const key of asked) {
          const spec = specs.findIndex((s) => (s.after ?? null) === (key.after ?? null));
          answered.set(cacheKeyFn(key), page(rows, spec, key.stageId, viewer, key, counts.get(key.stageId) ?? 0));
        }
      }
      return keys.map((key) => answered.get(cacheKeyFn(key))!);
    }, { cacheKeyFn });
  }
}

/** The page of a stage's deals among a statement's rows (those of page `spec`). */
function page(rows: SnapshotRow[], spec: number, stageId: string, viewer: Viewer, args: ValuePageArgs, total: number) {
  const own = rows.filter((row) => row.page_spec === spec && row.stage_id === stageId && row.page_deal_id)
    .map((row) => ({ ...row, deal_id: row.page_deal_id as string, amount: row.amount as string }));
  return valuePage(own, viewer.workspaceId, SNAPSHOT_ORDERING, args, toDealSnapshot, total);
}

function toDealSnapshot(row: SnapshotRow & ValueRow): DealSnapshot {
  return Object.assign(new DealSnapshot(), {
    dealId: row.deal_id, stageId: row.stage_id, ownerId: row.page_owner_id as string | null, title: row.page_title as string,
    status: DealStatus.OPEN, value: Number(row.amount), expectedCloseDate: row.page_expected_close_date as Date | null,
    stageEnteredAt: row.page_stage_entered_at as Date,
  });
}
