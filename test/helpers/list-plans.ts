import { DealOrderField, DealStatus, OrderDirection } from '../../src/features/deals/deal.enums';
import { DealListArgs, DealParent, dealListQuery } from '../../src/features/deals/deal.query';
import { LeadSource, LeadStatus } from '../../src/features/leads/lead.enums';
import { leadListQuery } from '../../src/features/leads/lead.query';
import { Role } from '../../src/features/workspaces/role';
import { countStatement, KeysetQuery, pageStatement, Statement } from '../../src/infra/pagination/keyset';

/** What the list cases need from a seeded workspace. */
export interface PlanFixture {
  workspaceId: string;
  pipelineId: string;
  stageIds: string[];
  /** An owner's external id (the API's `ownerId`). */
  owner: string;
}

/** One list as a client asks for it: the page statement and the totalCount statement. */
export interface ListCase {
  name: string;
  page: Statement;
  count: Statement;
  /** Its statements are sent to be planned once, generically (`KeysetQuery.onePlanForAllValues`). */
  generic: boolean;
}

const DAY = 86_400_000;

function listCase(name: string, query: KeysetQuery, parentIds: string[]): ListCase {
  return { name, page: pageStatement(query, parentIds), count: countStatement(query, parentIds), generic: Boolean(query.onePlanForAllValues) };
}

/**
 * Every DealFilter field alone (on the workspace's list, the one an analyst filters), every
 * DealOrder field in both directions on each parent (workspace, pipeline, a board's stages),
 * and every LeadFilter field: the statements the API sends for them.
 */
export function listCases(f: PlanFixture): ListCase[] {
  const viewer = { workspaceId: f.workspaceId, userId: '', externalId: '', role: Role.ADMIN };
  const now = Date.now();
  const twoStages = f.stageIds.slice(0, 2);
  const filters: Record<string, object> = {
    pipelineId: { pipelineId: f.pipelineId },
    stageIds: { stageIds: twoStages },
    status: { status: DealStatus.WON },
    ownerId: { ownerId: f.owner },
    leadSource: { leadSource: LeadSource.EVENT },
    valueMin: { valueMin: 140_000 },
    valueMax: { valueMax: 600 },
    createdAfter: { createdAfter: new Date(now - 7 * DAY) },
    createdBefore: { createdBefore: new Date(now - 358 * DAY) },
    closedAfter: { closedAfter: new Date(now - 7 * DAY) },
    closedBefore: { closedBefore: new Date(now - 300 * DAY) },
    search: { search: 'deal 4242' },
    stalled: { stalled: true },
    notStalled: { stalled: false },
  };
  // Lists a frontend writes with several conditions, and a board's stages in another order.
  const combined: Record<string, DealListArgs> = {
    'ownerId status': { filter: { ownerId: f.owner, status: DealStatus.OPEN } },
    'search ownerId': { filter: { search: 'deal 4242', ownerId: f.owner } },
    'pipelineId stageIds order VALUE DESC': {
      filter: { pipelineId: f.pipelineId, stageIds: twoStages }, orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }],
    },
    'leadSource order VALUE DESC': { filter: { leadSource: LeadSource.INBOUND }, orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }] },
    'valueMin order VALUE DESC': { filter: { valueMin: 140_000 }, orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }] },
    'pipelineId createdAfter order CREATED_AT DESC': {
      filter: { pipelineId: f.pipelineId, createdAfter: new Date(now - 30 * DAY) }, orderBy: [{ field: DealOrderField.CREATED_AT, direction: OrderDirection.DESC }],
    },
    'stageIds order UPDATED_AT DESC': { filter: { stageIds: twoStages }, orderBy: [{ field: DealOrderField.UPDATED_AT, direction: OrderDirection.DESC }] },
    'stageIds order TITLE ASC': { filter: { stageIds: twoStages }, orderBy: [{ field: DealOrderField.TITLE, direction: OrderDirection.ASC }] },
    // One stage's column as a root list: named once or twice, it is one stage.
    'one stage order STAGE_ENTERED_AT ASC': {
      filter: { stageIds: [f.stageIds[0]] }, orderBy: [{ field: DealOrderField.STAGE_ENTERED_AT, direction: OrderDirection.ASC }],
    },
    'one stage twice order VALUE DESC': {
      filter: { stageIds: [f.stageIds[0], f.stageIds[0]] }, orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }],
    },
  };
  const cases: ListCase[] = [];
  const ws = (args: DealListArgs) => dealListQuery(viewer, 'workspace_id', args);
  for (const [name, filter] of Object.entries(filters)) cases.push(listCase(`deals filter ${name}`, ws({ filter }), [f.workspaceId]));
  for (const [name, args] of Object.entries(combined)) cases.push(listCase(`deals filter ${name}`, ws(args), [f.workspaceId]));
  // The wallboard's columns: a stage's OPEN deals by value (a WON column's are none, known before its deals are read).
  cases.push(listCase('deals by stage_id filter status OPEN order VALUE DESC', dealListQuery(viewer, 'stage_id',
    { filter: { status: DealStatus.OPEN }, orderBy: [{ field: DealOrderField.VALUE, direction: OrderDirection.DESC }], first: 6 }), f.stageIds));
  const parents: [DealParent, string[]][] = [['workspace_id', [f.workspaceId]], ['pipeline_id', [f.pipelineId]], ['stage_id', f.stageIds]];
  for (const [parent, ids] of parents) {
    for (const field of Object.values(DealOrderField)) {
      for (const direction of Object.values(OrderDirection)) {
        const query = dealListQuery(viewer, parent, { orderBy: [{ field, direction }], first: 20 });
        cases.push(listCase(`deals by ${parent} order ${field} ${direction}`, query, ids));
      }
    }
  }
  const leadFilters: Record<string, object> = {
    none: {}, status: { status: LeadStatus.MQL }, source: { source: LeadSource.EVENT }, campaign: { campaign: 'campaign-7' },
    ownerId: { ownerId: f.owner }, search: { search: 'lead 4242' },
  };
  for (const [name, filter] of Object.entries(leadFilters)) {
    cases.push(listCase(`leads filter ${name}`, leadListQuery(viewer, filter), [f.workspaceId]));
  }
  return cases;
}
