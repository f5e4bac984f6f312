'use strict';
/**
 * Fan-out benchmark of live delivery. For each N: N graphql-ws clients (separate processes)
 * subscribe to one pipeline's `dealEvents` and `pipelineMetricsUpdated`; a writer moves deals
 * through the API at a steady rate (latency), then as fast as it can (delivery rate). Then
 * the same N clients take the same broadcast from a bare `ws` server: the ceiling.
 *
 *   node bench/realtime/fanout.js [--clients 2000,10000] [--rate 20] [--seconds 20] [--flood 10] [--ref HEAD]
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL, default database dealstream_realtime_bench).
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { Client } = require('pg');
const { buildDealstream } = require('../lib/build');
const { signToken } = require('../lib/token');
const { clientsFor, percentiles, worker } = require('./workers');

const ROOT = path.join(__dirname, '..', '..');
const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
const CLIENTS = (args.clients || '2000,10000').split(',').map(Number);
const RATE = Number(args.rate || 20);
const SECONDS = Number(args.seconds || 20);
const FLOOD = Number(args.flood || 10);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dealstream_realtime_bench';
const SECRET = 'realtime-bench-secret-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function sql(url, text, params = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try { return (await client.query(text, params)).rows; } finally { await client.end(); }
}

/** A fresh database, migrated by the very commit under test (the working tree may hold migrations it does not know). */
async function prepareDatabase(appDir) {
  const name = new URL(DATABASE_URL).pathname.slice(1);
  const admin = Object.assign(new URL(DATABASE_URL), { pathname: '/postgres' }).toString();
  await sql(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await sql(admin, `CREATE DATABASE "${name}"`);
  execFileSync('npm', ['run', '-s', 'migrate'], { cwd: appDir, stdio: 'inherit', env: { ...process.env, DATABASE_URL } });
}

function rssKb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function startServer(appDir) {
  const port = await freePort();
  const env = {
    ...process.env, DATABASE_URL, JWT_SECRET: SECRET, PORT: String(port), MIGRATE: 'false', SEED_DEMO: 'false', NODE_ENV: 'production',
    LOG_LEVEL: 'warn', WS_CONNECTIONS_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE: '0', DB_POOL_SIZE: '10',
  };
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []), path.join(appDir, 'dist', 'src', 'main.js')], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.resume();
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url.replace('/graphql', '/healthz'))).ok) break;
    } catch { /* not yet listening */ }
    if (Date.now() > deadline) throw new Error('the server did not start within 60 s');
    await sleep(200);
  }
  return { url, pid: child.pid, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

async function gql(url, token, query, variables) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function setUp(url) {
  const token = signToken({ sub: 'bench-admin', wid: `bench-rt-${Date.now()}`, role: 'ADMIN' }, SECRET);
  const stages = [1, 2, 3].map((i) => ({ name: `Stage ${i}`, kind: 'OPEN', probability: i / 4 })).concat(
    [{ name: 'Won', kind: 'WON', probability: 1 }, { name: 'Lost', kind: 'LOST', probability: 0 }]);
  const { createPipeline } = await gql(url, token, 'mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { id stages { id kind } } }', { i: { name: 'Bench', stages } });
  const open = createPipeline.stages.filter((s) => s.kind === 'OPEN').map((s) => s.id);
  const deals = [];
  for (let i = 0; i < 20; i++) {
    deals.push((await gql(url, token, 'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }', { i: { pipelineId: createPipeline.id, title: `Deal ${i}`, value: 1000 + i } })).createDeal.id);
  }
  return { token, pipelineId: createPipeline.id, open, deals };
}

async function xacts() {
  const [row] = await sql(DATABASE_URL, 'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(row.n);
}

/** Moves deals through the API (each move to another stage than the deal's, so each writes an event): `rate` per second for `seconds`, or (rate 0) with `concurrency` writers flat out. */
async function write(url, setup, { rate, seconds, concurrency = 8, gaps = [], from = 0 }) {
  let n = from;
  const moveNext = async () => {
    const i = n++;
    const { moveDeal } = await gql(url, setup.token, 'mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { id updatedAt } }',
      { id: setup.deals[i % setup.deals.length], s: setup.open[(1 + Math.floor(i / setup.deals.length)) % setup.open.length] });
    // The event's occurredAt is the deal's updatedAt, taken inside the transaction before it
    // commits: latency from it overstates commit-to-client latency by at most this much.
    gaps.push(Date.now() - Date.parse(moveDeal.updatedAt));
  };
  const until = Date.now() + seconds * 1000;
  if (rate > 0) {
    const pending = [];
    while (Date.now() < until) {
      pending.push(moveNext());
      await sleep(1000 / rate);
    }
    await Promise.all(pending);
  } else {
    await Promise.all(Array.from({ length: concurrency }, async () => { while (Date.now() < until) await moveNext(); }));
  }
  return n - from;
}

const fmt = (x) => (Number.isFinite(x) ? x.toFixed(1) : String(x));

async function main() {
  const appDir = buildDealstream(args.ref === 'worktree' ? undefined : (args.ref || 'HEAD'));
  await prepareDatabase(appDir);
  const results = [];
  for (const n of CLIENTS) {
    const server = await startServer(appDir);
    const setup = await setUp(server.url);
    await sleep(1000);
    const idleRss = rssKb(server.pid);
    const wsUrl = server.url.replace(/^http/, 'ws');
    const clients = await clientsFor(n, { url: wsUrl, token: setup.token, pipelineId: setup.pipelineId, mode: 'graphql' });
    // Backends report their statistics up to 10 s after they go idle: wait, so that the
    // subscribe storm does not land in the measured window.
    await sleep(12_000);
    const rssPerSocket = ((rssKb(server.pid) - idleRss) * 1024) / n;
    // Four moves before the window, on both sides (below, four broadcasts on the bare server):
    // the first events' code paths, server and clients, run cold otherwise, and one move alone
    // is 2.5% of the window's samples.
    const warmUp = await write(server.url, setup, { rate: 2, seconds: 2 });
    await sleep(1000);

    await clients.reset();
    const x0 = await xacts();
    const gaps = [];
    // Numbered on from the warm-up, so that every move takes its deal to another stage.
    const moves = await write(server.url, setup, { rate: RATE, seconds: SECONDS, gaps, from: warmUp });
    await sleep(2000);
    const x1 = await xacts();
    const steady = await clients.report();

    await clients.reset();
    const floodMoves = await write(server.url, setup, { rate: 0, seconds: FLOOD });
    await sleep(3000);
    const flood = await clients.report();
    await clients.close();
    await server.stop();

    // The ceiling: the same clients, the same message size, a bare ws broadcast.
    const bare = worker('bare-server.js');
    const { port } = await bare.ask();
    await sleep(500);
    const bareIdleRss = rssKb(bare.pid);
    const bareClients = await clientsFor(n, { url: `ws://127.0.0.1:${port}`, mode: 'bare' });
    await sleep(3000);
    const bareRssPerSocket = ((rssKb(bare.pid) - bareIdleRss) * 1024) / n;
    await bare.ask({ cmd: 'steady', rate: 2, seconds: 2, sizes: steady.sizes });
    await sleep(1000);
    await bareClients.reset();
    await bare.ask({ cmd: 'steady', rate: RATE, seconds: SECONDS });
    await sleep(1000);
    const bareSteady = await bareClients.report();
    await bareClients.reset();
    await bare.ask({ cmd: 'flood', seconds: FLOOD });
    await sleep(2000);
    const bareFlood = await bareClients.report();
    await bareClients.close();
    bare.kill();

    const delivered = flood.counts.events + flood.counts.metrics;
    const rate = delivered / ((flood.lastAt - flood.firstAt) / 1000);
    const bareRate = bareFlood.counts.bare / ((bareFlood.lastAt - bareFlood.firstAt) / 1000);
    const result = {
      subscribers: n,
      steady: { moves, expected: moves * n, events: steady.counts.events, metrics: steady.counts.metrics, errors: steady.counts.errors, closes: steady.counts.closes, ...percentiles(steady),
        occurredAtToResponseMedianMs: gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] },
      messageBytes: steady.sizes,
      // The moves whose subscribers waited longest on average (move number in the window, mean, slowest).
      slowestMoves: Object.entries(steady.perEvent).sort(([a], [b]) => Number(a) - Number(b))
        .map(([, [sum, n, max]], i) => ({ move: i + 1, meanMs: Math.round(sum / n), maxMs: max }))
        .sort((a, b) => b.meanMs - a.meanMs).slice(0, 4),
      dbTransactionsPerSecond: (x1 - x0) / (SECONDS + 2),
      flood: { moves: floodMoves, events: flood.counts.events, metrics: flood.counts.metrics, messagesPerSecond: rate },
      bare: { ...percentiles(bareSteady), messagesPerSecond: bareRate },
      rssPerSocketBytes: rssPerSocket,
      bareRssPerSocketBytes: bareRssPerSocket,
    };
    results.push(result);
    console.log(JSON.stringify(result));
    console.log(`N=${n}: latency p50/p95/p99 ${fmt(result.steady.p50)}/${fmt(result.steady.p95)}/${fmt(result.steady.p99)} ms `
      + `(${result.steady.events}/${result.steady.expected} events; occurredAt to the writer's response: median ${result.steady.occurredAtToResponseMedianMs} ms) | bare ws ${fmt(result.bare.p50)}/${fmt(result.bare.p95)}/${fmt(result.bare.p99)} ms | `
      + `delivered ${Math.round(rate)} msg/s vs bare ${Math.round(bareRate)} msg/s (${(rate / bareRate).toFixed(2)}x) | `
      + `${(rssPerSocket / 1024).toFixed(1)} KB per idle subscriber (bare ws ${(bareRssPerSocket / 1024).toFixed(1)} KB) | ${fmt(result.dbTransactionsPerSecond)} DB transactions/s at ${RATE} moves/s`);
  }
  return results;
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
