'use strict';
/**
 * Dealstream side by side with PostGraphile v5 on the same database: `npm run bench`
 * (in bench/). Seeds or reuses the database, builds and starts Dealstream, starts
 * PostGraphile, counts SQL statements per request, then drives both with the same load,
 * alternating A/B, and prints a table with the ratio Dealstream/PostGraphile per scenario.
 * Options: --deals 100000 --connections 10 --duration 10 --warmup 5 --rounds 3
 * --scenarios board,deal,page,move (also: typename) --database <url> --ref <commit> (build that commit, not the working tree)
 * --fresh (drop the database and seed it anew: the write shapes grow its ledgers run after run).
 */
const { parseArgs } = require('node:util');
const { buildDealstream } = require('./lib/build');
const { prepareDatabase, loadFixture } = require('./lib/database');
const { countStatements, measure, checkAnswers } = require('./lib/drive');
const { report } = require('./lib/report');
const { startDealstream, startPostGraphile, startHello } = require('./lib/servers');
const { startStatementCounter } = require('./lib/statement-counter');
const { signToken } = require('./lib/token');

const { values: opts } = parseArgs({
  options: {
    deals: { type: 'string', default: '100000' },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    scenarios: { type: 'string', default: 'board,deal,page,move' },
    database: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_versus' },
    ref: { type: 'string' },
    fresh: { type: 'boolean', default: false },
  },
});
const WORKSPACE = 'bench';
const JWT_SECRET = 'dealstream-bench-secret-0123456789';
const load = { connections: Number(opts.connections), duration: Number(opts.duration), warmup: Number(opts.warmup) };
const scenarioNames = opts.scenarios.split(',');

/** The same database through the statement-counting proxy. */
function viaPort(url, port) {
  return Object.assign(new URL(url), { host: `127.0.0.1:${port}` }).toString();
}

/** `databaseUrls`: one URL for both servers, or one per server. */
async function withServers(appDir, databaseUrls, work) {
  const urls = typeof databaseUrls === 'string' ? { dealstream: databaseUrls, postgraphile: databaseUrls } : databaseUrls;
  const servers = [await startDealstream(urls.dealstream, JWT_SECRET, appDir), await startPostGraphile(urls.postgraphile)];
  try {
    return await work(servers);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

async function main() {
  await prepareDatabase(opts.database, WORKSPACE, Number(opts.deals), { fresh: opts.fresh });
  const appDir = buildDealstream(opts.ref);
  const fixture = await loadFixture(opts.database, WORKSPACE);
  const headers = {
    dealstream: { authorization: `Bearer ${signToken({ sub: 'admin', wid: WORKSPACE, role: 'ADMIN', name: 'Admin' }, JWT_SECRET)}` },
    postgraphile: {},
  };

  // 1. Statements per request, each server behind a counting proxy of its own.
  const counters = { dealstream: await startStatementCounter(), postgraphile: await startStatementCounter() };
  const urls = { dealstream: viaPort(opts.database, counters.dealstream.port), postgraphile: viaPort(opts.database, counters.postgraphile.port) };
  const statements = await withServers(appDir, urls, async (servers) => {
    await checkAnswers(servers, headers, scenarioNames, fixture);
    return countStatements(servers, headers, scenarioNames, fixture, counters, opts.database);
  });
  await Promise.all(Object.values(counters).map((c) => c.close()));

  // 2. Load: the ceiling first, then each scenario, A/B alternating.
  const hello = await startHello();
  const ceiling = await measure(hello, {}, 'hello', fixture, load, 1, opts.database);
  await hello.stop();
  const results = await withServers(appDir, opts.database, async (servers) => {
    const all = {};
    for (const scenario of scenarioNames) {
      all[scenario] = await measure(servers, headers, scenario, fixture, load, Number(opts.rounds), opts.database);
    }
    return all;
  });

  console.log(report({ ceiling, results, statements, scenarioNames, load, rounds: Number(opts.rounds), deals: Number(opts.deals) }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
