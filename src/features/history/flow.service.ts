import type DataLoader from 'dataloader';
import { EntityManager } from 'typeorm';
import { parseId } from '../../infra/db/ids';
import { hydrate } from '../../infra/db/rows';
import { BadInputError, NotFoundError } from '../../infra/errors/domain-errors';
import { Page } from '../../infra/pagination/connection.types';
import { Deal } from '../deals/deal.entity';
import { DateRange } from '../reports/metrics.types';
import { resolveRange } from '../reports/report-range';
import { Viewer } from '../workspaces/viewer';
import { FLOW_ORDERING, FlowPageSpec, flowSql } from './flow.sql';
import { FlowKind, FlowMovement, PipelineFlow } from './flow.types';
import { ClosingWindow } from './state-at.sql';
import type { HistoryQuery } from './history.service';
import { groupPageRows, pageKey, pageLoader, PagesIn } from './page-loader';
import { ValuePageArgs, ValueRow, valuePage, wellFormedPage } from './value-page';


interface PageKey extends ValuePageArgs {
  kind: FlowKind;
}

/** The deals of a flow's movements, page by page. */
export type FlowPages = DataLoader<PageKey, Page<Deal>, string>;

type FlowRow = Record<string, unknown> & Partial<ValueRow> & { page_spec: number | null; page_kind: FlowKind | null };
/** A row carrying one deal of a movement's page: its amount (text), its id and the deal's columns. */
type FlowPageRow = FlowRow & ValueRow;

const KINDS = Object.values(FlowKind);

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
    const rows = await this.run<FlowRow>(em, flowSql(viewer.workspaceId, id, resolved, closing, usable));
    const [row] = rows;
    if (!row.known) throw new NotFoundError('pipeline', pipelineId);
    const counts = new Map(KINDS.map((kind) => [kind, Number(row[`n_${kind}`])]));
    const pagesIn = (all: FlowRow[]) => movementPages(em, viewer, all, counts);
    const pageOf = pagesIn(rows);
    const answered = new Map(usable.flatMap((spec, i) => KINDS.map((kind) => [pageKey(kind, spec), pageOf(i, { ...spec, kind })] as const)));
    const loader = pageLoader((key: PageKey) => key.kind, answered,
      (specs) => this.run<FlowRow>(em, flowSql(viewer.workspaceId, id, resolved, closing, specs)), pagesIn);
    return Object.assign(new PipelineFlow(), {
      from: resolved.from, to: resolved.to,
      start: { dealCount: Number(row.start_n), value: Number(row.start_v) },
      end: { dealCount: Number(row.end_n), value: Number(row.end_v) },
      movements: KINDS.map((kind) => Object.assign(new FlowMovement(), {
        kind, pages: loader, dealCount: counts.get(kind), value: Number(row[`v_${kind}`]),
      })),
    });
  }

}

/** The movements' pages among a statement's rows: its page rows grouped once by page and movement. */
function movementPages(em: EntityManager, viewer: Viewer, rows: FlowRow[], counts: Map<FlowKind, number>): PagesIn<PageKey, Deal> {
  const groups = groupPageRows(rows, (row) => (row.deal_id ? `${row.page_spec} ${row.page_kind}` : null));
  return (spec, key) => valuePage((groups.get(`${spec} ${key.kind}`) ?? []) as FlowPageRow[], viewer.workspaceId, FLOW_ORDERING, key,
    (row) => hydrate(em, Deal, row), counts.get(key.kind) ?? 0);
}

function closingWindow(closingIn: DateRange | null | undefined): ClosingWindow | null {
  if (!closingIn) return null;
  const { from, to } = closingIn;
  if (from && to && from.getTime() > to.getTime()) {
    throw new BadInputError('closingIn.from must not be after closingIn.to', 'closingIn');
  }
  return { from, to };
}
