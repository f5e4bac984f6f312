'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * More shapes, side by side: the client's operations and the wallboard's queries as the
 * repository writes them (read from client/operations and web/wallboard/api.ts at start), and
 * shapes a frontend or an analyst would write (fragments, directives, aliases, nested lists,
 * filters, two root fields). Each has PostGraphile's equivalent. Where a document asks for
 * what PostGraphile cannot compute (isStalled, health, pipelineMetrics), `<name>` runs the full
 * document on Dealstream and `<name>-part` runs the comparable part on both; the PostGraphile
 * side of both is the comparable part.
 */
const root = path.join(__dirname, '..', '..');

/** The constants of web/wallboard/api.ts, with their `${…}` references filled in. */
function wallboardQueries() {
  const text = fs.readFileSync(path.join(root, 'web/wallboard/api.ts'), 'utf8');
  const constants = {};
  for (const [, name, body] of text.matchAll(/(?:export )?const (\w+) = [`'](.*?)[`'];/gs)) {
    constants[name] = body.replace(/\$\{(\w+)\}/g, (_, ref) => constants[ref]);
  }
  return constants;
}

const clientBoard = fs.readFileSync(path.join(root, 'client/operations/board.graphql'), 'utf8');
// The client's documents share fragments across files (codegen joins them): DealCard is in board.graphql.
const clientDeals = `${fs.readFileSync(path.join(root, 'client/operations/deals.graphql'), 'utf8')}
${/fragment DealCard on Deal \{[\s\S]*?\n\}\n/.exec(clientBoard)[0]}`;
const wallboard = wallboardQueries();
/** The comparable part of a document: the same text without what PostGraphile lacks. */
const without = (doc, ...fields) => fields.reduce((d, f) => d.replace(f, ''), doc);

const PG_CARD = 'rowId title value status version stageEnteredAt expectedCloseDate userByOwnerId { externalId name } stageByStageId { rowId }';
const PG_CLIENT_BOARD = `query Board($id: UUID!) { pipelineByRowId(rowId: $id) { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name position kind probability rottingAfterDays
    dealsByStageId(first: 20, condition: { deletedAt: null }, orderBy: [STAGE_ENTERED_AT_DESC, ROW_ID_DESC]) {
      totalCount nodes { ${PG_CARD} } pageInfo { hasNextPage endCursor } } } } } }`;
const PG_TOP_DEALS = `dealsByStageId(first: 6, condition: { status: OPEN, deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC]) {
  nodes { rowId title value } }`;
const PG_WALLBOARD_DEALS = `query WallboardDeals($id: UUID!) { pipelineByRowId(rowId: $id) {
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId ${PG_TOP_DEALS} } } } }`;
const PG_WALLBOARD_BOARD = `query WallboardBoard($id: UUID!) { pipelineByRowId(rowId: $id) { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name kind position ${PG_TOP_DEALS} } } } }`;
const PG_PIPELINES = `query Pipelines($ws: String!) { allPipelines(condition: { workspaceId: $ws }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
  nodes { rowId name } } }`;

const DS_FRAGMENT_BOARD = `query Board($id: ID!, $n: Int = 20) { pipeline(id: $id) { ...Head stages { ...Column } } }
  fragment Head on Pipeline { id name }
  fragment Column on Stage { id name deals(first: $n) { totalCount nodes { ...Card } } }
  fragment Card on Deal { id title value owner { ...Person } lead { id name } }
  fragment Person on User { id name }`;
const PG_FRAGMENT_BOARD = `query Board($id: UUID!) { pipelineByRowId(rowId: $id) { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name
    dealsByStageId(first: 20, condition: { deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
      totalCount nodes { rowId title value userByOwnerId { externalId name } leadByLeadId { rowId name } } } } } } }`;

const DS_DEAL_ACTIVITIES = `query Deal($id: ID!) { deal(id: $id) { __typename ... on Deal { id title value }
  activities { id type subject createdAt } } }`;
const PG_DEAL_ACTIVITIES = `query Deal($id: UUID!) { dealByRowId(rowId: $id) { __typename rowId title value
  activitiesByDealId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId type subject createdAt } } } }`;

const DS_DEAL_HISTORY = `query Deal($id: ID!, $brief: Boolean = false) { deal(id: $id) { id title
  history @skip(if: $brief) { changedAt fromStage { name } toStage { name } } owner @include(if: $brief) { id } } }`;
const PG_DEAL_HISTORY = `query Deal($id: UUID!) { dealByRowId(rowId: $id) { rowId title
  stageChangesByDealId(orderBy: [CHANGED_AT_ASC, ROW_ID_ASC]) { nodes { changedAt stageByFromStageId { name } stageByToStageId { name } } } } }`;

// A deal page's activity feed: its changes and activities, newest first, in one list (a union).
// PostGraphile has no such list: it reads the deal's events and its activities as two lists.
const DS_TIMELINE = `query DealTimeline($id: ID!) { deal(id: $id) { id title timeline(first: 20) {
  edges { cursor node { __typename ... on DealEvent { seq type occurredAt } ... on Activity { id subject kind: type } } }
  pageInfo { hasNextPage endCursor } } } }`;
const PG_TIMELINE = `query DealTimeline($id: UUID!) { dealByRowId(rowId: $id) { rowId title
  activitiesByDealId(orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: 20) { nodes { rowId subject type } } }
  allDealEvents(condition: { dealId: $id }, orderBy: [SEQ_DESC], first: 20) { edges { cursor node { seq type occurredAt } } pageInfo { hasNextPage endCursor } } }`;

const DS_OWNER = `query Owner($owner: ID!) { deals(filter: { ownerId: $owner }, orderBy: [{ field: CREATED_AT, direction: DESC }], first: 50) {
  totalCount nodes { id title value createdAt stage { name } } } }`;
const PG_OWNER = `query Owner($ws: String!, $owner: UUID!) { allDeals(condition: { workspaceId: $ws, ownerId: $owner, deletedAt: null },
  orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: 50) { totalCount nodes { rowId title value createdAt stageByStageId { name } } } }`;

const DS_LEADS = `query Leads { leads(filter: { source: INBOUND }, first: 50) { totalCount nodes { id name company deal { id title value } } } }`;
const PG_LEADS = `query Leads($ws: String!) { allLeads(condition: { workspaceId: $ws, source: INBOUND }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 50) {
  totalCount nodes { rowId name company dealsByLeadId(condition: { deletedAt: null }) { nodes { rowId title value } } } } }`;

// The 50 largest deals are all above 100,000 and the 50 newest all from the last 30 days, so
// PostGraphile (equality conditions only) answers the same rows ordered alone.
const DS_VALUE = `query Big($with: Boolean!) { deals(filter: { valueMin: 100000 }, orderBy: [{ field: VALUE, direction: DESC }], first: 50) {
  nodes { id title value owner @include(if: $with) { id name } } } }`;
const PG_VALUE = `query Big($ws: String!) { allDeals(condition: { workspaceId: $ws, deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC], first: 50) {
  nodes { rowId title value userByOwnerId { externalId name } } } }`;
const DS_RECENT = `query Recent($since: DateTime!) { recent: deals(filter: { createdAfter: $since }, orderBy: [{ field: CREATED_AT, direction: DESC }], first: 50) {
  nodes { deal: id name: title worth: value } } }`;
const PG_RECENT = `query Recent($ws: String!) { allDeals(condition: { workspaceId: $ws, deletedAt: null }, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], first: 50) {
  nodes { rowId title value } } }`;

const DS_TWO_ROOTS = `query Two($id: ID!) { pipelines { id name } deal(id: $id) { id title value stage { id name } } }`;
const PG_TWO_ROOTS = `query Two($ws: String!, $id: UUID!) { allPipelines(condition: { workspaceId: $ws }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
  nodes { rowId name } } dealByRowId(rowId: $id) { rowId title value stageByStageId { rowId name } } }`;

const DS_ALIASES = `query Split($id: ID!) { pipeline(id: $id) { id
  open: deals(filter: { status: OPEN }, first: 10) { totalCount nodes { id title } }
  won: deals(filter: { status: WON }, first: 10) { totalCount nodes { id title } } } }`;
const PG_ALIASES = `query Split($id: UUID!) { pipelineByRowId(rowId: $id) { rowId
  open: dealsByPipelineId(condition: { status: OPEN, deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 10) { totalCount nodes { rowId title } }
  won: dealsByPipelineId(condition: { status: WON, deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 10) { totalCount nodes { rowId title } } } }`;

// Nested three levels across every pipeline; a deal with five relations; an owner's OPEN deals by value; the members.
const DS_NESTED = `query Nested { pipelines { id name stages { id name deals(first: 3) { nodes { id title owner { name } } } } } }`;
const PG_NESTED = `query Nested($ws: String!) { allPipelines(condition: { workspaceId: $ws }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name
    dealsByStageId(first: 3, condition: { deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId title userByOwnerId { name } } } } } } } }`;
const DS_DEAL_DEEP = `query Deep($id: ID!) { deal(id: $id) { id title lead { name company source } owner { name email }
  stage { name pipeline { name } } activities { subject type } } }`;
const PG_DEAL_DEEP = `query Deep($id: UUID!) { dealByRowId(rowId: $id) { rowId title leadByLeadId { name company source } userByOwnerId { name email }
  stageByStageId { name pipelineByPipelineId { name } } activitiesByDealId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { subject type } } } }`;
const DS_OWNER_OPEN = `query OwnerOpen($owner: ID!) { deals(filter: { ownerId: $owner, status: OPEN }, orderBy: [{ field: VALUE, direction: DESC }], first: 20) {
  totalCount edges { node { id title value stage { name } } } } }`;
const PG_OWNER_OPEN = `query OwnerOpen($ws: String!, $owner: UUID!) { allDeals(condition: { workspaceId: $ws, ownerId: $owner, status: OPEN, deletedAt: null },
  orderBy: [VALUE_DESC, ROW_ID_DESC], first: 20) { totalCount edges { node { rowId title value stageByStageId { name } } } } }`;
const DS_USERS = `query Members { users { id name role } }`;
const PG_USERS = `query Members($ws: String!) { allUsers(condition: { workspaceId: $ws }, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { externalId name role } } }`;

const DS_LIST_DEEP = `query ListDeep($p: ID!) { deals(filter: { pipelineId: $p }, first: 50) { nodes { id title lead { name } stage { name pipeline { name } } } } }`;
const PG_LIST_DEEP = `query ListDeep($p: UUID!) { allDeals(condition: { pipelineId: $p, deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 50) {
  nodes { rowId title leadByLeadId { name } stageByStageId { name pipelineByPipelineId { name } } } } }`;
const DS_LEAD_DEALS = `query LeadDeals { leads(filter: { status: CONVERTED }, first: 30) { nodes { id name owner { name } deal { id title owner { name } stage { name } } } } }`;
const PG_LEAD_DEALS = `query LeadDeals($ws: String!) { allLeads(condition: { workspaceId: $ws, status: CONVERTED }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 30) {
  nodes { rowId name userByOwnerId { name } dealsByLeadId(condition: { deletedAt: null }) { nodes { rowId title userByOwnerId { name } stageByStageId { name } } } } } }`;
const DS_STAGES = `query Stages { pipelines { id name stages { id name kind position probability } } }`;
const PG_STAGES = `query Stages($ws: String!) { allPipelines(condition: { workspaceId: $ws }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name kind position probability } } } } }`;

const DS_CREATE = `mutation Create($input: CreateDealInput!) { createDeal(input: $input) { id title value status version stage { id } owner { name } } }`;
const PG_CREATE = `mutation Create($deal: DealInput!) { createDeal(input: { deal: $deal }) { deal { rowId title value status version stageByStageId { rowId } userByOwnerId { name } } } }`;

const DS_CREATE_LEAD = `mutation Lead($input: CreateLeadInput!) { createLead(input: $input) { id name company source status score createdAt } }`;
const PG_CREATE_LEAD = `mutation Lead($lead: LeadInput!) { createLead(input: { lead: $lead }) { lead { rowId name company source status score createdAt } } }`;
const DS_CONVERT = `mutation Convert($id: ID!, $input: ConvertLeadInput!) { convertLead(id: $id, input: $input) {
  id title value status stage { id } lead { id status } } }`;
/** PostGraphile's conversion: the deal and the lead's new status, two mutations in one document. */
const PG_CONVERT = `mutation Convert($deal: DealInput!, $id: UUID!, $at: Datetime!) {
  createDeal(input: { deal: $deal }) { deal { rowId title value status stageByStageId { rowId } } }
  updateLeadByRowId(input: { rowId: $id, leadPatch: { status: CONVERTED, convertedAt: $at } }) { lead { rowId status } } }`;
const DS_LOG = `mutation Log($input: LogActivityInput!) { logActivity(input: $input) { id type subject createdAt deal { id } } }`;
const PG_LOG = `mutation Log($activity: ActivityInput!) { createActivity(input: { activity: $activity }) { activity { rowId type subject createdAt dealByDealId { rowId } } } }`;

const PG_UPDATE = `mutation UpdateDeal($id: UUID!, $title: String!) { updateDealByRowId(input: { rowId: $id, dealPatch: { title: $title } }) {
  deal { ${PG_CARD} } } }`;
const PG_MOVE_CARD = `mutation MoveDeal($id: UUID!, $stageId: UUID!) { updateDealByRowId(input: { rowId: $id, dealPatch: { stageId: $stageId } }) {
  deal { ${PG_CARD} } } }`;

/** Wins a deal, or reopens it in a stage: the client's WinDeal and ReopenDeal as one document, chosen by a variable. */
const DS_WIN_OR_REOPEN = `mutation WinOrReopen($id: ID!, $win: Boolean!, $stageId: ID) {
  winDeal(id: $id) @include(if: $win) { ...DealCard }
  reopenDeal(id: $id, stageId: $stageId) @skip(if: $win) { ...DealCard }
}`;
const PG_WIN_OR_REOPEN = `mutation WinOrReopen($id: UUID!, $patch: DealPatch!) { updateDealByRowId(input: { rowId: $id, dealPatch: $patch }) {
  deal { ${PG_CARD} } } }`;
/** Loses a deal, or reopens it in a stage: the client's LoseDeal and ReopenDeal as one document, by a variable. */
const DS_LOSE_OR_REOPEN = `mutation LoseOrReopen($id: ID!, $lose: Boolean!, $reason: String!, $stageId: ID) {
  loseDeal(id: $id, reason: $reason) @include(if: $lose) { ...DealCard lostReason }
  reopenDeal(id: $id, stageId: $stageId) @skip(if: $lose) { ...DealCard lostReason }
}`;
const PG_LOSE_OR_REOPEN = `mutation LoseOrReopen($id: UUID!, $patch: DealPatch!) { updateDealByRowId(input: { rowId: $id, dealPatch: $patch }) {
  deal { ${PG_CARD} lostReason } } }`;
/** PostGraphile's side of a loss or reopen: the columns loseDeal and reopenDeal set. */
const pgLosePatch = (lostStage) => ({ id, lose, reason, stageId }) => ({
  id,
  patch: lose ? { stageId: lostStage, status: 'LOST', closedAt: new Date().toISOString(), lostReason: reason }
    : { stageId, status: 'OPEN', closedAt: null, lostReason: null },
});
/** A deal's value and close date edited together, as a deal form saves them. */
const PG_UPDATE_VALUE = `mutation UpdateDeal($id: UUID!, $patch: DealPatch!) { updateDealByRowId(input: { rowId: $id, dealPatch: $patch }) {
  deal { ${PG_CARD} } } }`;
const valueEdit = (n) => ({ value: 1000 + (n % 5000) * 10, expectedCloseDate: new Date(Date.UTC(2027, n % 12, 1 + (n % 28))).toISOString() });
const DS_UPDATE_LEAD = `mutation ScoreLead($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { id name status score campaign } }`;
const PG_UPDATE_LEAD = `mutation ScoreLead($id: UUID!, $patch: LeadPatch!) { updateLeadByRowId(input: { rowId: $id, leadPatch: $patch }) {
  lead { rowId name status score campaign } } }`;

/** PostGraphile's side of a win or reopen: the columns winDeal and reopenDeal set. */
const pgWinPatch = (wonStage) => ({ id, win, stageId }) => ({
  id,
  patch: win ? { stageId: wonStage, status: 'WON', closedAt: new Date().toISOString() } : { stageId, status: 'OPEN', closedAt: null },
});

// Shapes first written for the session of 2026-12-03 evening, as a newcomer would: a lead's page,
// lists within a page of deals, a column whose size and order are variables, a close-date order.
const DS_LEAD_DETAIL = `query LeadDetail($id: ID!) { lead(id: $id) { id name company source status score owner { name }
  activities { id type subject } deal { id title value stage { name } activities { id type subject } } } }`;
const PG_LEAD_DETAIL = `query LeadDetail($id: UUID!) { leadByRowId(rowId: $id) { rowId name company source status score userByOwnerId { name }
  activitiesByLeadId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId type subject } }
  dealsByLeadId(condition: { deletedAt: null }) { nodes { rowId title value stageByStageId { name }
    activitiesByDealId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId type subject } } } } } }`;
const DS_DEAL_LISTS = `query DealLists($p: ID!) { deals(filter: { pipelineId: $p, status: OPEN }, orderBy: [{ field: VALUE, direction: DESC }], first: 20) {
  nodes { id title activities { id type } history { changedAt toStage { name } } } } }`;
const PG_DEAL_LISTS = `query DealLists($p: UUID!) { allDeals(condition: { pipelineId: $p, status: OPEN, deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC], first: 20) {
  nodes { rowId title activitiesByDealId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId type } }
    stageChangesByDealId(orderBy: [CHANGED_AT_ASC, ROW_ID_ASC]) { nodes { changedAt stageByToStageId { name } } } } } }`;
const DS_COLUMN_VARS = `query Columns($id: ID!, $first: Int!, $order: [DealOrder!]) { pipeline(id: $id) { stages { id
  deals(first: $first, orderBy: $order) { edges { cursor node { id title value } } pageInfo { hasNextPage endCursor } } } } }`;
const PG_COLUMN_VARS = `query Columns($id: UUID!) { pipelineByRowId(rowId: $id) { stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId
  dealsByStageId(first: 10, condition: { deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC]) {
    edges { cursor node { rowId title value } } pageInfo { hasNextPage endCursor } } } } } }`;
const DS_CLOSING = `query Closing($p: ID!) { deals(filter: { pipelineId: $p, status: OPEN }, orderBy: [{ field: EXPECTED_CLOSE_DATE, direction: ASC }], first: 25) {
  nodes { id title value expectedCloseDate owner { name } stage { name probability } } } }`;
const PG_CLOSING = `query Closing($p: UUID!) { allDeals(condition: { pipelineId: $p, status: OPEN, deletedAt: null }, orderBy: [EXPECTED_CLOSE_DATE_ASC, ROW_ID_ASC], first: 25) {
  nodes { rowId title value expectedCloseDate userByOwnerId { name } stageByStageId { name probability } } } }`;

const DS_BOARD_DEEP = `query BoardDeep($id: ID!) { pipeline(id: $id) { stages { name deals(first: 5, filter: { status: OPEN }) { totalCount
  nodes { title lead { name } activities { subject owner { name } } } } } } }`;
const PG_BOARD_DEEP = `query BoardDeep($id: UUID!) { pipelineByRowId(rowId: $id) { stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { name
  dealsByStageId(first: 5, condition: { status: OPEN, deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { totalCount
    nodes { title leadByLeadId { name } activitiesByDealId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { subject userByOwnerId { name } } } } } } } } }`;
const DS_PIPELINE_DEALS = `query Recently($id: ID!) { pipeline(id: $id) { name deals(first: 25, orderBy: [{ field: UPDATED_AT, direction: DESC }]) {
  totalCount pageInfo { hasNextPage endCursor } nodes { id title updatedAt stage { name } } } } }`;
const PG_PIPELINE_DEALS = `query Recently($id: UUID!) { pipelineByRowId(rowId: $id) { name
  dealsByPipelineId(first: 25, condition: { deletedAt: null }, orderBy: [UPDATED_AT_DESC, ROW_ID_DESC]) {
    totalCount pageInfo { hasNextPage endCursor } nodes { rowId title updatedAt stageByStageId { name } } } } }`;
const DS_WHO_MOVED = `query WhoMoved($id: ID!) { deal(id: $id) { id history { changedAt changedBy { name } fromStage { name position } toStage { name kind } } } }`;
const PG_WHO_MOVED = `query WhoMoved($id: UUID!) { dealByRowId(rowId: $id) { rowId stageChangesByDealId(orderBy: [CHANGED_AT_ASC, ROW_ID_ASC]) {
  nodes { changedAt userByChangedById { name } stageByFromStageId { name position } stageByToStageId { name kind } } } } }`;

const DS_BIG_PAGE = `query BigPage($p: ID!) { deals(filter: { pipelineId: $p }, orderBy: [{ field: VALUE, direction: DESC }], first: 200) {
  edges { cursor node { id title value createdAt owner { name } stage { name } } } } }`;
const PG_BIG_PAGE = `query BigPage($p: UUID!) { allDeals(condition: { pipelineId: $p, deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC], first: 200) {
  edges { cursor node { rowId title value createdAt userByOwnerId { name } stageByStageId { name } } } } }`;

const DS_MQL = `query Mql { leads(filter: { status: MQL }, first: 50) { totalCount pageInfo { hasNextPage endCursor }
  nodes { id name company score campaign createdAt } } }`;
const PG_MQL = `query Mql($ws: String!) { allLeads(condition: { workspaceId: $ws, status: MQL }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 50) {
  totalCount pageInfo { hasNextPage endCursor } nodes { rowId name company score campaign createdAt } } }`;
const DS_HOME = `query Home($p: ID!, $d: ID!) { pipeline(id: $p) { ...Head } deal(id: $d) { ...Card } users { id name } }
  fragment Head on Pipeline { id name stages { id name kind } }
  fragment Card on Deal { id title value owner { name } activities { id subject } }`;
const PG_HOME = `query Home($ws: String!, $p: UUID!, $d: UUID!) { pipelineByRowId(rowId: $p) { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name kind } } }
  dealByRowId(rowId: $d) { rowId title value userByOwnerId { name } activitiesByDealId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId subject } } }
  allUsers(condition: { workspaceId: $ws }, orderBy: [NAME_ASC, ROW_ID_ASC]) { nodes { externalId name } } }`;

// Shapes added on 2026-12-04 as ones not timed before: each spelled as a frontend or analyst would.
const DS_LEAD_OWNER = `query LeadsOfOwner($owner: ID!) { leads(filter: { ownerId: $owner, source: REFERRAL }, first: 30) {
  totalCount nodes { id name score status owner { name } } } }`;
const PG_LEAD_OWNER = `query LeadsOfOwner($ws: String!, $owner: UUID!) { allLeads(condition: { workspaceId: $ws, ownerId: $owner, source: REFERRAL },
  orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 30) { totalCount nodes { rowId name score status userByOwnerId { name } } } }`;
const DS_STAGE_AGE = `query StageAge($s: ID!) { deals(filter: { stageIds: [$s] }, orderBy: [{ field: STAGE_ENTERED_AT, direction: ASC }], first: 25) {
  nodes { id title stageEnteredAt owner { name } } } }`;
const PG_STAGE_AGE = `query StageAge($s: UUID!) { allDeals(condition: { stageId: $s, deletedAt: null }, orderBy: [STAGE_ENTERED_AT_ASC, ROW_ID_ASC], first: 25) {
  nodes { rowId title stageEnteredAt userByOwnerId { name } } } }`;
const DS_COUNTS = `query Counts { pipelines { id name stages { id name deals { totalCount } } } }`;
const PG_COUNTS = `query Counts($ws: String!) { allPipelines(condition: { workspaceId: $ws }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name dealsByStageId(condition: { deletedAt: null }) { totalCount } } } } } }`;
const DS_SWITCHES = `query Switches($p: ID!, $withOwner: Boolean!, $compact: Boolean!) { pipeline(id: $p) { id stages { id name
  deals(first: 8) { nodes { id title value @skip(if: $compact) owner @include(if: $withOwner) { id name } } } } } }`;
const PG_SWITCHES = `query Switches($p: UUID!, $withOwner: Boolean!, $compact: Boolean!) { pipelineByRowId(rowId: $p) { rowId
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name
    dealsByStageId(first: 8, condition: { deletedAt: null }, orderBy: [STAGE_ENTERED_AT_DESC, ROW_ID_DESC]) { nodes { rowId title
      value @skip(if: $compact) userByOwnerId @include(if: $withOwner) { externalId name } } } } } } }`;
const DS_TYPED = `query Typed($p: ID!) { deals(filter: { pipelineId: $p, status: OPEN }, first: 20) {
  __typename nodes { __typename id t: title stage { __typename n: name } } } }`;
const PG_TYPED = `query Typed($p: UUID!) { allDeals(condition: { pipelineId: $p, status: OPEN, deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 20) {
  __typename nodes { __typename rowId t: title stageByStageId { __typename n: name } } } }`;
const DS_INLINE = `query Inline($id: ID!) { deal(id: $id) { ... on Deal { id title } ...Who stage { ... on Stage { name kind pipeline { ...P } } } } }
  fragment Who on Deal { owner { ... on User { name email } } lead { name company } }
  fragment P on Pipeline { id name }`;
const PG_INLINE = `query Inline($id: UUID!) { dealByRowId(rowId: $id) { rowId title userByOwnerId { name email } leadByLeadId { name company }
  stageByStageId { name kind pipelineByPipelineId { rowId name } } } }`;
const DS_TRAIL = `query Trail($id: ID!) { deal(id: $id) { id lead { id name activities { id type subject createdAt } }
  history { changedAt changedBy { name } } } }`;
const PG_TRAIL = `query Trail($id: UUID!) { dealByRowId(rowId: $id) { rowId leadByLeadId { rowId name
    activitiesByLeadId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId type subject createdAt } } }
  stageChangesByDealId(orderBy: [CHANGED_AT_ASC, ROW_ID_ASC]) { nodes { changedAt userByChangedById { name } } } } }`;
const DS_WON = `query Won($p: ID!) { deals(filter: { pipelineId: $p, status: WON }, orderBy: [{ field: VALUE, direction: DESC }], first: 30) {
  totalCount nodes { id title value closedAt owner { name } lead { source } } } }`;
const PG_WON = `query Won($p: UUID!) { allDeals(condition: { pipelineId: $p, status: WON, deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC], first: 30) {
  totalCount nodes { rowId title value closedAt userByOwnerId { name } leadByLeadId { source } } } }`;
const DS_CAMPAIGN = `query Campaign($c: String!) { leads(filter: { campaign: $c, status: SQL }, first: 40) { totalCount nodes { id name company score deal { id status } } } }`;
const PG_CAMPAIGN = `query Campaign($ws: String!, $c: String!) { allLeads(condition: { workspaceId: $ws, campaign: $c, status: SQL },
  orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 40) { totalCount nodes { rowId name company score dealsByLeadId(condition: { deletedAt: null }) { nodes { rowId status } } } } }`;

const DS_REASSIGN = `mutation Reassign($id: ID!, $owner: ID!) { updateDeal(id: $id, input: { ownerId: $owner }) { id version owner { id name } } }`;
const PG_REASSIGN = `mutation Reassign($id: UUID!, $owner: UUID!) { updateDealByRowId(input: { rowId: $id, dealPatch: { ownerId: $owner } }) {
  deal { rowId version userByOwnerId { externalId name } } } }`;
const DS_LEAD_OWNER_EDIT = `mutation LeadOwner($id: ID!, $owner: ID!) { updateLead(id: $id, input: { ownerId: $owner }) { id owner { id name } } }`;
const PG_LEAD_OWNER_EDIT = `mutation LeadOwner($id: UUID!, $owner: UUID!) { updateLeadByRowId(input: { rowId: $id, leadPatch: { ownerId: $owner } }) {
  lead { rowId userByOwnerId { externalId name } } } }`;
// Shapes written for the first time on 2026-12-05, before looking at how either server answers them.
const SOURCES = ['INBOUND', 'OUTBOUND', 'REFERRAL', 'PAID_ADS', 'ORGANIC_SEARCH', 'SOCIAL', 'EMAIL', 'EVENT', 'PARTNER', 'OTHER'];
const DS_SOURCE_DEALS = `query SourceDeals($source: LeadSource!) { deals(filter: { leadSource: $source, status: OPEN },
  orderBy: [{ field: VALUE, direction: DESC }], first: 20) { totalCount nodes { id title value owner { name } lead { name source } } } }`;
const PG_SOURCE_DEALS = `query SourceDeals($ws: String!, $source: LeadSource!) { allDeals(condition: { workspaceId: $ws, leadSource: $source, status: OPEN,
  deletedAt: null }, orderBy: [VALUE_DESC, ROW_ID_DESC], first: 20) { totalCount nodes { rowId title value userByOwnerId { name } leadByLeadId { name source } } } }`;
const DS_PIPELINE_SOURCE = `query PipelineSource($p: ID!, $source: LeadSource!) { deals(filter: { pipelineId: $p, leadSource: $source },
  orderBy: [{ field: UPDATED_AT, direction: DESC }], first: 20) { totalCount nodes { id title value updatedAt } } }`;
const PG_PIPELINE_SOURCE = `query PipelineSource($p: UUID!, $source: LeadSource!) { allDeals(condition: { pipelineId: $p, leadSource: $source,
  deletedAt: null }, orderBy: [UPDATED_AT_DESC, ROW_ID_DESC], first: 20) { totalCount nodes { rowId title value updatedAt } } }`;
const DS_OWNER_PIPELINE = `query OwnerPipeline($owner: ID!, $p: ID!) { deals(filter: { ownerId: $owner, pipelineId: $p, status: OPEN },
  orderBy: [{ field: EXPECTED_CLOSE_DATE, direction: ASC }], first: 10) {
  edges { cursor node { id title expectedCloseDate value } } pageInfo { hasNextPage endCursor } } }`;
const PG_OWNER_PIPELINE = `query OwnerPipeline($ws: String!, $owner: UUID!, $p: UUID!) { allDeals(condition: { workspaceId: $ws, ownerId: $owner,
  pipelineId: $p, status: OPEN, deletedAt: null }, orderBy: [EXPECTED_CLOSE_DATE_ASC, ROW_ID_ASC], first: 10) {
  edges { cursor node { rowId title expectedCloseDate value } } pageInfo { hasNextPage endCursor } } }`;
const DS_BY_TITLE = `query ByTitle($p: ID!) { deals(filter: { pipelineId: $p }, orderBy: [{ field: TITLE, direction: ASC }], first: 25) {
  edges { cursor node { id title value stage { name } } } } }`;
const PG_BY_TITLE = `query ByTitle($p: UUID!) { allDeals(condition: { pipelineId: $p, deletedAt: null }, orderBy: [TITLE_ASC, ROW_ID_ASC], first: 25) {
  edges { cursor node { rowId title value stageByStageId { name } } } } }`;
const DS_NURTURE = `query Nurture($source: LeadSource!) { leads(filter: { status: NURTURING, source: $source }, first: 20) {
  totalCount nodes { id name company score owner { name } activities { type subject } } } }`;
const PG_NURTURE = `query Nurture($ws: String!, $source: LeadSource!) { allLeads(condition: { workspaceId: $ws, status: NURTURING, source: $source },
  orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: 20) { totalCount nodes { rowId name company score userByOwnerId { name }
    activitiesByLeadId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { type subject } } } } }`;
const DS_SIBLINGS = `query Siblings($id: ID!) { deal(id: $id) { id title stage { name pipeline { name
  stages { name deals(filter: { status: OPEN }) { totalCount } } } } } }`;
const PG_SIBLINGS = `query Siblings($id: UUID!) { dealByRowId(rowId: $id) { rowId title stageByStageId { name pipelineByPipelineId { name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { name dealsByStageId(condition: { status: OPEN, deletedAt: null }) { totalCount } } } } } } }`;
const DS_STALE_FIRST = `query StaleFirst($p: ID!) { deals(filter: { pipelineId: $p, status: OPEN },
  orderBy: [{ field: STAGE_ENTERED_AT, direction: ASC }, { field: VALUE, direction: DESC }], first: 20) {
  nodes { id title value stageEnteredAt stage { name } owner { name } } } }`;
const PG_STALE_FIRST = `query StaleFirst($p: UUID!) { allDeals(condition: { pipelineId: $p, status: OPEN, deletedAt: null },
  orderBy: [STAGE_ENTERED_AT_ASC, VALUE_DESC, ROW_ID_ASC], first: 20) {
  nodes { rowId title value stageEnteredAt stageByStageId { name } userByOwnerId { name } } } }`;
const DS_FILTER_VAR = `query Deals($filter: DealFilter!, $order: [DealOrder!], $first: Int) { deals(filter: $filter, orderBy: $order, first: $first) {
  totalCount nodes { ...Row } } }
fragment Row on Deal { id title value closedAt lostReason owner { name } }`;
const PG_FILTER_VAR = `query Deals($condition: DealCondition!, $order: [DealOrderBy!], $first: Int) { allDeals(condition: $condition, orderBy: $order, first: $first) {
  totalCount nodes { ...Row } } }
fragment Row on Deal { rowId title value closedAt lostReason userByOwnerId { name } }`;
const at = (list, n) => list[n % list.length];
/**
 * The owner the `n`th request hands `records[n]` to: each pass over the records moves every one to
 * the next owner, so no request sets the owner a record already has (a write that changes nothing).
 */
const handedTo = (f, records, n) => at(f.owners, n * 7 + Math.floor(n / records.length) + 1);
const byPipeline = (f) => (n) => ({ id: at(f.pipelines, n) });
const byDeal = (f) => (n) => ({ id: at(f.deals, n) });
/** The pipeline as `$p`, for lists filtered by it. */
const inPipeline = (f) => (n) => ({ p: at(f.pipelines, n) });
const ws = (f) => () => ({ ws: f.workspace });
const side = (query, variables, operationName) => ({ query, variables, operationName });

/** `[name, title, dealstream side, postgraphile side]`, moves given their variables by run.js. */
function shapes(moveVariables, winVariables, loseVariables) {
  const board = clientBoard;
  const boardPart = without(board, 'isStalled', /pipelineMetrics\(pipelineId: \$pipelineId\) \{ \.\.\.MetricsTiles \}/,
    /fragment MetricsTiles on PipelineMetrics \{[\s\S]*?\n\}\n/);
  const wallBoard = without(wallboard.BOARD, 'isStalled', 'health { reasons }');
  const wallBoardPart = `${wallBoard.slice(0, wallBoard.indexOf('pipelineMetrics'))}}`;
  const cardPart = without(clientDeals, 'isStalled');
  const boardVars = (f) => (n) => ({ pipelineId: at(f.pipelines, n) });
  const list = [
    ['client-board', 'client/operations Board as written (fragments, default variable, isStalled, pipelineMetrics)',
      side(board, boardVars, 'Board'), side(PG_CLIENT_BOARD, byPipeline)],
    ['client-board-part', 'client Board without isStalled and pipelineMetrics', side(boardPart, boardVars, 'Board'), side(PG_CLIENT_BOARD, byPipeline)],
    ['client-pipelines', 'client Pipelines', side(board, () => () => ({}), 'Pipelines'), side(PG_PIPELINES, ws)],
    ['wall-deals', 'wallboard top deals as written (isStalled, health)', side(wallboard.TOP_DEALS_QUERY, byPipeline), side(PG_WALLBOARD_DEALS, byPipeline)],
    ['wall-deals-part', 'wallboard top deals without isStalled and health',
      side(without(wallboard.TOP_DEALS_QUERY, 'isStalled', 'health { reasons }'), byPipeline), side(PG_WALLBOARD_DEALS, byPipeline)],
    ['wall-board', 'wallboard board as written (two root fields, pipelineMetrics)', side(wallboard.BOARD, byPipeline), side(PG_WALLBOARD_BOARD, byPipeline)],
    ['wall-board-part', 'wallboard board without pipelineMetrics, isStalled, health',
      side(wallBoardPart, byPipeline),
      side(PG_WALLBOARD_BOARD, byPipeline)],
    ['wall-pipelines', 'wallboard pipelines', side(wallboard.PIPELINES, () => () => ({})), side(PG_PIPELINES, ws)],
    ['fragments', 'board in named fragments with a default variable', side(DS_FRAGMENT_BOARD, byPipeline), side(PG_FRAGMENT_BOARD, byPipeline)],
    ['activities', 'deal with its activities (inline fragment, __typename)', side(DS_DEAL_ACTIVITIES, byDeal), side(PG_DEAL_ACTIVITIES, byDeal)],
    ['history', 'deal with its history (@skip, @include)', side(DS_DEAL_HISTORY, byDeal), side(PG_DEAL_HISTORY, byDeal)],
    ['timeline', 'deal with its timeline of changes and activities (a union)', side(DS_TIMELINE, byDeal), side(PG_TIMELINE, byDeal)],
    ['owner', "one owner's deals newest first with totalCount", side(DS_OWNER, (f) => (n) => ({ owner: at(f.owners, n).externalId })),
      side(PG_OWNER, (f) => (n) => ({ ws: f.workspace, owner: at(f.owners, n).id }))],
    ['leads', 'INBOUND leads with their deals', side(DS_LEADS, () => () => ({})), side(PG_LEADS, ws)],
    ['value', 'deals above 100,000 by value (@include owner)', side(DS_VALUE, () => () => ({ with: true })), side(PG_VALUE, ws)],
    ['recent', 'deals created in the last 30 days, newest first (aliases)',
      side(DS_RECENT, () => () => ({ since: new Date(Date.now() - 30 * 86_400_000).toISOString() })), side(PG_RECENT, ws)],
    ['two-roots', 'pipelines and a deal in one document', side(DS_TWO_ROOTS, byDeal), side(PG_TWO_ROOTS, (f) => (n) => ({ ws: f.workspace, id: at(f.deals, n) }))],
    ['aliases', "a pipeline's OPEN and WON deals by alias", side(DS_ALIASES, byPipeline), side(PG_ALIASES, byPipeline)],
    ['nested', 'every pipeline, its stages, three deals each with the owner', side(DS_NESTED, () => () => ({})), side(PG_NESTED, ws)],
    ['deal-deep', 'a deal with its lead, owner, stage and pipeline, activities', side(DS_DEAL_DEEP, byDeal), side(PG_DEAL_DEEP, byDeal)],
    ['owner-open', "one owner's OPEN deals by value with totalCount", side(DS_OWNER_OPEN, (f) => (n) => ({ owner: at(f.owners, n).externalId })),
      side(PG_OWNER_OPEN, (f) => (n) => ({ ws: f.workspace, owner: at(f.owners, n).id }))],
    ['members', "the workspace's members", side(DS_USERS, () => () => ({})), side(PG_USERS, ws)],
    ['list-deep', "a pipeline's deals with lead, stage and the stage's pipeline", side(DS_LIST_DEEP, inPipeline),
      side(PG_LIST_DEEP, inPipeline)],
    ['lead-deals', 'converted leads with owner and their deal (owner, stage)', side(DS_LEAD_DEALS, () => () => ({})), side(PG_LEAD_DEALS, ws)],
    ['lead-detail', 'a lead with its owner, activities and deal (stage, activities)',
      side(DS_LEAD_DETAIL, (f) => (n) => ({ id: at(f.leads, n) })), side(PG_LEAD_DETAIL, (f) => (n) => ({ id: at(f.leads, n) }))],
    ['deal-lists', "a pipeline's 20 largest OPEN deals, each with its activities and history",
      side(DS_DEAL_LISTS, inPipeline), side(PG_DEAL_LISTS, inPipeline)],
    ['column-vars', 'stage columns, size and order as variables, edges with cursors',
      side(DS_COLUMN_VARS, (f) => (n) => ({ id: at(f.pipelines, n), first: 10, order: [{ field: 'VALUE', direction: 'DESC' }] })),
      side(PG_COLUMN_VARS, byPipeline)],
    ['closing', "a pipeline's OPEN deals by expected close date, with owner and stage",
      side(DS_CLOSING, inPipeline), side(PG_CLOSING, inPipeline)],
    ['board-deep', 'stage columns of OPEN deals, each with its lead and its activities with their owners',
      side(DS_BOARD_DEEP, byPipeline), side(PG_BOARD_DEEP, byPipeline)],
    ['pipeline-deals', "a pipeline's deals last updated first, with totalCount and pageInfo", side(DS_PIPELINE_DEALS, byPipeline), side(PG_PIPELINE_DEALS, byPipeline)],
    ['who-moved', "a deal's history with who moved it and both stages", side(DS_WHO_MOVED, byDeal), side(PG_WHO_MOVED, byDeal)],
    ['big-page', "a pipeline's 200 largest deals as edges with cursors, owner and stage",
      side(DS_BIG_PAGE, inPipeline), side(PG_BIG_PAGE, inPipeline)],
    ['mql', 'MQL leads with totalCount and pageInfo', side(DS_MQL, () => () => ({})), side(PG_MQL, ws)],
    ['home', 'three root fields in fragments: a pipeline, a deal with activities, the members',
      side(DS_HOME, (f) => (n) => ({ p: at(f.pipelines, n), d: at(f.deals, n) })),
      side(PG_HOME, (f) => (n) => ({ ws: f.workspace, p: at(f.pipelines, n), d: at(f.deals, n) }))],
    ['stages', 'every pipeline with its stages', side(DS_STAGES, () => () => ({})), side(PG_STAGES, ws)],
    ['lead-owner', "one owner's REFERRAL leads with totalCount and the owner",
      side(DS_LEAD_OWNER, (f) => (n) => ({ owner: at(f.owners, n).externalId })),
      side(PG_LEAD_OWNER, (f) => (n) => ({ ws: f.workspace, owner: at(f.owners, n).id }))],
    ['stage-age', "one stage's deals longest in it first, with the owner",
      side(DS_STAGE_AGE, (f) => (n) => ({ s: at(f.moves.openStages, n) })), side(PG_STAGE_AGE, (f) => (n) => ({ s: at(f.moves.openStages, n) }))],
    ['counts', 'every pipeline, its stages and the count of deals in each', side(DS_COUNTS, () => () => ({})), side(PG_COUNTS, ws)],
    ['switches', 'stage columns with @skip/@include driven by variables (by turns)',
      side(DS_SWITCHES, (f) => (n) => ({ p: at(f.pipelines, n), withOwner: n % 2 === 0, compact: n % 3 === 0 })),
      side(PG_SWITCHES, (f) => (n) => ({ p: at(f.pipelines, n), withOwner: n % 2 === 0, compact: n % 3 === 0 }))],
    ['typed', 'a list with __typename at every level and aliases', side(DS_TYPED, inPipeline), side(PG_TYPED, inPipeline)],
    ['inline', 'a deal through inline and named fragments, nested', side(DS_INLINE, byDeal), side(PG_INLINE, byDeal)],
    ['trail', "a deal's lead with its activities, and who moved the deal", side(DS_TRAIL, byDeal), side(PG_TRAIL, byDeal)],
    ['won', "a pipeline's largest WON deals with totalCount, owner and lead source", side(DS_WON, inPipeline), side(PG_WON, inPipeline)],
    ['campaign', "one campaign's SQL leads with totalCount and their deals",
      side(DS_CAMPAIGN, (f) => (n) => ({ c: `campaign-${n % 40}` })), side(PG_CAMPAIGN, (f) => (n) => ({ ws: f.workspace, c: `campaign-${n % 40}` }))],
    ['source-deals', "one lead source's OPEN deals by value with totalCount, owner and lead",
      side(DS_SOURCE_DEALS, () => (n) => ({ source: at(SOURCES, n) })), side(PG_SOURCE_DEALS, (f) => (n) => ({ ws: f.workspace, source: at(SOURCES, n) }))],
    ['pipeline-source', "a pipeline's deals of one lead source, last updated first, with totalCount (every pair by turns)",
      side(DS_PIPELINE_SOURCE, (f) => (n) => ({ p: at(f.pipelines, n), source: at(SOURCES, Math.floor(n / f.pipelines.length)) })),
      side(PG_PIPELINE_SOURCE, (f) => (n) => ({ p: at(f.pipelines, n), source: at(SOURCES, Math.floor(n / f.pipelines.length)) }))],
    ['owner-pipeline', "one owner's OPEN deals of a pipeline by close date, edges with cursors",
      side(DS_OWNER_PIPELINE, (f) => (n) => ({ owner: at(f.owners, n).externalId, p: at(f.pipelines, n) })),
      side(PG_OWNER_PIPELINE, (f) => (n) => ({ ws: f.workspace, owner: at(f.owners, n).id, p: at(f.pipelines, n) }))],
    ['by-title', "a pipeline's deals by title, edges with cursors and the stage", side(DS_BY_TITLE, inPipeline), side(PG_BY_TITLE, inPipeline)],
    ['nurture', 'NURTURING leads of one source with totalCount, owner and activities',
      side(DS_NURTURE, () => (n) => ({ source: at(['PAID_ADS', 'PARTNER'], n) })),
      side(PG_NURTURE, (f) => (n) => ({ ws: f.workspace, source: at(['PAID_ADS', 'PARTNER'], n) }))],
    ['siblings', "a deal, its stage's pipeline and the OPEN count of each of its stages", side(DS_SIBLINGS, byDeal), side(PG_SIBLINGS, byDeal)],
    ['stale-first', "a pipeline's OPEN deals longest in their stage first, then by value", side(DS_STALE_FIRST, inPipeline), side(PG_STALE_FIRST, inPipeline)],
    ['filter-var', "a pipeline's LOST deals by value: filter, order and size as variables, a fragment",
      side(DS_FILTER_VAR, (f) => (n) => ({ filter: { pipelineId: at(f.pipelines, n), status: 'LOST' }, order: [{ field: 'VALUE', direction: 'DESC' }], first: 15 })),
      side(PG_FILTER_VAR, (f) => (n) => ({ condition: { pipelineId: at(f.pipelines, n), status: 'LOST', deletedAt: null }, order: ['VALUE_DESC', 'ROW_ID_DESC'], first: 15 }))],
    ['create-card', 'a new deal with a few card fields (created, for both, in the first OPEN stage of a pipeline)',
      side(DS_CREATE, (f) => (n) => ({ input: { pipelineId: f.pipelines[0], stageId: f.moves.openStages[0], title: `bench-created-${n}`, value: n } })),
      side(PG_CREATE, (f) => (n) => ({ deal: { workspaceId: f.workspace, pipelineId: f.pipelines[0], stageId: f.moves.openStages[0], title: `bench-created-${n}`, value: n } }))],
    ['create-lead', 'a new lead', side(DS_CREATE_LEAD, () => (n) => ({ input: { name: `bench-created-${n}`, company: 'Acme', source: 'INBOUND', score: n % 100 } })),
      side(PG_CREATE_LEAD, (f) => (n) => ({ lead: { workspaceId: f.workspace, name: `bench-created-${n}`, company: 'Acme', source: 'INBOUND', score: n % 100 } }))],
    ['create-conversion', 'a lead converted into a deal (each request a lead not yet converted)',
      side(DS_CONVERT, (f) => (n) => ({ id: f.convertible[(2 * n) % f.convertible.length],
        input: { pipelineId: f.pipelines[0], title: `bench-created-${n}`, value: n } })),
      side(PG_CONVERT, (f) => (n) => ({ id: f.convertible[(2 * n + 1) % f.convertible.length], at: new Date().toISOString(),
        deal: { workspaceId: f.workspace, title: `bench-created-${n}`, value: n, pipelineId: f.pipelines[0], stageId: f.moves.openStages[0],
          leadId: f.convertible[(2 * n + 1) % f.convertible.length] } }))],
    ['create-activity', 'an activity logged on a deal', side(DS_LOG, (f) => (n) => ({ input: { dealId: at(f.deals, n), type: 'CALL', subject: `bench-created-${n}` } })),
      side(PG_LOG, (f) => (n) => ({ activity: { workspaceId: f.workspace, dealId: at(f.deals, n), type: 'CALL', subject: `bench-created-${n}` } }))],
    ['move-card', 'client MoveDeal as written (DealCard, isStalled) vs updateDealByRowId with the card',
      side(clientDeals, moveVariables, 'MoveDeal'), side(PG_MOVE_CARD, moveVariables)],
    ['move-card-part', 'client MoveDeal without isStalled', side(cardPart, moveVariables, 'MoveDeal'), side(PG_MOVE_CARD, moveVariables)],
    ['win-card', 'client WinDeal and ReopenDeal by turns, with the card (one document, @include/@skip)',
      side(`${DS_WIN_OR_REOPEN}\n${/fragment DealCard on Deal \{[\s\S]*?\n\}\n/.exec(cardPart)[0]}`, winVariables),
      side(PG_WIN_OR_REOPEN, (f) => { const next = winVariables(f); const patch = pgWinPatch(f.moves.wonStage); return (n) => patch(next(n)); })],
    ['lose-card', 'LoseDeal and ReopenDeal by turns, with the card and lostReason (one document, @include/@skip)',
      side(`${DS_LOSE_OR_REOPEN}\n${/fragment DealCard on Deal \{[\s\S]*?\n\}\n/.exec(cardPart)[0]}`, loseVariables),
      side(PG_LOSE_OR_REOPEN, (f) => { const next = loseVariables(f); const patch = pgLosePatch(f.moves.lostStage); return (n) => patch(next(n)); })],
    ['update-value', "client UpdateDeal of a deal's value and close date, with the card",
      side(cardPart, (f) => (n) => ({ id: at(f.deals, n), input: valueEdit(n) }), 'UpdateDeal'),
      side(PG_UPDATE_VALUE, (f) => (n) => ({ id: at(f.deals, n), patch: valueEdit(n) }))],
    ['update-lead', "a lead's score and campaign edited",
      side(DS_UPDATE_LEAD, (f) => (n) => ({ id: at(f.leads, n), input: { score: n % 100, campaign: `spring-${n % 7}` } })),
      side(PG_UPDATE_LEAD, (f) => (n) => ({ id: at(f.leads, n), patch: { score: n % 100, campaign: `spring-${n % 7}` } }))],
    ['update-owner', "a deal handed to another owner, answered with the owner",
      side(DS_REASSIGN, (f) => (n) => ({ id: at(f.deals, n), owner: handedTo(f, f.deals, n).externalId })),
      side(PG_REASSIGN, (f) => (n) => ({ id: at(f.deals, n), owner: handedTo(f, f.deals, n).id }))],
    ['update-lead-owner', "a lead handed to another owner, answered with the owner",
      side(DS_LEAD_OWNER_EDIT, (f) => (n) => ({ id: at(f.leads, n), owner: handedTo(f, f.leads, n).externalId })),
      side(PG_LEAD_OWNER_EDIT, (f) => (n) => ({ id: at(f.leads, n), owner: handedTo(f, f.leads, n).id }))],
    ['update-card', 'client UpdateDeal (title) with the card vs updateDealByRowId',
      side(cardPart, (f) => (n) => ({ id: at(f.deals, n), input: { title: `Deal renamed ${n}` } }), 'UpdateDeal'),
      side(PG_UPDATE, (f) => (n) => ({ id: at(f.deals, n), title: `Deal renamed ${n}` }))],
  ];
  return list.map(([name, title, dealstream, postgraphile]) => ({ name, title, dealstream, postgraphile }));
}

module.exports = { shapes, DS_COLUMN_VARS };
