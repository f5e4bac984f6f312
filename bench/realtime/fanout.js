'use strict';
/**
 * Fan-out benchmark of live delivery. For each N: N graphql-ws clients (separate processes)
 * subscribe to one pipeline's `dealEvents` and `pipelineMetricsUpdated`, spread evenly over
 * the run's API instances; a writer moves deals through the API (round robin over the
 * instances) at a steady rate (latency), then as fast as it can (delivery rate). The same
 * number of clients take the same broadcast from one bare `ws` server, the ceiling: its steady
 * windows alternate with the API's (`--rounds`), so that both sides meet the same load.
 *
 *   node bench/realtime/fanout.js [--clients 2000,10000] [--instances 1,1] [--nats [url]]
 *                                 [--count-statements] [--rate 2] [--seconds 20] [--rounds 4] [--order abba|abab] [--flood 10] [--ref HEAD]
 *
 * `--instances` pairs with `--clients` (N subscribers over that many instances; default 1
 * each). With `--nats` (default nats://127.0.0.1:4222) the instances run with NATS_URL:
 * one relays the log to JetStream and every one delivers from it. With `--count-statements`
 * the instances reach PostgreSQL through a counting proxy (bench/lib/statement-counter.js),
 * so the run reports every statement they sent per second, background sessions included; the
 * proxy adds a hop to every statement, so latency runs go without it.
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL, default database dealstream_realtime_bench).
 */
const { buildDealstream } = require('../lib/build');
const { startStatementCounter } = require('../lib/statement-counter');
const { signToken } = require('../lib/token');
const {
  SECRET, cpuMs, gql, cpuSplitMs, deleteStream, metric, prepareDatabase, rssKb, sleep, startServer, writeCalls, xacts,
} = require('./instances');
const { clientsFor, mergeReports, percentiles, worker } = require('./workers');

const args = {};
process.argv.slice(2).forEach((arg, i, all) => {
  if (arg.startsWith('--')) args[arg.slice(2)] = all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true';
});
const CLIENTS = (args.clients || '2000,10000').split(',').map(Number);
const INSTANCES = args.instances ? args.instances.split(',').map(Number) : CLIENTS.map(() => 1);
if (INSTANCES.length !== CLIENTS.length) throw new Error('--instances needs one count per --clients value');
const NATS_URL = args.nats === 'true' ? 'nats://127.0.0.1:4222' : args.nats;
const RATE = Number(args.rate || 20);
const SECONDS = Number(args.seconds || 20);
const FLOOD = Number(args.flood || 10);
const ROUNDS = Number(args.rounds || 4);
const ORDER = args.order || 'abba';
if (!['abba', 'abab'].includes(ORDER)) throw new Error('--order is abba or abab');
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dealstream_realtime_bench';
const LOG_READS = 'dealstream_event_log_reads_total';

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

/** Moves deals through the API (each move to another stage than the deal's, so each writes an event): `rate` per second for `seconds`, or (rate 0) with `concurrency` writers flat out. */
async function write(urls, setup, { rate, seconds, concurrency = 8, gaps = [], from = 0 }) {
  let n = from;
  const moveNext = async () => {
    const i = n++;
    const { moveDeal } = await gql(urls[i % urls.length], setup.token, 'mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { id updatedAt } }',
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

/** The log statements each instance ran for delivery so far (with NATS, only the relay's grow). */
const logReads = (servers) => Promise.all(servers.map((server) => metric(server.url, LOG_READS)));

async function main() {
  const appDir = buildDealstream(args.ref === 'worktree' ? undefined : (args.ref || 'HEAD'));
  await prepareDatabase(appDir, DATABASE_URL);
  const counter = args['count-statements'] ? await startStatementCounter() : undefined;
  const apiDatabaseUrl = counter ? Object.assign(new URL(DATABASE_URL), { port: String(counter.port) }).toString() : DATABASE_URL;
  if (NATS_URL) await deleteStream(appDir, NATS_URL, apiDatabaseUrl);
  const results = [];
  for (const [i, n] of CLIENTS.entries()) {
    const instances = INSTANCES[i];
    const servers = [];
    for (let k = 0; k < instances; k++) servers.push(await startServer(appDir, { DATABASE_URL: apiDatabaseUrl, ...(NATS_URL ? { NATS_URL } : {}) }));
    const urls = servers.map((server) => server.url);
    const setup = await setUp(urls[0]);
    await sleep(1000);
    const idleRss = servers.map((server) => rssKb(server.pid));
    const clients = await clientsFor(n, { token: setup.token, pipelineId: setup.pipelineId, mode: 'graphql' }, urls.map((url) => url.replace(/^http/, 'ws')));
    // Backends report their statistics up to 10 s after they go idle: wait, so that the
    // subscribe storm does not land in the measured window.
    await sleep(12_000);
    const rssPerSocket = (servers.reduce((sum, server, k) => sum + rssKb(server.pid) - idleRss[k], 0) * 1024) / n;
    // The ceiling's server and sockets, connected now and idle while the API side runs: the
    // steady windows of both sides alternate (below), so that a change in the machine's load
    // lands on both alike rather than on whichever ran second.
    const bare = worker('bare-server.js');
    const { port } = await bare.ask();
    await sleep(500);
    const bareIdleRss = rssKb(bare.pid);
    const bareClients = await clientsFor(n, { url: `ws://127.0.0.1:${port}`, mode: 'bare' });
    await sleep(3000);
    const bareRssPerSocket = ((rssKb(bare.pid) - bareIdleRss) * 1024) / n;

    // Four moves before the window, on both sides (four broadcasts on the bare server): the
    // first events' code paths, server and clients, run cold otherwise, and one move alone is
    // 2.5% of the window's samples. The bare server then sends what the clients received.
    await clients.reset();
    const warmUp = await write(urls, setup, { rate: 2, seconds: 2 });
    await sleep(1000);
    const { samples } = await clients.report();
    if (!samples) throw new Error('The warm-up moves reached no subscriber');
    await bare.ask({ cmd: 'steady', rate: 2, seconds: 2, samples });
    await sleep(1000);

    // ROUNDS windows of SECONDS / ROUNDS per side, alternating which side goes first.
    const perRound = SECONDS / ROUNDS;
    const steadyParts = [];
    // Each instance's subscribers apart (the relay is the one that reads the log).
    const instanceParts = servers.map(() => []);
    const bareParts = [];
    const gaps = [];
    let moves = 0;
    let statements = 0;
    let transactions = 0;
    const logReadsDone = servers.map(() => 0);
    // CPU the servers spent in the steady windows (the API instances together; the bare server):
    // per move, it tells the two sides' work apart from what the machine's load does to latency.
    let apiCpuMs = 0;
    let bareCpuMs = 0;
    // Of which system time (the kernel's side of the socket writes).
    let apiSystemMs = 0;
    let bareSystemMs = 0;
    // And the write system calls: one per socket per message, or fewer when a socket's frames leave together.
    let apiWrites = 0;
    let bareWrites = 0;
    const apiWindows = [];
    // The subscriber processes' CPU in the same windows: both sides' clients read the same
    // messages, so this stays alike unless one side's delivery makes them work harder.
    let apiClientCpuMs = 0;
    let bareClientCpuMs = 0;
    const clientsCpu = (group) => group.pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
    const serversCpu = () => servers.reduce((sum, server) => sum + cpuMs(server.pid), 0);
    const serversSystem = () => servers.reduce((sum, server) => sum + cpuSplitMs(server.pid).system, 0);
    const serversWrites = () => servers.reduce((sum, server) => sum + writeCalls(server.pid), 0);
    const apiRound = async () => {
      await clients.reset();
      const [x0, reads0] = [await xacts(DATABASE_URL), await logReads(servers)];
      const [cpu0, system0, writes0, clientCpu0] = [serversCpu(), serversSystem(), serversWrites(), clientsCpu(clients)];
      counter?.reset();
      // Numbered on from the moves before, so that every move takes its deal to another stage.
      const from = Date.now();
      moves += await write(urls, setup, { rate: RATE, seconds: perRound, gaps, from: warmUp + moves });
      // The API's windows in each instance's own clock (ms since it was started, as --trace-gc counts; within the spawn's delay).
      apiWindows.push(servers.map((server) => [from - server.startedAt, Date.now() + 1000 - server.startedAt]));
      await sleep(2000);
      apiCpuMs += serversCpu() - cpu0;
      apiClientCpuMs += clientsCpu(clients) - clientCpu0;
      apiSystemMs += serversSystem() - system0;
      apiWrites += serversWrites() - writes0;
      statements += counter ? counter.count(true) : NaN;
      const [x1, reads1] = [await xacts(DATABASE_URL), await logReads(servers)];
      transactions += x1 - x0;
      reads1.forEach((r, k) => { logReadsDone[k] += r - reads0[k]; });
      const byInstance = await clients.reportByUrl();
      byInstance.forEach((report, k) => instanceParts[k].push(report));
      steadyParts.push(mergeReports(byInstance));
    };
    const bareRound = async () => {
      await bareClients.reset();
      const cpu0 = cpuSplitMs(bare.pid);
      const writes0 = writeCalls(bare.pid);
      const clientCpu0 = clientsCpu(bareClients);
      await bare.ask({ cmd: 'steady', rate: RATE, seconds: perRound });
      await sleep(1000);
      const cpu1 = cpuSplitMs(bare.pid);
      bareClientCpuMs += clientsCpu(bareClients) - clientCpu0;
      bareCpuMs += cpu1.user + cpu1.system - cpu0.user - cpu0.system;
      bareSystemMs += cpu1.system - cpu0.system;
      bareWrites += writeCalls(bare.pid) - writes0;
      bareParts.push(await bareClients.report());
    };
    // ABBA (the default) balances a drift of the machine's load; ABAB gives every window but the
    // API's first the same idle stretch before it (one window of the other side), where ABBA
    // idles the API 24 s before its second window and the bare server not at all before its own.
    for (let round = 0; round < ROUNDS; round++) {
      const apiFirst = ORDER === 'abab' || round % 2 === 0;
      for (const side of apiFirst ? [apiRound, bareRound] : [bareRound, apiRound]) await side();
    }
    const steady = mergeReports(steadyParts);
    steady.counts.closes = steadyParts.at(-1).counts.closes; // each window's count is the running total
    const bareSteady = mergeReports(bareParts);
    const window = ROUNDS * (perRound + 2);

    await clients.reset();
    const floodMoves = await write(urls, setup, { rate: 0, seconds: FLOOD, from: warmUp + moves });
    await sleep(3000);
    const flood = await clients.report();
    await clients.close();
    for (const server of servers) await server.stop();

    await bareClients.reset();
    await bare.ask({ cmd: 'flood', seconds: FLOOD });
    await sleep(2000);
    const bareFlood = await bareClients.report();
    await bareClients.close();
    bare.kill();

    const delivered = flood.counts.events + flood.counts.metrics;
    const rate = delivered / ((flood.lastAt - flood.firstAt) / 1000);
    const bareRate = (bareFlood.counts.events + bareFlood.counts.metrics) / ((bareFlood.lastAt - bareFlood.firstAt) / 1000);
    const result = {
      subscribers: n,
      instances,
      nats: Boolean(NATS_URL),
      steady: { moves, expected: moves * n, events: steady.counts.events, repeats: steady.counts.repeats, metrics: steady.counts.metrics, errors: steady.counts.errors, closes: steady.counts.closes, ...percentiles(steady),
        occurredAtToResponseMedianMs: gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] },
      steadyByInstance: instanceParts.map((parts) => {
        const { p50, p95, p99 } = percentiles(mergeReports(parts));
        return { p50, p95, p99 };
      }),
      messageBytes: steady.sizes,
      // The moves whose subscribers waited longest on average (move number in the window, mean, slowest).
      slowestMoves: Object.entries(steady.perEvent).sort(([a], [b]) => Number(a) - Number(b))
        .map(([, [sum, n, max]], i) => ({ move: i + 1, meanMs: Math.round(sum / n), maxMs: max }))
        .sort((a, b) => b.meanMs - a.meanMs).slice(0, 4),
      // Every move's mean latency in order (window after window): where the slow ones fall.
      moveMeansMs: Object.entries(steady.perEvent).sort(([a], [b]) => Number(a) - Number(b))
        .map(([, [sum, n]]) => Math.round(sum / n)),
      dbTransactionsPerSecond: transactions / window,
      dbStatementsPerSecond: statements / window,
      logReadsPerSecondByInstance: logReadsDone.map((r) => r / window),
      flood: { moves: floodMoves, events: flood.counts.events, metrics: flood.counts.metrics, messagesPerSecond: rate },
      bare: { ...percentiles(bareSteady), messagesPerSecond: bareRate },
      serverCpuMsPerMove: { api: apiCpuMs / moves, bare: bareCpuMs / (RATE * perRound * ROUNDS),
        apiSystem: apiSystemMs / moves, bareSystem: bareSystemMs / (RATE * perRound * ROUNDS) },
      clientCpuMsPerMove: { api: apiClientCpuMs / moves, bare: bareClientCpuMs / (RATE * perRound * ROUNDS) },
      writeCallsPerMove: { api: apiWrites / moves, bare: bareWrites / (RATE * perRound * ROUNDS) },
      ...(process.env.BENCH_TRACE_GC ? { apiWindowsMs: { pids: servers.map((server) => server.pid), windows: apiWindows } } : {}),
      rssPerSocketBytes: rssPerSocket,
      bareRssPerSocketBytes: bareRssPerSocket,
    };
    results.push(result);
    console.log(JSON.stringify(result));
    console.log(`N=${n} on ${instances} instance(s)${NATS_URL ? ' with NATS' : ''}: latency p50/p95/p99 ${fmt(result.steady.p50)}/${fmt(result.steady.p95)}/${fmt(result.steady.p99)} ms `
      + `(${result.steady.events}/${result.steady.expected} events, ${result.steady.repeats} repeated or out of order; occurredAt to the writer's response: median ${result.steady.occurredAtToResponseMedianMs} ms) | bare ws ${fmt(result.bare.p50)}/${fmt(result.bare.p95)}/${fmt(result.bare.p99)} ms | `
      + `delivered ${Math.round(rate)} msg/s vs bare ${Math.round(bareRate)} msg/s (${(rate / bareRate).toFixed(2)}x) | `
      + `server CPU per move ${fmt(result.serverCpuMsPerMove.api)} ms vs bare ${fmt(result.serverCpuMsPerMove.bare)} ms `
      + `(system ${fmt(result.serverCpuMsPerMove.apiSystem)} vs ${fmt(result.serverCpuMsPerMove.bareSystem)} ms; `
      + `write calls ${Math.round(result.writeCallsPerMove.api)} vs ${Math.round(result.writeCallsPerMove.bare)}) | `
      + `subscribers' CPU per move ${fmt(result.clientCpuMsPerMove.api)} vs ${fmt(result.clientCpuMsPerMove.bare)} ms | `
      + `${(rssPerSocket / 1024).toFixed(1)} KB per idle subscriber (bare ws ${(bareRssPerSocket / 1024).toFixed(1)} KB) | ${counter ? `${fmt(result.dbStatementsPerSecond)} statements/s, ` : ''}${fmt(result.dbTransactionsPerSecond)} transactions/s at ${RATE} moves/s `
      + `(log reads/s per instance: ${result.logReadsPerSecondByInstance.map(fmt).join(', ')})`
      + (instances > 1 ? ` | p50/p99 per instance: ${result.steadyByInstance.map((q) => `${fmt(q.p50)}/${fmt(q.p99)}`).join(', ')} ms` : ''));
  }
  // The shared NATS server keeps nothing of the run.
  if (NATS_URL) await deleteStream(appDir, NATS_URL, apiDatabaseUrl);
  return results;
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
