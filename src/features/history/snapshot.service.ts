import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { SqlParams } from '../../infra/db/sql-params';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Page } from '../../infra/pagination/connection.types';
import { DealStatus } from '../deals/deal.enums';
import { Stage } from '../pipelines/stage.entity';
import { Viewer } from '../workspaces/viewer';
import { DealSnapshot, PipelineSnapshot, StageSnapshot } from './snapshot.types';
import { openStatesAt, scopedPipeline } from './state-at.sql';
import type { HistoryQuery } from './history.service';
import { ValuePageArgs, ValueRow, valuePage, valuePageSql } from './value-page';


interface PageKey extends ValuePageArgs {
  stageId: string;
}


/** Cursors of these pages hold (value, deal id): one may page any stage of the snapshot on from it. */
const SNAPSHOT_ORDERING = 'snapshot';

/** The deals of a snapshot's stages, page by page: the pages a request asks for, one statement per page size. */
export type SnapshotPages = DataLoader<PageKey, Page<DealSnapshot>, string>;

interface SnapshotRow extends ValueRow {
  stage_id: string;
  title: string;
  owner_id: string | null;
  expected_close_date: Date | null;
  stage_entered_at: Date;
}

/**
 * The statement of a snapshot's figures: per OPEN stage in position order, the stage's row,
 * the deals open in it at `asOf`, their value and weighted value, and the totals on every row.
 */
export function snapshotFiguresSql(workspaceId: string, pipelineId: string, asOf: Date): { sql: string; params: unknown[] } {
  const params = new SqlParams();
  const pipeline = scopedPipeline(params, pipelineId, workspaceId);
  const sql = `WITH st AS (SELECT * FROM stages WHERE pipeline_id = ${pipeline} AND kind = 'OPEN'),
     state AS (${openStatesAt(params, pipeline, asOf)}),
     tally AS (SELECT stage_id, count(*)::int AS n, sum(value) AS v FROM state GROUP BY stage_id)
     SELECT st.*, st.id AS stage_id, coalesce(tally.n, 0) AS n, coalesce(tally.v, 0)::text AS v,
            (coalesce(tally.v, 0) * st.probability)::text AS w,
            (sum(coalesce(tally.v, 0)) OVER ())::text AS total_v, (sum(coalesce(tally.v, 0) * st.probability) OVER ())::text AS total_w
     FROM st LEFT JOIN tally ON tally.stage_id = st.id ORDER BY st.position`;
  return { sql, params: params.values };
}

/** Pipelines as they stood at a past moment, rebuilt from the durable field history. */
export class SnapshotService {
  constructor(private readonly run: HistoryQuery) {}

  async snapshot(em: EntityManager, viewer: Viewer, pipelineId: string, asOf: Date): Promise<PipelineSnapshot> {
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) throw new BadInputError('asOf must be a valid date-time', 'asOf');
    const { sql, params } = snapshotFiguresSql(viewer.workspaceId, id, asOf);
    const rows: (Record<string, unknown> & { stage_id: string; n: number; v: string; w: string; total_v: string; total_w: string })[] =
      await this.run(em, sql, params);
    // Every pipeline has OPEN stages: none means no such pipeline in this workspace.
    if (rows.length === 0) throw new NotFoundError('pipeline', pipelineId);
    const pages = this.pages(em, viewer, id, asOf, new Map(rows.map((row) => [row.stage_id, row.n])));
    return Object.assign(new PipelineSnapshot(), {
      pipelineId: id, asOf, openDealCount: rows.reduce((sum, row) => sum + row.n, 0),
      openValue: Number(rows[0].total_v), weightedOpenValue: Number(rows[0].total_w),
      stages: rows.map((row) => Object.assign(new StageSnapshot(), {
        stageId: row.stage_id, stage: hydrate(em, Stage, row), pages, dealCount: row.n, value: Number(row.v), weightedValue: Number(row.w),
      })),
    });
  }

  private pages(em: EntityManager, viewer: Viewer, pipelineId: string, asOf: Date, counts: Map<string, number>): SnapshotPages {
    const cacheKeyFn = (key: PageKey) => JSON.stringify([key.stageId, key.first ?? null, key.after ?? null]);
    return new DataLoader<PageKey, Page<DealSnapshot>, string>(async (keys) => {
      const answers = new Map<string, Page<DealSnapshot>>();
      for (const first of new Set(keys.map((key) => key.first ?? null))) {
        const group = keys.filter((key) => (key.first ?? null) === first);
        const rows = await this.pageRows(em, viewer, pipelineId, asOf, group);
        for (const key of group) {
          const own = rows.filter((row) => row.stage_id === key.stageId);
          answers.set(cacheKeyFn(key), valuePage(own, viewer.workspaceId, SNAPSHOT_ORDERING, key, toDealSnapshot,
            counts.get(key.stageId) ?? 0));
        }
      }
      return keys.map((key) => answers.get(cacheKeyFn(key))!);
    }, { cacheKeyFn });
  }

  /** The page rows of several stages (same page size): state from the history row or the deal row. */
  private pageRows(em: EntityManager, viewer: Viewer, pipelineId: string, asOf: Date, keys: PageKey[]): Promise<SnapshotRow[]> {
    const params = new SqlParams();
    const pipeline = scopedPipeline(params, pipelineId, viewer.workspaceId);
    let limit = 0;
    const wanted = keys.map((key) => {
      const page = valuePageSql(params, viewer.workspaceId, SNAPSHOT_ORDERING, key);
      limit = page.limit;
      return `(stage_id = ${params.add(key.stageId)}::uuid AND ${page.after})`;
    });
    const pick = (column: string) => `CASE WHEN h.deal_id IS NULL THEN d.${column} ELSE h.${column} END AS ${column}`;
    return this.run<SnapshotRow>(em,
      `WITH state AS (${openStatesAt(params, pipeline, asOf)}),
       ranked AS (
         SELECT s.*, row_number() OVER (PARTITION BY stage_id ORDER BY amount DESC, deal_id) AS n
         FROM (SELECT stage_id, deal_id, value AS amount, valid_to FROM state) s WHERE ${wanted.join(' OR ')})
       SELECT r.stage_id, r.deal_id, r.amount::text AS amount, ${['title', 'owner_id', 'expected_close_date', 'stage_entered_at'].map(pick).join(', ')}
       FROM ranked r JOIN deals d ON d.id = r.deal_id AND d.workspace_id = ${params.add(viewer.workspaceId)}
       LEFT JOIN deal_history h ON h.deal_id = r.deal_id AND h.valid_to = r.valid_to
       WHERE r.n <= ${limit} ORDER BY r.stage_id, r.n`, params.values);
  }
}

function toDealSnapshot(row: SnapshotRow): DealSnapshot {
  return Object.assign(new DealSnapshot(), {
    dealId: row.deal_id, stageId: row.stage_id, ownerId: row.owner_id, title: row.title, status: DealStatus.OPEN,
    value: Number(row.amount), expectedCloseDate: row.expected_close_date, stageEnteredAt: row.stage_entered_at,
  });
}
