'use strict';
/**
 * What one subscriber costs the API's JavaScript heap: starts one API instance of the given
 * commit with the inspector on, opens N sockets that subscribe as the fan-out benchmark's do
 * (`dealEvents` and `pipelineMetricsUpdated` of one pipeline), and compares the heap after a
 * full collection before and after them (`process.memoryUsage()` in the API process, through
 * the inspector), and RSS. With `--snapshot`, also a heap snapshot on each side: the objects
 * that grew, by kind and constructor (or function) name, per subscriber.
 *
 *   node bench/realtime/heap.js [--ref HEAD] [--clients 2000] [--snapshot]
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL, default database dealstream_realtime_bench).
 */
const { buildDealstream } = require('../lib/build');
const { freePort } = require('../lib/servers');
const { signToken } = require('../lib/token');
const { SECRET, gql, prepareDatabase, rssKb, sleep, startServer } = require('./instances');
const { clientsFor } = require('./workers');
const { devtools } = require('./devtools');

const args = {};
process.argv.slice(2).forEach((arg, i, all) => {
  if (arg.startsWith('--')) args[arg.slice(2)] = all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true';
});
const CLIENTS = Number(args.clients || 2000);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dealstream_realtime_bench';

/** A Chrome DevTools Protocol session with the API process, with the heap's measures. */
async function inspector(port) {
  const { call, listen, unlisten, close } = await devtools(port);
  return {
    call,
    async heap() {
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const { result } = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
      return JSON.parse(result.value);
    },
    /** Counts and bytes of the heap's objects by kind and name. */
    async snapshot(withHolders = false) {
      const chunks = [];
      listen((m) => { if (m.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(m.params.chunk); });
      await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      unlisten();
      const snapshot = JSON.parse(chunks.join(''));
      const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
      const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
      const { edge_fields: edgeFields, edge_types: [edgeTypes] } = snapshot.snapshot.meta;
      const [edgeCountAt] = ['edge_count'].map((f) => fields.indexOf(f));
      const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f));
      const counts = new Map();
      const { nodes, edges, strings } = snapshot;
      const keyOf = (i) => {
        const type = types[nodes[i + typeAt]];
        let name = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number' ? '' : strings[nodes[i + nameAt]];
        if (name.length > 60) name = `${name.slice(0, 57)}...`;
        return `${type} ${name}`;
      };
      for (let i = 0; i < nodes.length; i += fields.length) {
        const key = keyOf(i);
        const entry = counts.get(key) ?? counts.set(key, { count: 0, bytes: 0, by: new Map() }).get(key);
        entry.count++;
        entry.bytes += nodes[i + sizeAt];
      }
      // Who holds each kind: the holder's kind and the edge's name, counted (weak edges aside).
      if (withHolders) {
        let edge = 0;
        for (let i = 0; i < nodes.length; i += fields.length) {
          const holder = keyOf(i);
          for (let e = 0; e < nodes[i + edgeCountAt]; e++, edge += edgeFields.length) {
            const edgeType = edgeTypes[edges[edge + edgeTypeAt]];
            if (edgeType === 'weak' || edgeType === 'shortcut') continue;
            const name = edgeType === 'element' || edgeType === 'hidden' ? `[${edgeType}]` : strings[edges[edge + edgeNameAt]];
            const by = counts.get(keyOf(edges[edge + toAt])).by;
            const k = `${holder}.${name}`;
            by.set(k, (by.get(k) ?? 0) + 1);
          }
        }
      }
      return counts;
    },
    close,
  };
}

async function main() {
  const appDir = buildDealstream(args.ref === 'worktree' ? undefined : (args.ref || 'HEAD'));
  await prepareDatabase(appDir, DATABASE_URL);
  const inspectPort = await freePort();
  const server = await startServer(appDir, { DATABASE_URL }, [`--inspect=127.0.0.1:${inspectPort}`]);
  try {
    const token = signToken({ sub: 'bench-admin', wid: `bench-heap-${Date.now()}`, role: 'ADMIN' }, SECRET);
    const stages = [1, 2, 3].map((i) => ({ name: `Stage ${i}`, kind: 'OPEN', probability: i / 4 })).concat(
      [{ name: 'Won', kind: 'WON', probability: 1 }, { name: 'Lost', kind: 'LOST', probability: 0 }]);
    const { createPipeline } = await gql(server.url, token, 'mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { id stages { id } } }', { i: { name: 'Bench', stages } });
    const deal = (await gql(server.url, token, 'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }', { i: { pipelineId: createPipeline.id, title: 'Deal', value: 1000 } })).createDeal.id;
    const session = await inspector(inspectPort);
    // Every path the subscribers take once before the baseline (a few sockets, a move, gone again), so that it holds the code and caches.
    const warm = await clientsFor(20, { token, pipelineId: createPipeline.id, mode: 'graphql' }, [server.url.replace(/^http/, 'ws')]);
    await gql(server.url, token, 'mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { id } }', { id: deal, s: createPipeline.stages[1].id });
    await sleep(1000);
    await warm.close();
    await sleep(1000);
    const before = await session.heap();
    const rssBefore = rssKb(server.pid);
    const snapshotBefore = args.snapshot ? await session.snapshot() : undefined;
    const clients = await clientsFor(CLIENTS, { token, pipelineId: createPipeline.id, mode: 'graphql' }, [server.url.replace(/^http/, 'ws')]);
    await gql(server.url, token, 'mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { id } }', { id: deal, s: createPipeline.stages[2].id });
    await sleep(3000);
    const after = await session.heap();
    const rssAfter = rssKb(server.pid);
    const per = (a, b) => ((a - b) / CLIENTS / 1024).toFixed(2);
    console.log(`${CLIENTS} subscribers: heap used ${(before.heapUsed / 2 ** 20).toFixed(1)} -> ${(after.heapUsed / 2 ** 20).toFixed(1)} MB, `
      + `${per(after.heapUsed, before.heapUsed)} KB per subscriber; external + array buffers ${per(after.external + after.arrayBuffers, before.external + before.arrayBuffers)} KB; `
      + `RSS ${per(rssAfter * 1024, rssBefore * 1024)} KB per subscriber (after a full collection)`);
    if (args.moves) {
      // What the moves leave on the heap: V8's sampling profile keeps only objects still alive
      // when it stops (promoted garbage a full collection has not taken yet included), by where
      // they were allocated.
      await session.call('HeapProfiler.startSampling', { samplingInterval: 2048 });
      for (let i = 0; i < Number(args.moves); i++) {
        await gql(server.url, token, 'mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { id } }', { id: deal, s: createPipeline.stages[i % 3].id });
        await sleep(500);
      }
      await sleep(1000);
      const { profile } = await session.call('HeapProfiler.stopSampling');
      const bySite = new Map();
      const walk = (node, stack) => {
        const frame = `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;
        const here = [...stack, frame].slice(-3).join(' < ');
        if (node.selfSize) bySite.set(here, (bySite.get(here) ?? 0) + node.selfSize);
        for (const child of node.children) walk(child, [...stack, frame]);
      };
      walk(profile.head, []);
      const total = [...bySite.values()].reduce((a, b) => a + b, 0);
      console.log(`${args.moves} moves leave ${(total / 2 ** 20).toFixed(1)} MB sampled on the heap (before any full collection); by where allocated:`);
      for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(bytes / 2 ** 20).toFixed(2).padStart(7)} MB  ${site}`);
    }
    if (args.snapshot) {
      const snapshotAfter = await session.snapshot(true);
      const rows = [...snapshotAfter].map(([key, { count, bytes }]) => {
        const was = snapshotBefore.get(key) ?? { count: 0, bytes: 0 };
        return { key, count: (count - was.count) / CLIENTS, bytes: (bytes - was.bytes) / CLIENTS, by: snapshotAfter.get(key).by };
      }).filter((r) => r.count >= 0.5 || r.bytes >= 16).sort((a, b) => b.bytes - a.bytes);
      const total = rows.reduce((s, r) => s + r.bytes, 0);
      console.log(`per subscriber, grown kinds: ${rows.reduce((s, r) => s + r.count, 0).toFixed(1)} objects, ${total.toFixed(0)} bytes`);
      for (const r of rows.slice(0, Number(args.top || 60))) {
        console.log(`${r.count.toFixed(2).padStart(7)} ${r.bytes.toFixed(0).padStart(6)} B  ${r.key}`);
        // Its main holders, per subscriber (counted over the whole heap, so a holder of the baseline's objects too).
        const holders = [...r.by].sort((a, b) => b[1] - a[1]).slice(0, Number(args.holders || 0));
        for (const [k, n] of holders) if (n / CLIENTS >= 0.2) console.log(`${''.padStart(18)}${(n / CLIENTS).toFixed(2)} held by ${k}`);
      }
    }
    await clients.close();
    session.close();
  } finally {
    await server.stop();
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
