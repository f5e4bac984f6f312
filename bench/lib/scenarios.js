'use strict';

/**
 * The scenarios, each as Dealstream's operation and PostGraphile's equivalent (written by hand
 * against PostGraphile v5's generated schema: `pipelineByRowId`, `stagesByPipelineId`,
 * `dealsByStageId`, `userByOwnerId`, `leadByLeadId`, `updateDealByRowId`). Both ask for the
 * same rows and the same columns; `variables(n)` gives the variables of the n-th request so
 * that requests spread over the data set.
 */

const DS_BOARD = `query Board($id: ID!) { pipeline(id: $id) { id name stages { id name
  deals(first: 20) { totalCount nodes { id title value owner { id name } lead { id name } } } } } }`;
const PG_BOARD = `query Board($id: UUID!) { pipelineByRowId(rowId: $id) { rowId name
  stagesByPipelineId(orderBy: [POSITION_ASC, ROW_ID_ASC]) { nodes { rowId name
    dealsByStageId(first: 20, condition: { deletedAt: null }, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
      totalCount nodes { rowId title value userByOwnerId { externalId name } leadByLeadId { rowId name } } } } } } }`;

const DS_DEAL = `query Deal($id: ID!) { deal(id: $id) { id title value status createdAt owner { id name } stage { id name }
  history { id changedAt fromStage { id name } toStage { id name } } } }`;
const PG_DEAL = `query Deal($id: UUID!) { dealByRowId(rowId: $id) { rowId title value status createdAt
  userByOwnerId { externalId name } stageByStageId { rowId name }
  stageChangesByDealId(orderBy: [CHANGED_AT_ASC, ROW_ID_ASC]) { nodes { rowId changedAt
    stageByFromStageId { rowId name } stageByToStageId { rowId name } } } } }`;

const DS_PAGE = `query Page($pipelineId: ID!) { deals(filter: { pipelineId: $pipelineId, status: OPEN },
  orderBy: [{ field: VALUE, direction: DESC }], first: 50) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title value createdAt owner { id name } } } } }`;
const PG_PAGE = `query Page($pipelineId: UUID!, $workspaceId: String!) { allDeals(
  condition: { workspaceId: $workspaceId, pipelineId: $pipelineId, status: OPEN, deletedAt: null },
  orderBy: [VALUE_DESC, ROW_ID_DESC], first: 50) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { rowId title value createdAt userByOwnerId { externalId name } } } } }`;

const DS_MOVE = `mutation Move($id: ID!, $stageId: ID!) { moveDeal(id: $id, stageId: $stageId) { id version stage { id } } }`;
const PG_MOVE = `mutation Move($id: UUID!, $stageId: UUID!) { updateDealByRowId(input: { rowId: $id, dealPatch: { stageId: $stageId } }) {
  deal { rowId version stageByStageId { rowId } } } }`;

const at = (list, n) => list[n % list.length];

/**
 * Each move takes a deal one OPEN stage further, so every request is a real move. `moves`
 * lists the deals with their current stage; both servers move the same deals in turn.
 */
function moveVariables(fixture) {
  const { deals, openStages } = fixture.moves;
  const position = deals.map((d) => openStages.indexOf(d.stageId));
  return (n) => {
    const i = n % deals.length;
    position[i] = (position[i] + 1) % openStages.length;
    return { id: deals[i].id, stageId: openStages[position[i]] };
  };
}

const TYPENAME = 'query Typename { __typename }';
const { shapes } = require('./shapes');

const scenarios = [
  {
    name: 'typename',
    title: '`{ __typename }` with a token: the HTTP and GraphQL stack alone, no SQL',
    dealstream: { query: TYPENAME, variables: () => () => ({}) },
    postgraphile: { query: TYPENAME, variables: () => () => ({}) },
  },
  {
    name: 'board',
    title: 'board: pipeline, 8 stages, first 20 deals each with owner and lead',
    dealstream: { query: DS_BOARD, variables: (f) => (n) => ({ id: at(f.pipelines, n) }) },
    postgraphile: { query: PG_BOARD, variables: (f) => (n) => ({ id: at(f.pipelines, n) }) },
  },
  {
    name: 'deal',
    title: 'deal by id with owner, stage and history',
    dealstream: { query: DS_DEAL, variables: (f) => (n) => ({ id: at(f.deals, n) }) },
    postgraphile: { query: PG_DEAL, variables: (f) => (n) => ({ id: at(f.deals, n) }) },
  },
  {
    name: 'page',
    title: 'filtered (pipeline, OPEN), ordered (value desc) page of 50',
    dealstream: { query: DS_PAGE, variables: (f) => (n) => ({ pipelineId: at(f.pipelines, n) }) },
    postgraphile: { query: PG_PAGE, variables: (f) => (n) => ({ pipelineId: at(f.pipelines, n), workspaceId: f.workspace }) },
  },
  {
    name: 'move',
    title: 'moveDeal (history + event) vs plain updateDealByRowId',
    dealstream: { query: DS_MOVE, variables: moveVariables },
    postgraphile: { query: PG_MOVE, variables: moveVariables },
  },
  ...shapes(moveVariables, winVariables, loseVariables),
];

/**
 * Deals closed and reopened by turns: each of `deals` (whose `closed` says how it starts) is
 * closed if open, reopened if closed (into the stage it is in, or else the first OPEN stage),
 * so every request is a real close or reopen and the deals never run out. A deal comes round
 * again only after the whole list, long after its last request ended. `variables` names the
 * request's variables from the deal, whether this request closes it, its stage and `n`.
 */
function closeAndReopen(deals, openStages, closed, variables) {
  const closing = deals.map(closed);
  return (n) => {
    const i = n % deals.length;
    closing[i] = !closing[i];
    const deal = deals[i];
    return variables(deal, closing[i], openStages.includes(deal.stageId) ? deal.stageId : openStages[0], n);
  };
}

/** Each deal won if open, reopened if won, by turns. */
function winVariables(fixture) {
  const { winnable, openStages } = fixture.moves;
  return closeAndReopen(winnable, openStages, (d) => d.won, (deal, win, stageId) => ({ id: deal.id, win, stageId }));
}

/** Each deal lost if open, reopened if lost, by turns. */
function loseVariables(fixture) {
  const { losable, openStages } = fixture.moves;
  return closeAndReopen(losable, openStages, (d) => d.lost,
    (deal, lose, stageId, n) => ({ id: deal.id, lose, reason: `Budget cut ${n % 5}`, stageId }));
}

/** The request body of the n-th request of a scenario on a server. */
function bodyMaker(scenario, server, fixture) {
  const side = scenarios.find((s) => s.name === scenario)[server];
  const variables = side.variables(fixture);
  return (n) => JSON.stringify({ query: side.query, variables: variables(n), operationName: side.operationName });
}

/** Writes that move deals: their fixture of movable deals is refreshed before each run. */
const isMove = (scenario) => scenario === 'move' || /^(move|win|lose)-/.test(scenario);

/** Writes that create deals: what they made is removed after each run. */
const creates = (scenario) => scenario.startsWith('create-');

module.exports = { scenarios, bodyMaker, isMove, creates };
