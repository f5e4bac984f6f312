import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { SqlParams } from '../../infra/db/sql-params';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Page } from '../../infra/pagination/connection.types';
import { Deal } from '../deals/deal.entity';
import { DateRange } from '../reports/metrics.types';
import { ResolvedRange, resolveRange } from '../reports/report-range';
import { Viewer } from '../workspaces/viewer';
import { flowCtes } from './flow.sql';
import { FlowKind, FlowMovement, PipelineFlow } from './flow.types';
import { ClosingWindow, scopedPipeline } from './state-at.sql';
import { ValuePageArgs, ValueRow, valuePage, valuePageSql } from './value-page';

type Run = <T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>) => Promise<T>;

interface PageKey extends ValuePageArgs {
  kind: FlowKind;
}


/** Cursors of these pages hold (value, deal id): one may page any movement of the flow on from it. */
const FLOW_ORDERING = 'flow';

/** The deals of a flow's movements, page by page: one statement per page size asked. */
export type FlowPages = DataLoader<PageKey, Page<Deal>, string>;

const KINDS = Object.values(FlowKind);

/** The statement of a flow's figures: `known` (the pipeline is the workspace's), start, end and each movement. */
export function flowFiguresSql(workspaceId: string, pipelineId: string, range: ResolvedRange, closing: ClosingWindow | null) {
  const params = new SqlParams();
  const figures = KINDS.map((kind) => `count(*) FILTER (WHERE kind = '${kind}')::int AS "n_${kind}",
    coalesce(sum(amount) FILTER (WHERE kind = '${kind}'), 0)::text AS "v_${kind}"`);
  const sql = `WITH ${flowCtes(params, scopedPipeline(params, pipelineId, workspaceId), range, closing)}
     SELECT EXISTS (SELECT FROM pipelines WHERE id = ${params.add(pipelineId)}::uuid AND workspace_id = ${params.add(workspaceId)}) AS known,
       count(start_value)::int AS start_n, coalesce(sum(start_value), 0)::text AS start_v,
       count(end_value)::int AS end_n, coalesce(sum(end_value), 0)::text AS end_v, ${figures.join(', ')}
     FROM moved`;
  return { sql, params: params.values };
}

/** What moved a pipeline between two moments, rebuilt from the durable field history. */
export class FlowService {
  constructor(private readonly run: Run) {}

  async flow(em: EntityManager, viewer: Viewer, pipelineId: string, range?: DateRange | null,
    closingIn?: DateRange | null): Promise<PipelineFlow> {
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    const resolved = resolveRange(range);
    const closing = closingWindow(closingIn);
    const { sql, params } = flowFiguresSql(viewer.workspaceId, id, resolved, closing);
    const [row]: Record<string, string | number | boolean>[] = await this.run(em, (tx) => tx.query(sql, params));
    if (!row.known) throw new NotFoundError('pipeline', pipelineId);
    const counts = new Map(KINDS.map((kind) => [kind, Number(row[`n_${kind}`])]));
    const pages = this.pages(em, viewer, id, resolved, closing, counts);
    return Object.assign(new PipelineFlow(), {
      from: resolved.from, to: resolved.to,
      start: { dealCount: Number(row.start_n), value: Number(row.start_v) },
      end: { dealCount: Number(row.end_n), value: Number(row.end_v) },
      movements: KINDS.map((kind) => Object.assign(new FlowMovement(), {
        kind, pages, dealCount: counts.get(kind), value: Number(row[`v_${kind}`]),
      })),
    });
  }

  private pages(em: EntityManager, viewer: Viewer, pipelineId: string, range: ResolvedRange, closing: ClosingWindow | null,
    counts: Map<FlowKind, number>): FlowPages {
    const cacheKeyFn = (key: PageKey) => JSON.stringify([key.kind, key.first ?? null, key.after ?? null]);
    return new DataLoader<PageKey, Page<Deal>, string>(async (keys) => {
      const answers = new Map<string, Page<Deal>>();
      for (const first of new Set(keys.map((key) => key.first ?? null))) {
        const group = keys.filter((key) => (key.first ?? null) === first);
        const rows = await this.pageRows(em, viewer, pipelineId, range, closing, group);
        for (const key of group) {
          const own = rows.filter((r) => r.kind === key.kind);
          answers.set(cacheKeyFn(key), valuePage(own, viewer.workspaceId, FLOW_ORDERING, key,
            (r) => hydrate(em, Deal, r as unknown as Record<string, unknown>), counts.get(key.kind) ?? 0));
        }
      }
      return keys.map((key) => answers.get(cacheKeyFn(key))!);
    }, { cacheKeyFn });
  }

  /** Page rows of several movements (same page size): the deals as they are now, deleted ones included. */
  private pageRows(em: EntityManager, viewer: Viewer, pipelineId: string, range: ResolvedRange, closing: ClosingWindow | null,
    keys: PageKey[]): Promise<(ValueRow & { kind: FlowKind })[]> {
    const params = new SqlParams();
    let limit = 0;
    const ctes = flowCtes(params, scopedPipeline(params, pipelineId, viewer.workspaceId), range, closing);
    const wanted = keys.map((key) => {
      const page = valuePageSql(params, viewer.workspaceId, FLOW_ORDERING, key);
      limit = page.limit;
      return `(kind = ${params.add(key.kind)} AND ${page.after})`;
    });
    return this.run(em, (tx) => tx.query(
      `WITH ${ctes},
       ranked AS (SELECT deal_id, kind, amount, row_number() OVER (PARTITION BY kind ORDER BY amount DESC, deal_id) AS n
                  FROM moved WHERE ${wanted.join(' OR ')})
       SELECT r.kind, r.deal_id, r.amount::text AS amount, d.* FROM ranked r JOIN deals d ON d.id = r.deal_id
       WHERE r.n <= ${limit} ORDER BY r.kind, r.n`, params.values));
  }
}

function closingWindow(closingIn: DateRange | null | undefined): ClosingWindow | null {
  if (!closingIn) return null;
  const { from, to } = closingIn;
  if (from && to && from.getTime() > to.getTime()) {
    throw new BadInputError('closingIn.from must not be after closingIn.to', 'closingIn');
  }
  return { from, to };
}
