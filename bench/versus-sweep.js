'use strict';
/**
 * The lists both servers can express, timed on each, one request at a time: every pair of
 * DealFilter equalities that PostGraphile's `condition` also says (a pipeline, a stage, a status,
 * an owner, a lead source; values that pick many deals and values that pick none), in every
 * DealOrder and direction, with `totalCount`. Prints the lists where our median latency is the
 * larger, worst first: a plan that reads far more than the other server's shows here before a
 * shape written for `run.js` meets it. Against two running servers on the versus workspace
 * `bench` (README: "Versus PostGraphile"):
 *
 *   node bench/versus-sweep.js --dealstream http://127.0.0.1:4811/graphql --postgraphile http://127.0.0.1:4812/graphql \
 *     --database postgres://…/dealstream_versus [--top 25] [--kind leads] [--only source]
 *
 * `--kind leads`: the lead lists instead, every LeadFilter equality alone and in pairs.
 * `--only <text>`: just the lists whose name holds that text (`won,`, `source}`, `VALUE DESC`).
 */
const { median, sweepFixture } = require('./lib/sweep');
const { signToken } = require('./lib/token');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const urls = { dealstream: option('dealstream', 'http://127.0.0.1:4811/graphql'), postgraphile: option('postgraphile', 'http://127.0.0.1:4812/graphql') };
const top = Number(option('top', 25));
const token = signToken({ sub: 'admin', wid: 'bench', role: 'ADMIN', name: 'Admin' }, option('secret', 'bench-secret-of-enough-length'));

const ORDERS = ['CREATED_AT', 'VALUE', 'UPDATED_AT', 'EXPECTED_CLOSE_DATE', 'STAGE_ENTERED_AT', 'TITLE'];
/** Each condition as both servers write it: [ours, PostGraphile's], from the fixture's ids. */
const conditions = (f) => ({
  pipeline: [`pipelineId: "${f.pipeline}"`, `pipelineId: "${f.pipeline}"`],
  stage: [`stageIds: ["${f.stage}"]`, `stageId: "${f.stage}"`],
  open: ['status: OPEN', 'status: OPEN'],
  won: ['status: WON', 'status: WON'],
  owner: [`ownerId: "${f.owner.external}"`, `ownerId: "${f.owner.id}"`],
  nobody: [`ownerId: "${f.nobody.external}"`, `ownerId: "${f.nobody.id}"`],
  source: ['leadSource: REFERRAL', 'leadSource: REFERRAL'],
  noSource: ['leadSource: OUTBOUND', 'leadSource: OUTBOUND'],
});

/** Every condition of `named` alone, and every pair of two on different fields. */
function conditionSets(named) {
  const field = (name) => named[name][1].split(':')[0];
  const names = Object.keys(named);
  return [...names.map((n) => [n]), ...names.flatMap((a, i) => names.slice(i + 1).filter((b) => field(a) !== field(b)).map((b) => [a, b]))];
}

/** Every condition alone and every pair of two fields, in each order and direction. */
function lists(f) {
  const named = conditions(f);
  return conditionSets(named).flatMap((set) => ORDERS.flatMap((order) => ['ASC', 'DESC'].map((direction) => ({
    name: `{${set.join(', ')}} ${order} ${direction}`,
    dealstream: `{ deals(filter: { ${set.map((n) => named[n][0]).join(', ')} }, orderBy: [{ field: ${order}, direction: ${direction} }], first: 20) {
      totalCount nodes { id title value } } }`,
    // A pipeline or a stage holds the list to the workspace; PostGraphile is told it only where neither does.
    postgraphile: `{ allDeals(condition: { ${set.some((n) => n === 'pipeline' || n === 'stage') ? '' : 'workspaceId: "bench", '}deletedAt: null,
      ${set.map((n) => named[n][1]).join(', ')} },
      orderBy: [${order}_${direction}, ROW_ID_${direction}], first: 20) { totalCount nodes { rowId title value } } }`,
  }))));
}

/** The lead lists both servers can say: every lead filter equality alone and in pairs, oldest first. */
function leadLists(f) {
  const named = {
    campaign: ['campaign: "campaign-3"', 'campaign: "campaign-3"'],
    noCampaign: ['campaign: "campaign-none"', 'campaign: "campaign-none"'],
    owner: [`ownerId: "${f.owner.external}"`, `ownerId: "${f.owner.id}"`],
    nobody: [`ownerId: "${f.nobody.external}"`, `ownerId: "${f.nobody.id}"`],
    source: ['source: REFERRAL', 'source: REFERRAL'],
    rareSource: ['source: OTHER', 'source: OTHER'],
    converted: ['status: CONVERTED', 'status: CONVERTED'],
    nurturing: ['status: NURTURING', 'status: NURTURING'],
  };
  return [[], ...conditionSets(named)].flatMap((set) => [20, 100].map((first) => ({
    name: `leads {${set.join(', ')}} first ${first}`,
    dealstream: `{ leads(filter: { ${set.map((n) => named[n][0]).join(', ')} }, first: ${first}) { totalCount nodes { id name status } } }`,
    postgraphile: `{ allLeads(condition: { workspaceId: "bench", ${set.map((n) => named[n][1]).join(', ')} },
      orderBy: [CREATED_AT_ASC, ROW_ID_ASC], first: ${first}) { totalCount nodes { rowId name status } } }`,
  })));
}

async function post(server, query) {
  const started = performance.now();
  const response = await fetch(urls[server], { method: 'POST',
    headers: { 'content-type': 'application/json', ...(server === 'dealstream' ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }) });
  const json = await response.json();
  if (json.errors) throw new Error(`${server}: ${JSON.stringify(json.errors)}\n${query}`);
  return performance.now() - started;
}

async function main() {
  const timed = [];
  const f = await sweepFixture(option('database', 'postgres://postgres@127.0.0.1:5432/dealstream_versus'));
  const all = option('kind', 'deals') === 'leads' ? leadLists(f) : lists({ ...f, stage: f.stages[1] });
  const only = option('only', '');
  const chosen = all.filter((list) => list.name.includes(only));
  for (const list of chosen) {
    const ours = await median(() => post('dealstream', list.dealstream));
    const theirs = await median(() => post('postgraphile', list.postgraphile));
    timed.push({ name: list.name, ours, theirs });
  }
  const slower = timed.filter((t) => t.ours > t.theirs).sort((a, b) => b.ours / b.theirs - a.ours / a.theirs);
  const ratio = timed.map((t) => t.ours / t.theirs).sort((a, b) => a - b);
  console.log(`median ratio ${ratio[Math.floor(ratio.length / 2)].toFixed(2)}×, ours / theirs summed ${(timed.reduce((s, t) => s + t.ours, 0) / timed.reduce((s, t) => s + t.theirs, 0)).toFixed(2)}×`);
  console.log(`${timed.length} lists; ours slower in ${slower.length}; the worst ${Math.min(top, slower.length)} (median of 9, one request at a time):`);
  for (const t of slower.slice(0, top)) {
    console.log(`${(t.ours / t.theirs).toFixed(2).padStart(6)}×  ${t.ours.toFixed(1).padStart(6)} ms against ${t.theirs.toFixed(1).padStart(6)} ms  ${t.name}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
