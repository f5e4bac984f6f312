'use strict';
/**
 * Every list a client can ask for, timed one request at a time: each DealFilter condition
 * (alone and the equalities two at a time) in every DealOrder and direction, on the root list
 * and under a pipeline and its stages, the LeadFilter conditions alone and in pairs, and the
 * root lists again a few pages in (`--depth` pages after the first, by their cursors). Prints
 * the slowest lists by median latency. Against a running server on the versus workspace
 * `bench` (README: "Versus PostGraphile"):
 *
 *   node bench/list-sweep.js --url http://127.0.0.1:4811/graphql --database postgres://…/dealstream_versus [--depth 40] [--top 25]
 */
const { median, sweepFixture } = require('./lib/sweep');
const { signToken } = require('./lib/token');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const url = option('url', 'http://127.0.0.1:4811/graphql');
const depth = Number(option('depth', 3));
const top = Number(option('top', 25));
const token = signToken({ sub: 'admin', wid: 'bench', role: 'ADMIN', name: 'Admin' }, option('secret', 'bench-secret-of-enough-length'));

const ORDERS = ['CREATED_AT', 'VALUE', 'UPDATED_AT', 'EXPECTED_CLOSE_DATE', 'STAGE_ENTERED_AT', 'TITLE'].flatMap((field) =>
  ['ASC', 'DESC'].map((direction) => `${field} ${direction}`));
/** DealFilter conditions; `$`-names are variables. The first seven are equalities PostGraphile's `condition` can also say. */
const DEAL = {
  pipeline: 'pipelineId: $p', stage: 'stageIds: [$s]', open: 'status: OPEN', won: 'status: WON', owner: 'ownerId: $owner',
  source: 'leadSource: REFERRAL', stages: 'stageIds: $stages', lost: 'status: LOST',
  // Values that pick few deals or none: a source no lead of the seed converted from, a member who owns no deal.
  noSource: 'leadSource: OUTBOUND', nobody: 'ownerId: "admin"',
  valueMin: 'valueMin: 50000', valueMax: 'valueMax: 1000', createdAfter: 'createdAfter: $since', closedBefore: 'closedBefore: $since',
  stalled: 'stalled: true', search: 'search: "deal 4"',
};
const EQUALITIES = ['pipeline', 'stage', 'open', 'won', 'lost', 'owner', 'source', 'noSource', 'nobody'];
const LEAD = { mql: 'status: MQL', converted: 'status: CONVERTED', referral: 'source: REFERRAL', outbound: 'source: OUTBOUND',
  owner: 'ownerId: $owner', campaign: 'campaign: "campaign-7"' };
const TYPES = { p: 'ID!', s: 'ID!', stages: '[ID!]', owner: 'ID!', since: 'DateTime!', after: 'String' };

/** A document declaring only the variables `body` uses. */
function document(body) {
  const used = Object.keys(TYPES).filter((name) => new RegExp(`\\$${name}\\b`).test(body));
  return `query${used.length ? `(${used.map((name) => `$${name}: ${TYPES[name]}`).join(', ')})` : ''} ${body}`;
}

function lists() {
  const out = [];
  const deals = (filter, order, extra = '') => `deals(filter: {${filter}}, orderBy: [{field: ${order.replace(' ', ', direction: ')}}], first: 20${extra})`;
  // Two values of one field are not a pair (two statuses, two owners, two sources).
  const field = (name) => DEAL[name].split(':')[0];
  const pairs = EQUALITIES.flatMap((a, i) => EQUALITIES.slice(i + 1).filter((b) => field(a) !== field(b)).map((b) => [a, b]));
  for (const order of ORDERS) {
    for (const name of Object.keys(DEAL)) out.push([`deals {${name}} ${order}`, document(`{ ${deals(DEAL[name], order)} { nodes { id title value } } }`)]);
    for (const [a, b] of pairs) {
      out.push([`deals {${a}, ${b}} ${order} totalCount`, document(`{ ${deals(`${DEAL[a]}, ${DEAL[b]}`, order)} { totalCount nodes { id title } } }`)]);
    }
    for (const name of ['open', 'won', 'owner', 'source', 'noSource', 'nobody', 'stalled', 'valueMin']) {
      const column = deals(DEAL[name], order).replace('first: 20', 'first: 5');
      out.push([`board {${name}} ${order}`, document(`{ pipeline(id: $p) { stages { id ${column} { totalCount nodes { id title } } } } }`)]);
    }
  }
  const leads = Object.keys(LEAD);
  for (const [i, a] of leads.entries()) {
    for (const b of [null, ...leads.slice(i + 1)]) {
      if (b && LEAD[a].split(':')[0] === LEAD[b].split(':')[0]) continue;
      const filter = b ? `${LEAD[a]}, ${LEAD[b]}` : LEAD[a];
      out.push([`leads {${b ? `${a}, ${b}` : a}}`, document(`{ leads(filter: {${filter}}, first: 20) { totalCount nodes { id name owner { name } deal { id } } } }`)]);
    }
  }
  return out;
}

/** The root lists of equalities again, `depth` pages in. */
function laterPages() {
  return ['pipeline', 'stage', 'stages', 'open', 'owner'].flatMap((name) => ORDERS.map((order) => [
    `deals {${name}} ${order}, page ${depth + 1}`,
    document(`{ deals(filter: {${DEAL[name]}}, orderBy: [{field: ${order.replace(' ', ', direction: ')}}], first: 20, after: $after) {
      nodes { id } pageInfo { endCursor } } }`),
  ]));
}

async function post(query, variables) {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }) });
  const json = await response.json();
  if (json.errors) throw new Error(`${JSON.stringify(json.errors)}\n${query}`);
  return { ms: performance.now() - started, data: json.data };
}

async function main() {
  const f = await sweepFixture(option('database', 'postgres://postgres@127.0.0.1:5432/dealstream_versus'));
  const variables = { p: f.pipeline, s: f.stages[1], stages: f.stages.slice(0, 2), owner: f.owner.external,
    since: new Date(Date.now() - 90 * 86_400_000).toISOString() };
  const timedMedian = (query, vars) => median(async () => (await post(query, vars)).ms);
  const timed = [];
  for (const [name, query] of lists()) timed.push([await timedMedian(query, variables), name]);
  for (const [name, query] of laterPages()) {
    let after = null;
    for (let page = 0; page < depth; page++) after = (await post(query, { ...variables, after })).data.deals.pageInfo.endCursor;
    timed.push([await timedMedian(query, { ...variables, after }), name]);
  }
  timed.sort((a, b) => b[0] - a[0]);
  console.log(`${timed.length} lists; the slowest ${top} by median of 9 requests, one at a time:`);
  for (const [ms, name] of timed.slice(0, top)) console.log(`${ms.toFixed(1).padStart(7)} ms  ${name}`);
  const comparable = timed.filter(([, name]) => !/valueM|createdAfter|closedBefore|stalled|search/.test(name));
  console.log(`the slowest of the ${comparable.length} with equalities only: ${comparable[0][0].toFixed(1)} ms (${comparable[0][1]})`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
