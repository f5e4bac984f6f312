import { CreateLeadDocument, LogActivityDocument, MeDocument } from '../generated/graphql';
import { gql, ok, untyped } from '../helpers/graphql';
import { newWorkspace, startTestApp, TestApp } from '../helpers/test-app';
import { createDeal, createPipeline } from '../factories/pipeline.factory';

/**
 * Every spelling of a read costs statements by the depth of what it asks, never by its rows:
 * the same document on a board of 2 stages × 1 deal and of 6 stages × 3 deals sends the same
 * number of statements, at most `depth`, and spellings of one question answer alike.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

async function seededBoard(open: number, perStage: number) {
  const ws = newWorkspace();
  const admin = ws.token('ADMIN');
  await gql(t.url, ws.token('REP', 'rep-1'), MeDocument); // provisions rep-1
  const pipeline = await createPipeline(t.url, admin, open);
  const deals: string[] = [];
  for (const stage of pipeline.stages.filter((s) => s.kind === 'OPEN')) {
    for (let i = 0; i < perStage; i++) {
      const lead = ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead ${i}`, source: 'INBOUND' } })).createLead;
      const deal = await createDeal(t.url, admin, { pipelineId: pipeline.id, stageId: stage.id, title: `Deal ${i}`, value: 100 * (i + 1), ownerId: 'rep-1', leadId: lead.id });
      await gql(t.url, admin, LogActivityDocument, { input: { dealId: deal.id, type: 'CALL', subject: `Call ${i}` } });
      deals.push(deal.id);
    }
  }
  return { admin, pipeline: pipeline.id, deal: deals[0] };
}

const CARD = 'id title value owner { id name } lead { id name }';
const BOARD_PLAIN = `query($id: ID!) { pipeline(id: $id) { id name stages { id name deals(first: 20) { totalCount nodes { ${CARD} } } } } }`;
const BOARD_SPELLINGS: Record<string, string> = {
  'named fragments and a default variable': `query($id: ID!, $n: Int = 20) { pipeline(id: $id) { ...Head stages { ...Column } } }
    fragment Head on Pipeline { id name }
    fragment Column on Stage { id name deals(first: $n) { totalCount nodes { ...Card } } }
    fragment Card on Deal { id title value owner { ...Person } lead { id name } }
    fragment Person on User { id name }`,
  'inline fragments, __typename and directives': `query($id: ID!, $yes: Boolean = true, $no: Boolean = false) { pipeline(id: $id) {
    ... on Pipeline { id name } stages { id ... on Stage @include(if: $yes) { name }
      deals(first: 20) { totalCount @skip(if: $no) nodes { id title value history @include(if: $no) { changedAt }
        owner { ... on User { id name } } lead @skip(if: $no) { id name } } } } } }`,
  'fields asked twice': `query($id: ID!) { pipeline(id: $id) { id stages { id deals(first: 20) { nodes { id title owner { id } } } }
    name stages { name deals(first: 20) { totalCount nodes { value owner { name } lead { id name } } } } } }`,
};

/** The data of `document` and how many statements it cost (after one warm run: identity lookups). */
async function measure(admin: string, document: string, variables: Record<string, unknown>) {
  await gql(t.url, admin, untyped(document), variables);
  t.statements.length = 0;
  const data = ok(await gql(t.url, admin, untyped(document), variables));
  return { data, statements: t.statements.length };
}

/** Strips __typename, which only the inline spelling asks for. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (k, v) => (k === '__typename' ? undefined : v)));

test('every spelling of the board answers alike in as many statements as the plain one, whatever its rows', async () => {
  const small = await seededBoard(2, 1);
  const large = await seededBoard(6, 3);
  const reference = await measure(large.admin, BOARD_PLAIN, { id: large.pipeline });
  expect(reference.data.pipeline.stages[0].deals.nodes).toHaveLength(3);
  for (const [name, document] of Object.entries(BOARD_SPELLINGS)) {
    const onLarge = await measure(large.admin, document, { id: large.pipeline });
    const onSmall = await measure(small.admin, document, { id: small.pipeline });
    expect({ name, data: plain(onLarge.data) }).toEqual({ name, data: reference.data });
    // pipeline + stages + deals with counts + owners + leads: the depth, never the rows.
    expect({ name, statements: onLarge.statements }).toEqual({ name, statements: onSmall.statements });
    expect(onLarge.statements).toBeLessThanOrEqual(5);
  }
});

test.each([
  ['aliases with other arguments', `query($id: ID!) { pipeline(id: $id) { id
    open: deals(filter: { status: OPEN }, first: 10) { totalCount nodes { id title } }
    won: deals(filter: { status: WON }, first: 10) { totalCount nodes { id title } } } }`, 3],
  ['two root fields', `query($id: ID!, $deal: ID!) { pipelines { id name } pipeline(id: $id) { id stages { id deals(first: 5) { nodes { id owner { name } } } } }
    deal(id: $deal) { id title stage { id name } } }`, 6],
  ['a deal with its activities and history, inline fragment', `query($deal: ID!) { deal(id: $deal) { __typename ... on Deal { id title value }
    activities { id type subject } history { changedAt fromStage { name } toStage { name } } } }`, 4],
  ['the list of deals with owners and cursors', `{ deals(first: 50, orderBy: [{ field: VALUE, direction: DESC }]) { totalCount
    edges { cursor node { id owner { id } stage { name } } } pageInfo { hasNextPage endCursor } } }`, 3],
  ['leads with their deals', `{ leads(first: 50) { totalCount nodes { id name deal { id title } } } }`, 2],
])('%s: statements by depth, not rows', async (_name, document, most) => {
  const small = await seededBoard(2, 1);
  const large = await seededBoard(6, 3);
  const onSmall = await measure(small.admin, document, { id: small.pipeline, deal: small.deal });
  const onLarge = await measure(large.admin, document, { id: large.pipeline, deal: large.deal });
  expect(onLarge.statements).toBe(onSmall.statements);
  expect(onLarge.statements).toBeLessThanOrEqual(most);
});

/**
 * What a selection holds is collected once per document where no variable decides it, and per
 * request where an `@include` or `@skip` reads one, however deep in fragments it sits. One
 * document, sent with a directive's variable one way, then the other, then the first again.
 */
test('a directive that reads a variable inside fragments answers each request as its variables say', async () => {
  const board = await seededBoard(2, 1);
  const document = `query($id: ID!, $withLead: Boolean!, $withValue: Boolean!) { pipeline(id: $id) { stages { ...Column } } }
    fragment Column on Stage { deals(first: 5) { nodes { ...Card } } }
    fragment Card on Deal { id ... on Deal { value @include(if: $withValue) } lead @include(if: $withLead) { name } }`;
  const cards = async (withLead: boolean, withValue: boolean) =>
    ok(await gql(t.url, board.admin, untyped(document), { id: board.pipeline, withLead, withValue })).pipeline.stages[0].deals.nodes[0];
  expect(Object.keys(await cards(true, false)).sort()).toEqual(['id', 'lead']);
  expect(Object.keys(await cards(false, true)).sort()).toEqual(['id', 'value']);
  expect(Object.keys(await cards(true, true)).sort()).toEqual(['id', 'lead', 'value']);
  expect(Object.keys(await cards(false, false)).sort()).toEqual(['id']);
});
