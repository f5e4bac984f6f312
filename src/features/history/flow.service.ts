import DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Page } from '../../infra/pagination/connection.types';
import { Deal } from '../deals/deal.entity';
import { DateRange } from '../reports/metrics.types';
import { ResolvedRange, resolveRange } from '../reports/report-range';
import { Viewer } from '../workspaces/viewer';
import { FLOW_ORDERING, FlowPageSpec, flowSql } from './flow.sql';
import { FlowKind, FlowMovement, PipelineFlow } from './flow.types';
import { ClosingWindow } from './state-at.sql';
import type { HistoryQuery } from './history.service';
import { ValuePageArgs, ValueRow, valuePage, wellFormedPage } from './value-page';


interface PageKey extends ValuePageArgs {
  kind: FlowKind;
}

/** The deals of a flow's movements, page by page. */
export type FlowPages = DataLoader<PageKey, Page<Deal>, string>;

type FlowRow = Record<string, unknown> & Partial<ValueRow> & { page_spec: number | null; page_kind: FlowKind | null };

const KINDS = Object.values(FlowKind);
const pageKey = (kind: FlowKind, args: ValuePageArgs) => JSON.stringify([kind, args.first ?? null, args.after ?? null]);

/** What moved a pipeline between two moments, rebuilt from the durable field history. */
export class FlowService {
  constructor(private readonly run: HistoryQuery) {}

  /**
   * The flow's figures and, in the same statement, the pages of its movements' deals the
   * request asks for (`pages`, read ahead from the query); other pages are fetched when asked.
   */
  async flow(em: EntityManager, viewer: Viewer, pipelineId: string, range?: DateRange | null,
    closingIn?: DateRange | null, pages: FlowPageSpec[] = []): Promise<PipelineFlow> {
    const id = parseId(pipelineId, 'pipeline', 'pipelineId');
    const resolved = resolveRange(range);
    const closing = closingWindow(closingIn);
    const usable = pages.filter((spec) => wellFormedPage(viewer.workspaceId, FLOW_ORDERING, spec));
    const { sql, params } = flowSql(viewer.workspaceId, id, resolved, closing, usable);
    const rows: FlowRow[] = await this.run<FlowRow>(em, sql, params);
    const [row] = rows;
    if (!row.known) throw new NotFoundError('pipeline', pipelineId);
    const counts = new Map(KINDS.map((kind) => [kind, Number(row[`n_${kind}`])]));
    const answered = new Map<string, Page<Deal>>();
    for (const [i, spec] of usable.entries()) {
      for (const kind of KINDS) {
        const own = rows.filter((r) => r.page_spec === i && r.page_kind === kind) as (FlowRow & ValueRow)[];
        answered.set(pageKey(kind, spec), this.page(em, viewer, own, spec, counts.get(kind)!));
      }
    }
    const loader = this.pages(em, viewer, id, resolved, closing, counts, answered);
    return Object.assign(new PipelineFlow(), {
      from: resolved.from, to: resolved.to,
      start: { dealCount: Number(row.start_n), value: Number(row.start_v) },
      end: { dealCount: Number(row.end_n), value: Number(row.end_v) },
      movements: KINDS.map((kind) => Object.assign(new FlowMovement(), {
        kind, pages: loader, dealCount: counts.get(kind), value: Number(row[`v_${kind}`]),
      })),
    });
  }

  private page(em: EntityManager, viewer: Viewer, rows: (FlowRow & ValueRow)[], args: ValuePageArgs, total: number): Page<Deal> {
    return valuePage(rows.map((r) => ({ ...r, deal_id: r.page_deal_id as string })), viewer.workspaceId, FLOW_ORDERING, args,
      (r) => hydrate(em, Deal, r), total);
  }

  /** Pages answered by the flow's own statement, and the others one statement per page size asked. */
  private pages(em: EntityManager, viewer: Viewer, pipelineId: string, range: ResolvedRange, closing: ClosingWindow | null,
    counts: Map<FlowKind, number>, answered: Map<string, Page<Deal>>): FlowPages {
    const cacheKeyFn = (key: PageKey) => pageKey(key.kind, key);
    return new DataLoader<PageKey, Page<Deal>, string>(async (keys) => {
      const missing = keys.filter((key) => !answered.has(cacheKeyFn(key)));
      for (const first of new Set(missing.map((key) => key.first ?? null))) {
        const asked = missing.filter((key) => (key.first ?? null) === first);
        const specs = [...new Map(asked.map((key) => [key.after ?? null, { first, after: key.after }])).values()];
        const { sql, params } = flowSql(viewer.workspaceId, pipelineId, range, closing, specs);
        const rows: FlowRow[] = await this.run<FlowRow>(em, sql, params);
        for (const key of asked) {
          const spec = specs.findIndex((s) => (s.after ?? null) === (key.after ?? null));
          const own = rows.filter((r) => r.page_spec === spec && r.page_kind === key.kind) as (FlowRow & ValueRow)[];
          answered.set(cacheKeyFn(key), this.page(em, viewer, own, key, counts.get(key.kind) ?? 0));
        }
      }
      return keys.map((key) => answered.get(cacheKeyFn(key))!);
    }, { cacheKeyFn });
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
