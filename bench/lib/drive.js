'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { refreshMoves, removeCreated } = require('./database');
const { cpuDuring } = require('./cpu');
const { bodyMaker, creates, isMove } = require('./scenarios');

async function post(server, headers, body) {
  const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const json = await response.json();
  if (response.status !== 200 || json.errors) throw new Error(`${server.name}: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

/** What both servers must agree on for the same request: the rows, in order (ids and titles). */
const SHAPES = {
  board: (d) => (d.pipeline
    ? d.pipeline.stages.map((s) => [s.deals.totalCount, s.deals.nodes.map((n) => n.title)])
    : d.pipelineByRowId.stagesByPipelineId.nodes.map((s) => [s.dealsByStageId.totalCount, s.dealsByStageId.nodes.map((n) => n.title)])),
  deal: (d) => (d.deal
    ? d.deal.history.map((h) => h.toStage.name)
    : d.dealByRowId.stageChangesByDealId.nodes.map((h) => h.stageByToStageId.name)),
  page: (d) => [(d.deals ?? d.allDeals).totalCount, (d.deals ?? d.allDeals).edges.map((e) => e.node.title)],
};

/** One request per scenario on each server: both must answer without errors, and with the same rows. */
async function checkAnswers([dealstream, postgraphile], headers, scenarios, fixture) {
  for (const scenario of scenarios) {
    if (!SHAPES[scenario]) continue; // move: checked under load, where every answer must be free of errors
    const a = SHAPES[scenario](await post(dealstream, headers.dealstream, bodyMaker(scenario, 'dealstream', fixture)(7)));
    const b = SHAPES[scenario](await post(postgraphile, headers.postgraphile, bodyMaker(scenario, 'postgraphile', fixture)(7)));
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      throw new Error(`${scenario}: the servers disagree\n dealstream:   ${JSON.stringify(a).slice(0, 400)}\n postgraphile: ${JSON.stringify(b).slice(0, 400)}`);
    }
    console.log(`${scenario}: both servers return the same rows`);
  }
}

/** SQL statements per request, averaged over 20 sequential requests after 3 warm ones. */
async function countStatements(servers, headers, scenarios, fixture, counters, databaseUrl) {
  const counts = {};
  for (const scenario of scenarios) {
    counts[scenario] = {};
    for (const server of servers) {
      if (isMove(scenario)) await refreshMoves(databaseUrl, fixture);
      const body = bodyMaker(scenario, server.name, fixture);
      for (let n = 0; n < 3; n++) await post(server, headers[server.name], body(n));
      const counter = counters[server.name];
      counter.reset();
      for (let n = 3; n < 23; n++) await post(server, headers[server.name], body(n));
      counts[scenario][server.name] = counter.count() / 20;
      if (creates(scenario)) await removeCreated(databaseUrl);
    }
    console.log(`${scenario}: statements per request ${JSON.stringify(counts[scenario])}`);
  }
  return counts;
}

/** One autocannon run in its own process. */
function runLoad(server, headers, scenario, fixture, connections, duration) {
  const spec = path.join(os.tmpdir(), `dealstream-bench-${process.pid}.json`);
  fs.writeFileSync(spec, JSON.stringify({ url: server.url, headers, scenario, server: server.name, fixture, connections, duration }));
  const result = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'load.js'), spec], { encoding: 'utf8' }));
  fs.rmSync(spec);
  if (result.errors > 0) console.warn(`  ${server.name} ${scenario}: ${result.errors} failed responses, e.g. ${result.firstFailure}`);
  return result;
}

/**
 * Warm-up on each server, then `rounds` measured runs per server, the order alternating
 * (A B, B A, A B …) so that neither side always runs on a warmer or cooler machine.
 */
async function measure(servers, headers, scenario, fixture, load, rounds, databaseUrl) {
  const list = Array.isArray(servers) ? servers : [servers];
  const runs = Object.fromEntries(list.map((s) => [s.name, []]));
  const run = async (server, duration) => {
    if (isMove(scenario)) await refreshMoves(databaseUrl, fixture);
    const { result, serverUs, postgresUs } = await cpuDuring(server.pid,
      async () => runLoad(server, headers[server.name] ?? {}, scenario, fixture, load.connections, duration));
    if (creates(scenario)) await removeCreated(databaseUrl);
    return { ...result, serverCpuUs: serverUs / result.requests, postgresCpuUs: postgresUs / result.requests };
  };
  for (const server of list) await run(server, load.warmup);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? list : [...list].reverse();
    for (const server of order) {
      const result = await run(server, load.duration);
      runs[server.name].push(result);
      console.log(`${scenario} ${server.name} round ${r + 1}: ${result.rps.toFixed(0)} rps, p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, CPU per request ${result.serverCpuUs.toFixed(0)} µs server + ${result.postgresCpuUs.toFixed(0)} µs PostgreSQL`);
    }
  }
  return runs;
}

module.exports = { checkAnswers, countStatements, measure };
