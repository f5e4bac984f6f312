import { CreateLeadDocument, DeleteDealDocument, LogActivityDocument, MoveDealDocument } from '../generated/graphql';
import { createDeal } from '../factories/pipeline.factory';
import { newBoard, signIn } from '../factories/workspace.factory';
import { sql } from '../helpers/database';
import { gql, ok, untyped } from '../helpers/graphql';
import { buildsAnswer, resolversAnswer, startTestApp, TestApp } from '../helpers/test-app';

/**
 * The whole-answer-in-SQL path (infra/sql-answers/sql-answers.plugin.ts) claims `pipeline(id)`,
 * `pipelines`, `deal(id)`, the first page of `deals(...)` and `leads(...)`, `lead(id)`, `users`
 * and `me`, alone or several in one document, with every field the node readers answer, relations
 * within relations (a deal's lead's activities, a stage's pipeline's stages, an activity's deal). For random selections of those
 * fields, spelt at random (named and inline fragments, aliases, @include/@skip with variables,
 * __typename, fields asked twice, skipped fields it could not answer), it must answer every
 * one itself (a statement that builds its JSON text) and serialise to the very bytes graphql-js
 * executing the resolvers gives for the same document.
 */
let t: TestApp;
beforeAll(async () => {
  // Random documents over four root fields run long: the shape limits are not what is tested here.
  t = await startTestApp({
    QUERY_MAX_COST: '1000000000', QUERY_MAX_ALIASES: '1000', QUERY_MAX_DIRECTIVES: '1000', QUERY_MAX_TOKENS: '100000', QUERY_MAX_DEPTH: '20',
  });
});
afterAll(() => t.stop());

interface Spec {
  type: string;
  leaves: string[];
  objects?: Record<string, { args?: string; spec: Spec }>;
}

const USER: Spec = { type: 'User', leaves: ['id', 'name', 'email', 'role'] };
const LEAD_LEAVES = ['id', 'name', 'company', 'email', 'source', 'status', 'score', 'createdAt'];
const LEAD: Spec = { type: 'Lead', leaves: LEAD_LEAVES };
const STAGE_LEAVES = ['id', 'name', 'position', 'kind', 'probability', 'rottingAfterDays'];
const STAGE: Spec = { type: 'Stage', leaves: STAGE_LEAVES };
const PIPELINE_LEAVES = ['id', 'name', 'createdAt'];
const PIPELINE: Spec = { type: 'Pipeline', leaves: PIPELINE_LEAVES };
const DEAL_LEAVES = ['id', 'title', 'value', 'status', 'version', 'createdAt', 'updatedAt', 'stageEnteredAt', 'closedAt',
  'lastActivityAt', 'expectedCloseDate', 'lostReason', 'isStalled'];
const ACTIVITY_LEAVES = ['id', 'type', 'subject', 'dueAt', 'doneAt', 'createdAt'];
const ACTIVITY: Spec = { type: 'Activity', leaves: ACTIVITY_LEAVES, objects: { owner: { spec: USER } } };
const DEAL_PLAIN: Spec = { type: 'Deal', leaves: DEAL_LEAVES, objects: { owner: { spec: USER } } };
// Relations within relations: a stage's pipeline and stages, a lead's deal and activities, an activity's deal and lead.
const STAGE_IN: Spec = { type: 'Stage', leaves: STAGE_LEAVES, objects: { pipeline: { spec: { type: 'Pipeline', leaves: PIPELINE_LEAVES, objects: { stages: { spec: STAGE } } } } } };
const LEAD_IN: Spec = { type: 'Lead', leaves: LEAD_LEAVES, objects: { owner: { spec: USER }, deal: { spec: DEAL_PLAIN }, activities: { spec: ACTIVITY } } };
const ACTIVITY_IN: Spec = { type: 'Activity', leaves: ACTIVITY_LEAVES, objects: { owner: { spec: USER }, deal: { spec: DEAL_PLAIN }, lead: { spec: LEAD } } };
const CARD: Spec = {
  type: 'Deal', leaves: DEAL_LEAVES,
  objects: { owner: { spec: USER }, lead: { spec: LEAD_IN }, stage: { spec: STAGE_IN }, pipeline: { spec: { type: 'Pipeline', leaves: PIPELINE_LEAVES, objects: { stages: { spec: STAGE } } } } },
};
const DEALS_ARGS = ['(first: $n)', '(first: 2, orderBy: [{ field: VALUE, direction: DESC }])', '(first: $n, filter: { ownerId: "rep-1" })',
  '(first: 1, filter: { status: OPEN })', '(filter: { valueMin: 1 }, orderBy: [{ field: TITLE, direction: ASC }])',
  '(first: 2, filter: { status: WON }, orderBy: [{ field: VALUE, direction: DESC }])'];
const LIST: Spec = {
  type: 'DealConnection', leaves: ['totalCount'],
  objects: {
    nodes: { spec: CARD },
    edges: { spec: { type: 'DealEdge', leaves: ['cursor'], objects: { node: { spec: CARD } } } },
    pageInfo: { spec: { type: 'PageInfo', leaves: ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'] } },
  },
};

const BOARD: Spec = {
  type: 'Pipeline', leaves: PIPELINE_LEAVES,
  objects: {
    stages: { spec: { type: 'Stage', leaves: STAGE.leaves, objects: { deals: { args: 'ARGS', spec: LIST } } } },
    deals: { args: 'ARGS', spec: LIST },
  },
};
const DEAL: Spec = {
  type: 'Deal', leaves: DEAL_LEAVES,
  objects: {
    owner: { spec: USER }, lead: { spec: LEAD_IN }, stage: { spec: STAGE_IN }, pipeline: { spec: PIPELINE },
    history: { spec: { type: 'StageChange', leaves: ['id', 'changedAt'], objects: { fromStage: { spec: STAGE_IN }, toStage: { spec: STAGE }, changedBy: { spec: USER } } } },
    activities: { spec: ACTIVITY_IN },
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
    // Random arguments under a fresh alias: a parent asked twice would otherwise merge two
    // differing argument lists under one key, which no valid query does.
    const field = args === 'ARGS' ? `${rnd.alias()}: ${name}` : aliased(name);
    parts.push(`${field}${argText}${directive()} { ${selection(child, rnd, fragments)} }`);
    // The same response key again, with more below: graphql-js merges the two.
    if (rnd.chance(0.15)) parts.push(`${field}${argText} { ${selection(child, rnd, fragments)} }`);
  }
  if (rnd.chance(0.3)) parts.push('__typename');
  // A field it could not answer (a page after a cursor), left out by a directive: never executed, so nothing to answer.
  if (spec.type === 'Deal' && rnd.chance(0.3)) parts.push('skipped: timeline(after: "elsewhere") @include(if: false) { pageInfo { hasNextPage } }');
  // The first page of its timeline: a union of changes and activities (a field merged with
  // another of its response key must have the same arguments: with arguments, a fresh alias).
  if (spec.type === 'Deal' && rnd.chance(0.3)) {
    const args = rnd.pick(['', '(first: 2)', '(first: $n)', '(first: 0)']);
    parts.push(`${args ? `${rnd.alias()}: timeline` : aliased('timeline')}${args} { ${timeline(rnd, fragments)} }`);
  }
  // Its health's reasons (its days run on the clock: the next test compares those).
  if (spec.type === 'Deal' && rnd.chance(0.4)) parts.push(`${aliased('health')} { reasons${rnd.chance(0.3) ? ' __typename' : ''} }`);
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

/** Some of a union's members' fields, spelt at random: inline fragments, a named fragment, __typename. */
function timelineItem(rnd: ReturnType<typeof random>, fragments: string[]): string {
  const some = (fields: string[]) => fields.filter(() => rnd.chance(0.5)).join(' ') || '__typename';
  const change = some(['seq', 'type', 'occurredAt', '__typename', 'changes { field from to }', 'changes { __typename to }',
    'fromStage { id name }', 'toStage { name }', 'actor { name }', 'deal { id title }']);
  // Aliased where the members' fields of one name have other types (a query may not merge those).
  const activity = some(['id', 'subject', 'kind: type', 'doneAt', 'createdAt', '__typename', 'owner { name }', 'on: deal { title }']);
  let onChange = rnd.chance(0.8) ? `... on DealEvent { ${change} }` : '';
  if (onChange && rnd.chance(0.3)) {
    const name = `F${fragments.length}`;
    fragments.push(`fragment ${name} on DealEvent { ${change} }`);
    onChange = `...${name}`;
  }
  const parts = [rnd.chance(0.5) ? '__typename' : '', onChange, rnd.chance(0.8) ? `... on Activity { ${activity} }` : ''];
  return parts.filter(Boolean).join(' ') || '__typename';
}

/** A timeline page's fields, spelt at random. */
function timeline(rnd: ReturnType<typeof random>, fragments: string[]): string {
  const parts = [
    rnd.chance(0.6) ? `edges { ${rnd.chance(0.7) ? 'cursor ' : ''}node { ${timelineItem(rnd, fragments)} } }` : '',
    rnd.chance(0.5) ? `nodes { ${timelineItem(rnd, fragments)} }` : '',
    rnd.chance(0.5) ? 'pageInfo { hasNextPage hasPreviousPage startCursor endCursor }' : '',
  ];
  return parts.filter(Boolean).join(' ') || '__typename';
}

/** A document asking for each of `roots` (a root field and its spec), spelt at random. */
function document(roots: [string, Spec][], seed: number): string {
  const rnd = random(seed);
  const fragments: string[] = [];
  const asked = roots.map(([root, spec]) => {
    const body = selection(spec, rnd, fragments);
    return `${rnd.pick(['', `${rnd.alias()}: `])}${root} { used: __typename @include(if: $yes) @skip(if: $no) ${body} }`;
  });
  const text = `${asked.join(' ')}${rnd.chance(0.3) ? ' __typename' : ''} }
    ${fragments.join('\n')}`;
  // Only the variables it reads are declared (an unused one does not validate).
  const declared = ['$pipeline: ID!', '$deal: ID!', '$lead: ID!', '$n: Int = 3', '$yes: Boolean!', '$no: Boolean!'].filter((v) => new RegExp(`\\${v.split(':')[0]}\\b`).test(text));
  return `query Q(${declared.join(', ')}) { ${text}`;
}

async function board() {
  const { ws, admin, pipeline } = await newBoard(t, 3);
  await signIn(t, ws.token('REP', 'rep-1'));
  const deals: string[] = [];
  const leads: string[] = [];
  for (const [i, value] of [250.5, 1000, 75.25, 0.1, 12345678.99].entries()) {
    const lead = i % 2 === 0
      ? ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: `Lead "${i}" ü`, company: i ? `Co ${i}` : null, source: 'REFERRAL' } })).createLead
      : null;
    if (lead) leads.push(lead.id);
    const deal = await createDeal(t.url, admin, {
      pipelineId: pipeline.id, stageId: pipeline.stages[i < 3 ? 0 : 1].id, title: `Deal ${i} \\ "quoted"`, value,
      ownerId: i === 1 ? undefined : 'rep-1', leadId: lead?.id, expectedCloseDate: i === 2 ? '2027-03-01T10:20:30.456Z' : undefined,
    });
    deals.push(deal.id);
  }
  // A lead without a deal.
  ok(await gql(t.url, admin, CreateLeadDocument, { input: { name: 'Lead alone', source: 'REFERRAL' } }));
  ok(await gql(t.url, admin, MoveDealDocument, { id: deals[0], stageId: pipeline.stages[1].id }));
  for (const [i, type] of (['CALL', 'EMAIL', 'NOTE'] as const).entries()) {
    ok(await gql(t.url, admin, LogActivityDocument, { input: { dealId: deals[0], type, subject: `Step ${i} "ü"`, dueAt: i === 1 ? '2027-01-02T03:04:05.678Z' : undefined } }));
    ok(await gql(t.url, admin, LogActivityDocument, { input: { leadId: leads[0], type, subject: `Lead step ${i}` } }));
  }
  // A converted lead whose deal is gone: its `deal` is null on both paths.
  ok(await gql(t.url, admin, DeleteDealDocument, { id: deals[4] }));
  // Stalled and not: deal 1 idle for 10 days in a stage that rots after 3, deal 2 fresh there;
  // deal 0 and 3 in a stage that rots after 30 days.
  await sql('UPDATE stages SET rotting_after_days = CASE id WHEN $1::uuid THEN 3 ELSE 30 END WHERE id IN ($1::uuid, $2::uuid)',
    [pipeline.stages[0].id, pipeline.stages[1].id]);
  await sql("UPDATE deals SET stage_entered_at = now() - interval '10 days' WHERE id = $1", [deals[1]]);
  return { admin, pipeline: pipeline.id, deal: deals[0], lead: leads[0] };
}

/**
 * The document over HTTP (the SQL path when it answers), twice: the first request of a document
 * goes through Apollo's pipeline, the next through the known-operations door, which writes
 * PostgreSQL's JSON text as it comes (`raw`); and graphql-js executing the resolvers in process.
 */
async function bothWays(token: string, text: string, variables: Record<string, unknown>) {
  const send = async () => {
    t.statements.length = 0;
    const response = await fetch(t.url, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: text, variables }),
    });
    return { text: await response.text(), answeredBySql: t.statements.length === 1 && buildsAnswer(t.statements[0]) };
  };
  const first = await send();
  const again = await send();
  const body = JSON.parse(first.text) as { data?: unknown; errors?: unknown };
  const executed = await resolversAnswer(t, token, untyped(text), variables);
  return { body, raw: again.text, answeredBySql: first.answeredBySql && again.answeredBySql, executed };
}

const LEAD_NODE: Spec = { type: 'Lead', leaves: LEAD.leaves, objects: { owner: { spec: USER }, deal: { spec: CARD }, activities: { spec: ACTIVITY_IN } } };
const PAGE_INFO: Spec = { type: 'PageInfo', leaves: ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'] };
const LEAD_LIST: Spec = {
  type: 'LeadConnection', leaves: ['totalCount'],
  objects: {
    nodes: { spec: LEAD_NODE },
    edges: { spec: { type: 'LeadEdge', leaves: ['cursor'], objects: { node: { spec: LEAD_NODE } } } },
    pageInfo: { spec: PAGE_INFO },
  },
};
const LEADS_ROOT: [string, Spec] = ['leads(first: $n, filter: { source: REFERRAL })', LEAD_LIST];
const PIPELINE_ROOT: [string, Spec] = ['pipeline(id: $pipeline)', BOARD];
const DEAL_ROOT: [string, Spec] = ['deal(id: $deal)', DEAL];
const LIST_ROOT: [string, Spec] = ['deals(first: $n, orderBy: [{ field: VALUE, direction: ASC }])', LIST];
const PIPELINES_ROOT: [string, Spec] = ['pipelines', BOARD];
const LEAD_ROOT: [string, Spec] = ['lead(id: $lead)', LEAD_NODE];
const USERS_ROOT: [string, Spec] = ['users', USER];
const ME_ROOT: [string, Spec] = ['me', USER];

const ROOTS: [string, [string, Spec][]][] = [
  ['the board', [PIPELINE_ROOT]],
  ['a deal', [DEAL_ROOT]],
  ['the first page of deals', [LIST_ROOT]],
  ['every pipeline', [PIPELINES_ROOT]],
  ['the first page of leads', [LEADS_ROOT]],
  ['a lead', [LEAD_ROOT]],
  ['the members and the caller', [USERS_ROOT, ME_ROOT]],
  ['several root fields in one document', [PIPELINES_ROOT, DEAL_ROOT, LIST_ROOT, PIPELINE_ROOT, LEADS_ROOT, LEAD_ROOT, USERS_ROOT, ME_ROOT]],
];

test.each(ROOTS)('%s: random selections and spellings are answered in SQL, byte for byte as graphql-js answers them', async (_name, roots) => {
  const { admin, pipeline, deal, lead } = await board();
  for (let seed = 1; seed <= 25; seed++) {
    // Several roots: a random non-empty subset of them, in random order.
    const rnd = random(seed * 7919);
    const some = roots.length === 1 ? roots : roots.filter(() => rnd.chance(0.6)).sort(() => (rnd.chance(0.5) ? 1 : -1));
    const text = document(some.length ? some : roots.slice(0, 2), seed);
    const variables = { pipeline, deal, lead, yes: seed % 2 === 0, no: seed % 3 === 0 };
    const { body, raw, answeredBySql, executed } = await bothWays(admin, text, variables);
    expect({ seed, errors: body.errors }).toEqual({ seed, errors: undefined });
    expect({ seed, text, errors: executed.errors }).toEqual({ seed, text, errors: undefined });
    expect({ seed, text, answeredBySql }).toEqual({ seed, text, answeredBySql: true });
    expect({ seed, text, bytes: JSON.stringify(body.data) }).toEqual({ seed, text, bytes: JSON.stringify(executed.data) });
    // The text PostgreSQL wrote, as the door sent it: the very bytes graphql-js's result serialises to.
    expect({ seed, text, raw }).toEqual({ seed, text, raw: `${JSON.stringify({ data: executed.data })}\n` });
  }
});

test("a root list joins its rows' single-row relations (and theirs) beside its page once; a nested list reads them per row", async () => {
  const { admin, pipeline } = await board();
  const text = `query Q($pipeline: ID!) {
    deals(first: 5) { nodes { title stage { name pipeline { name } } owner { name } } edges { node { pipeline { name } } } }
    pipeline(id: $pipeline) { stages { deals(first: 2) { nodes { title stage { name } } } } } }`;
  const { body, answeredBySql, executed } = await bothWays(admin, text, { pipeline });
  expect(answeredBySql).toBe(true);
  expect(JSON.stringify(body.data)).toBe(JSON.stringify(executed.data));
  // A nested list's page is one per parent row: a join there would be planned per parent (bench/RESULTS.md).
  const joins = t.statements[0].match(/LEFT JOIN \w+/g);
  expect(joins).toEqual(['LEFT JOIN stages', 'LEFT JOIN pipelines', 'LEFT JOIN users', 'LEFT JOIN pipelines']);
});

test("a page carries only the columns the statement reads of its rows, its cursors' keys among them", async () => {
  const { admin, pipeline } = await board();
  const text = `query Q($pipeline: ID!) {
    deals(first: 3) { edges { cursor node { title owner { name } } } }
    pipeline(id: $pipeline) { stages { deals(first: 2) { nodes { value } pageInfo { endCursor } } } } }`;
  const { body, answeredBySql, executed } = await bothWays(admin, text, { pipeline });
  expect(answeredBySql).toBe(true);
  expect(JSON.stringify(body.data)).toBe(JSON.stringify(executed.data));
  // Before the page's own columns: its numbers (`__n`), or its sort keys (`__s0`…) where one field alone reads it.
  const pages = [...t.statements[0].matchAll(/WITH page AS \(SELECT (.*?), (?:row_number\(\)|[^,]+ AS __s0)/g)].map((m) => m[1].split(', ').sort());
  expect(pages).toEqual([
    ['t."__k0"', 't."__k1"', 't."owner_id"', 't."title"'],
    ['t."__k0"', 't."__k1"', 't."value"'],
  ]);
  // The root list is read by `edges` alone: `first` rows, unnumbered. The stages' lists are read twice (nodes, endCursor).
  const forms = [...t.statements[0].matchAll(/WITH page AS \(SELECT .*?, (row_number\(\)|[^,]+ AS __s0)/g)].map((m) => m[1]);
  expect(forms).toEqual(['t.created_at AS __s0', 'row_number()']);
  expect(t.statements[0]).toContain('LIMIT 3)');
  // The root list's cursor head is a parameter; the stages' is a column of each stage's page, hashed
  // once there. A stage the statement read in the viewer's workspace is not checked again.
  expect(t.statements[0].match(/sha256\(/g)).toHaveLength(1);
  expect(t.statements[0]).toMatch(/ AS __h FROM/);
  expect(t.statements[0]).not.toContain('FROM stages scope');
});

test("a root list of a stage the client names still checks that the stage is the viewer's", async () => {
  const { admin, pipeline } = await board();
  const stages = (await bothWays(admin, 'query Q($pipeline: ID!) { pipeline(id: $pipeline) { stages { id } } }', { pipeline })).body as
    { data: { pipeline: { stages: { id: string }[] } } };
  const stage = stages.data.pipeline.stages[0].id;
  const { raw, answeredBySql, executed } = await bothWays(admin, 'query Q($s: ID!) { deals(first: 2, filter: { stageIds: [$s] }) { totalCount nodes { title } } }', { s: stage });
  expect(answeredBySql).toBe(true);
  expect(raw).toBe(`${JSON.stringify({ data: executed.data })}\n`);
  expect(t.statements[0]).toContain('FROM stages scope');
  const other = await board(); // another workspace names the same stage: no deal of it
  const { body } = await bothWays(other.admin, 'query Q($s: ID!) { deals(first: 2, filter: { stageIds: [$s] }) { totalCount nodes { title } } }', { s: stage });
  expect(body.data).toEqual({ deals: { totalCount: 0, nodes: [] } });
});

test('a list that one field reads is unnumbered however it is spelled: fragments, directives, a skipped pageInfo', async () => {
  const { admin, pipeline } = await board();
  const text = `query Q($p: ID!, $no: Boolean!) { deals(filter: { pipelineId: $p }, first: 4) { ...Ids ... on DealConnection { nodes { title } }
    pageInfo @include(if: $no) { endCursor } } }
    fragment Ids on DealConnection { __typename nodes { id ...Stage } }
    fragment Stage on Deal { stage @skip(if: $no) { name } }`;
  const { body, answeredBySql, executed } = await bothWays(admin, text, { p: pipeline, no: false });
  expect(answeredBySql).toBe(true);
  expect(JSON.stringify(body.data)).toBe(JSON.stringify(executed.data));
  const forms = [...t.statements[0].matchAll(/WITH page AS \(SELECT .*?, (row_number\(\)|[^,]+ AS __s0)/g)].map((m) => m[1]);
  expect(forms).toEqual(['t.created_at AS __s0']);
});

test('isStalled is answered in SQL as the resolver answers it, stalled deals and others', async () => {
  const { admin, pipeline } = await board();
  const text = 'query Q($pipeline: ID!) { pipeline(id: $pipeline) { stages { deals(first: 10) { nodes { title isStalled } } } } }';
  const { body, answeredBySql, executed } = await bothWays(admin, text, { pipeline });
  expect(answeredBySql).toBe(true);
  expect(JSON.stringify(body.data)).toBe(JSON.stringify(executed.data));
  type Card = { title: string; isStalled: boolean };
  const cards = (body.data as { pipeline: { stages: { deals: { nodes: Card[] } }[] } }).pipeline.stages.flatMap((s) => s.deals.nodes);
  expect(cards.length).toBe(4);
  expect(cards.filter((c) => c.isStalled).map((c) => c.title)).toEqual(['Deal 1 \\ "quoted"']);
});

test('root fields no statement claims, beside claimed ones, go to the resolvers; the claimed ones still in one statement', async () => {
  const { admin, pipeline } = await board();
  const card = 'fragment Card on Deal { id title value isStalled owner { name } }';
  const cases: [string, Record<string, unknown>][] = [
    // The client's board: the pipeline's columns and the metrics tiles, in fragments, with a default variable.
    [`query Q($pipeline: ID!, $n: Int = 3) { pipeline(id: $pipeline) { id stages { name deals(first: $n) { totalCount nodes { ...Card } } } }
      pipelineMetrics(pipelineId: $pipeline) { ...Tiles } deals(first: 2) { nodes { ...Card } } }
      fragment Tiles on PipelineMetrics { openDealCount openValue winRate stages { stage { name } dealCount stalledCount } } ${card}`, { pipeline }],
    // In a fragment at the root, aliased, with a nullable root the resolvers answer (null: no such webhook).
    [`query Q($pipeline: ID!) { ...Roots } fragment Roots on Query { m: pipelineMetrics(pipelineId: $pipeline) { openDealCount }
      p: pipeline(id: $pipeline) { name } webhook(id: "00000000-0000-4000-8000-000000000000") { id } __typename }`, { pipeline }],
    // A non-null root the resolvers refuse: no data at all, as graphql-js answers.
    [`query Q($pipeline: ID!) { pipeline(id: $pipeline) { name } pipelineMetrics(pipelineId: "00000000-0000-4000-8000-000000000000") { openDealCount } }`, { pipeline }],
  ];
  for (const [text, variables] of cases) {
    const { body, executed } = await bothWays(admin, text, variables);
    expect({ text, statement: t.statements.filter((s) => s.includes('q.answer')).length }).toEqual({ text, statement: 1 });
    expect({ text, bytes: JSON.stringify(body.data) }).toEqual({ text, bytes: JSON.stringify(executed.data) });
    const paths = (e: readonly { path?: unknown }[] | undefined) => e?.map((x) => x.path);
    expect({ text, errors: paths(body.errors as never) }).toEqual({ text, errors: paths(executed.errors) });
  }
  const refused = (await bothWays(admin, cases[2][0], cases[2][1])).body;
  expect(refused.data).toBeNull();
  expect((refused.errors as { extensions: { code: string } }[])[0].extensions.code).toBe('NOT_FOUND');
});

test("a deal's health is answered in SQL as its loader answers it: its reasons, and its days within the time between the two", async () => {
  const { admin, pipeline } = await board();
  const text = 'query Q($pipeline: ID!) { pipeline(id: $pipeline) { stages { deals(first: 10) { nodes { title health { daysInStage daysSinceActivity reasons } } } } } }';
  const { body, answeredBySql, executed } = await bothWays(admin, text, { pipeline });
  expect(answeredBySql).toBe(true);
  type Card = { title: string; health: { daysInStage: number; daysSinceActivity: number | null; reasons: string[] } };
  const cards = (data: unknown) => (data as { pipeline: { stages: { deals: { nodes: Card[] } }[] } }).pipeline.stages.flatMap((s) => s.deals.nodes);
  const [sqlCards, resolverCards] = [cards(body.data), cards(executed.data)];
  expect(sqlCards.map((c) => [c.title, c.health.reasons])).toEqual(resolverCards.map((c) => [c.title, c.health.reasons]));
  expect(sqlCards.some((c) => c.health.reasons.includes('ROTTING'))).toBe(true);
  sqlCards.forEach((c, i) => {
    expect(Math.abs(c.health.daysInStage - resolverCards[i].health.daysInStage)).toBeLessThan(60 / 86_400);
    expect(c.health.daysSinceActivity === null).toBe(resolverCards[i].health.daysSinceActivity === null);
  });
  expect(sqlCards.some((c) => c.health.daysSinceActivity !== null)).toBe(true);
});

test('a page after a cursor of deals and of leads is answered in SQL, byte for byte as graphql-js answers it', async () => {
  const { admin, pipeline } = await board();
  const lists = [
    'deals(first: 2, after: $after, orderBy: [{ field: VALUE, direction: DESC }])',
    // A pipeline's list in an order it has no index for: a capped walk of the workspace's index.
    `deals(first: 1, after: $after, orderBy: [{ field: UPDATED_AT, direction: DESC }], filter: { pipelineId: "${pipeline}", leadSource: REFERRAL })`,
    'deals(first: 1, after: $after, filter: { ownerId: "rep-1" })',
    'deals(first: 2, after: $after, orderBy: [{ field: TITLE, direction: ASC }], filter: { status: OPEN })',
    'leads(first: 1, after: $after, filter: { source: REFERRAL })',
  ];
  for (const list of lists) {
    const text = (body: string) => `query P($after: String) { ${list} { ${body} } }`;
    const page = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id __typename } }';
    let after: string | null = null;
    for (let n = 0; n < 3; n++) {
      const { body, raw, answeredBySql, executed } = await bothWays(admin, text(page), { after });
      expect({ list, n, answeredBySql, errors: body.errors }).toEqual({ list, n, answeredBySql: true, errors: undefined });
      expect(raw).toBe(`${JSON.stringify({ data: executed.data })}\n`);
      const connection = Object.values(body.data as Record<string, { pageInfo: { endCursor: string | null; hasPreviousPage: boolean } }>)[0];
      expect(connection.pageInfo.hasPreviousPage).toBe(n > 0);
      after = connection.pageInfo.endCursor;
      if (!after) break;
    }
  }
});

test('a cursor of another list, of another workspace or with keys PostgreSQL cannot read is refused as the general path refuses it', async () => {
  const { admin } = await board();
  const first = (await bothWays(admin, '{ deals(first: 1) { pageInfo { endCursor } } }', {})).body as { data: { deals: { pageInfo: { endCursor: string } } } };
  const cursor = first.data.deals.pageInfo.endCursor;
  const other = await board(); // another workspace
  const body = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { k: string[] };
  const tampered = Buffer.from(JSON.stringify({ ...body, k: body.k.map(() => 'not a value') })).toString('base64url');
  const cases: [string, string, Record<string, unknown>][] = [
    [admin, 'query ($c: String) { deals(first: 1, after: $c, orderBy: [{ field: VALUE, direction: DESC }]) { nodes { id } } }', { c: cursor }],
    [other.admin, 'query ($c: String) { deals(first: 1, after: $c) { nodes { id } } }', { c: cursor }],
    [admin, 'query ($c: String) { deals(first: 1, after: $c) { nodes { id } } }', { c: tampered }],
  ];
  const codes = [];
  for (const [token, text, variables] of cases) {
    const { body: answer, executed } = await bothWays(token, text, variables);
    const [error] = (answer.errors ?? []) as { message: string; extensions: { code: string; field?: string }; path: string[] }[];
    expect(error.path).toEqual(['deals']);
    expect(error.message).toBe(executed.errors![0].message);
    codes.push([error.extensions.code, error.extensions.field]);
  }
  expect(codes).toEqual([['BAD_USER_INPUT', 'after'], ['NOT_FOUND', undefined], ['BAD_USER_INPUT', 'after']]);
});
