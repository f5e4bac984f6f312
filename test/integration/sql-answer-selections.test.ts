import { execute, parse } from 'graphql';
import { createContext } from '../../src/context';
import { CreateLeadDocument, MoveDealDocument } from '../generated/graphql';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard, signIn } from '../factories/workspace.factory';
import { gql, ok } from '../helpers/graphql';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The whole-answer-in-SQL path (features/board/sql-answers.plugin.ts) claims the plain fields
 * of `pipeline(id)` with its stages' first page of deals, of `deal(id)` with its people, stage,
 * pipeline and history, and of the first page of `deals(...)`. For random selections of those
 * fields, spelt at random (named and inline fragments, aliases, @include/@skip with variables,
 * __typename, fields asked twice, skipped fields it could not answer), it must answer every
 * one itself (a `json_build_object` statement) and serialise to the very bytes graphql-js
 * executing the resolvers gives for the same document.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ QUERY_MAX_COST: '1000000' });
});
afterAll(() => t.stop());

interface Spec {
  type: string;
  leaves: string[];
  objects?: Record<string, { args?: string; spec: Spec }>;
}

const USER: Spec = { type: 'User', leaves: ['id', 'name', 'email', 'role'] };
const LEAD: Spec = { type: 'Lead', leaves: ['id', 'name', 'company', 'email', 'source', 'status', 'score', 'createdAt'] };
const STAGE: Spec = { type: 'Stage', leaves: ['id', 'name', 'position', 'kind', 'probability', 'rottingAfterDays'] };
const PIPELINE_LEAVES = ['id', 'name', 'createdAt'];
const DEAL_LEAVES = ['id', 'title', 'value', 'status', 'version', 'createdAt', 'updatedAt', 'stageEnteredAt', 'closedAt',
  'lastActivityAt', 'expectedCloseDate', 'lostReason'];
const CARD: Spec = { type: 'Deal', leaves: DEAL_LEAVES, objects: { owner: { spec: USER }, lead: { spec: LEAD } } };
const DEALS_ARGS = ['(first: $n)', '(first: 2, orderBy: [{ field: VALUE, direction: DESC }])', '(first: $n, filter: { ownerId: "rep-1" })'];

const BOARD: Spec = {
  type: 'Pipeline', leaves: PIPELINE_LEAVES,
  objects: { stages: { spec: { type: 'Stage', leaves: STAGE.leaves, objects: {
    deals: { args: 'ARGS', spec: { type: 'DealConnection', leaves: ['totalCount'], objects: { nodes: { spec: CARD } } } },
  } } } },
};
const DEAL: Spec = {
  type: 'Deal', leaves: DEAL_LEAVES,
  objects: {
    owner: { spec: USER }, lead: { spec: LEAD }, stage: { spec: STAGE }, pipeline: { spec: { type: 'Pipeline', leaves: PIPELINE_LEAVES } },
    history: { spec: { type: 'StageChange', leaves: ['id', 'changedAt'], objects: { fromStage: { spec: STAGE }, toStage: { spec: STAGE }, changedBy: { spec: USER } } } },
  },
};
const LIST: Spec = {
  type: 'DealConnection', leaves: ['totalCount'],
  objects: {
    nodes: { spec: CARD },
    edges: { spec: { type: 'DealEdge', leaves: ['cursor'], objects: { node: { spec: CARD } } } },
    pageInfo: { spec: { type: 'PageInfo', leaves: ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'] } },
  },
};

/** A small deterministic generator (mulberry32), so that a failure names the seed to replay. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  let aliases = 0;
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    /** A fresh alias: unique in the document, so merged selections never give one key two fields. */
    alias: () => `a${aliases++}`,
  };
}

/** Writes a random selection of `spec`, spelt at random; named fragments go to `fragments`. */
function selection(spec: Spec, rnd: ReturnType<typeof random>, fragments: string[]): string {
  const parts: string[] = [];
  const aliased = (name: string) => (rnd.chance(0.25) ? `${rnd.alias()}: ${name}` : name);
  const directive = () => rnd.pick(['', '', '', ' @include(if: $yes)', ' @skip(if: $no)']);
  for (const leaf of spec.leaves) {
    if (!rnd.chance(0.5)) continue;
    parts.push(`${aliased(leaf)}${directive()}`);
    if (rnd.chance(0.1)) parts.push(leaf); // asked twice: one answer
  }
  for (const [name, { args, spec: child }] of Object.entries(spec.objects ?? {})) {
    if (!rnd.chance(0.7)) continue;
    const argText = args === 'ARGS' ? rnd.pick(DEALS_ARGS) : args ?? '';
    const field = aliased(name);
    parts.push(`${field}${argText}${directive()} { ${selection(child, rnd, fragments)} }`);
    // The same response key again, with more below: graphql-js merges the two.
    if (rnd.chance(0.15)) parts.push(`${field}${argText} { ${selection(child, rnd, fragments)} }`);
  }
  if (rnd.chance(0.3)) parts.push('__typename');
  // A field it could not answer, left out by a directive: never executed, so nothing to answer.
  if (spec.type === 'Deal' && rnd.chance(0.3)) parts.push(rnd.pick(['isStalled @skip(if: true)', 'health @include(if: false) { reasons }']));
  if (parts.length === 0) parts.push('__typename');
  // Wrap some of them in fragments.
  const wrapped = parts.map((part) => {
    if (!rnd.chance(0.3)) return part;
    if (rnd.chance(0.5)) return `... on ${spec.type}${rnd.pick(['', ' @include(if: $yes)'])} { ${part} }`;
    const name = `F${fragments.length}`;
    fragments.push(`fragment ${name} on ${spec.type} { ${part} }`);
    return `...${name}`;
  });
  return wrapped.join(' ');
}

function document(root: string, spec: Spec, seed: number): string {
  const rnd = random(seed);
  const fragments: string[] = [];
  const body = selection(spec, rnd, fragments);
  const text = `${rnd.pick(['', 'answer: '])}${root} { used: __typename @include(if: $yes) @skip(if: $no) ${body} } }
    ${fragments.join('\n')}`;
  // Only the variables it reads are declared (an unused one does not validate).
  const declared = ['$id: ID!', '$n: Int = 3', '$yes: Boolean!', '$no: Boolean!'].filter((v) => new RegExp(`\\${v.split(':')[0]}\\b`).test(text));
  return `query Q(${declared.join(', ')}) { ${text}`;
}

async function board() {
  const { ws, admin, pipeline } = await newBoard(t, 3);
  await signIn(t, ws.token('REP', 'rep-1'));
  const deals: string[] = [];
  for (const [i, value] of [250.5, 1000, 75.25, 0.1, 12345678.99].entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead "${i}" ü`, company: i ? `Co ${i}` : null, source: 'REFERRAL' } })).createLead
      : null;
    const deal = await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: pipeline.stages[i < 3 ? 0 : 1].id, title: `Deal ${i} \\ "quoted"`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T10:20:30.456Z' : undefined,
    });
    deals.push(deal.id);
  }
  ok(await gql(t.url, admin, MoveDealDocument, { id: deals[0], stageId: pipeline.stages[1].id }));
  return { admin, pipeline: pipeline.id, deal: deals[0] };
}

/** The document over HTTP (the SQL path when it answers), and graphql-js executing the resolvers in process. */
async function bothWays(token: string, text: string, variables: Record<string, unknown>) {
  t.statements.length = 0;
  const response = await fetch(t.url, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: text, variables }),
  });
  const body = JSON.parse(await response.text()) as { data?: unknown; errors?: unknown };
  const answeredBySql = t.statements.length === 1 && t.statements[0].includes('json_build_object');
  const { dataSource, services } = t.app;
  const contextValue = await createContext({ dataSource, services, afterCommit: () => {} }, token, t.app.config.jwtSecret);
  const executed = await execute({ schema: t.app.schema, document: parse(text), variableValues: variables, contextValue });
  return { body, answeredBySql, executed };
}

const ROOTS: [string, string, Spec][] = [
  ['the board', 'pipeline(id: $id)', BOARD],
  ['a deal', 'deal(id: $id)', DEAL],
  ['the first page of deals', 'deals(first: $n, orderBy: [{ field: VALUE, direction: ASC }])', LIST],
];

test.each(ROOTS)('%s: random selections and spellings are answered in SQL, byte for byte as graphql-js answers them', async (_name, root, spec) => {
  const { admin, pipeline, deal } = await board();
  const id = root.startsWith('deal(') ? deal : pipeline;
  for (let seed = 1; seed <= 25; seed++) {
    const text = document(root, spec, seed);
    const variables = { id, yes: seed % 2 === 0, no: seed % 3 === 0 };
    const { body, answeredBySql, executed } = await bothWays(admin, text, variables);
    expect({ seed, errors: body.errors }).toEqual({ seed, errors: undefined });
    expect(executed.errors).toBeUndefined();
    expect({ seed, text, answeredBySql }).toEqual({ seed, text, answeredBySql: true });
    expect({ seed, text, bytes: JSON.stringify(body.data) }).toEqual({ seed, text, bytes: JSON.stringify(executed.data) });
  }
});
