'use strict';
/**
 * The JavaScript side of one instance's fan-out, without sockets, database or clients: N
 * subscribers (each a `dealEvents` and a `pipelineMetricsUpdated` subscription on one socket,
 * as in fanout.js) get one event and one metrics value per move, through the real dispatcher,
 * streams, deliveries and frames; the TCP sockets are stand-ins whose `write` does nothing and
 * the execution returns a fixed result. It prints the CPU time per move, which the machine's
 * load moves far less than the full benchmark's figures: a way to judge a change to the
 * delivery's own work while others use the machine (the full run's system calls are not in it).
 *
 *   node bench/realtime/fanout-js.js [--ref HEAD] [--subscribers 10000] [--moves 80]
 *
 * (Instruction counts under `valgrind --tool=callgrind`, the difference of two runs with
 * different `--moves`, were tried: V8's compilation and collections, which run when they will,
 * moved them by more than a change to the delivery does.)
 */
require('reflect-metadata');
const path = require('node:path');
const { buildDealstream } = require('../lib/build');

const args = {};
process.argv.slice(2).forEach((arg, i, all) => {
  if (arg.startsWith('--')) args[arg.slice(2)] = all[i + 1];
});
const N = Number(args.subscribers || 10_000);
const MOVES = Number(args.moves || 80);
const WARM_UP = 10;

const dir = buildDealstream(args.ref === 'worktree' ? undefined : (args.ref || 'HEAD'));
const realtime = (file) => require(path.join(dir, 'dist', 'src', 'features', 'realtime', file));
const { Delivery } = realtime('ws/delivery');
const { SharedResults } = realtime('ws/shared-results');
const { OperationSocket, SharedFrame, SocketMembers } = realtime('ws/shared-frame');
const { DealEventStream } = realtime('subscriptions/event-stream');
const { LatestValue } = realtime('subscriptions/latest-value');
const { EventDispatcher } = realtime('log/event-dispatcher');

let writes = 0;
Delivery.prototype.execute = (value) => Promise.resolve(value.seq
  ? { data: { dealEvents: { seq: value.seq, type: 'MOVED', deal: { id: '1', title: 'Deal 1', stage: { id: '2', name: 'Stage 2' } } } } }
  : { data: { pipelineMetricsUpdated: { openDealCount: value.n, stages: [{ stage: { id: '2' }, dealCount: 20 }] } } });
const results = new SharedResults((result) => new SharedFrame(JSON.stringify(result)));
const quiet = { warn() {}, error() {}, info() {} };
// `handOut` and `LatestValue.offerAll`: the grouped hand-out tried on 2026-12-03 (RESULTS.md), used where a commit has them.
const dispatcher = new EventDispatcher({ loadersFor: () => ({}), logger: quiet, pollMs: 1000, handOut: DealEventStream.handOut });
dispatcher.startFed(0n);
const viewer = { workspaceId: 'w1', role: 'ADMIN' };
const metricsStreams = new Set();
const operations = { e: { key: 'e', args: { document: {}, variableValues: {} } }, m: { key: 'm', args: { document: {}, variableValues: {} } } };
// Allocated between the subscribers, as a live server's other objects are: their objects lie apart.
const spread = [];
for (let i = 0; i < N; i++) {
  const tcp = { writable: true, writableLength: 0, writableNeedDrain: false, _writableState: { length: 0 }, write() { writes++; return true; } };
  const socket = {
    readyState: 1, OPEN: 1, _socket: tcp, _sender: { _bufferedBytes: 0 }, close() {},
    get bufferedAmount() { return this._socket._writableState.length + this._sender._bufferedBytes; },
  };
  const members = new SocketMembers();
  for (const id of ['e', 'm']) {
    const connection = new OperationSocket(socket, id, members);
    const source = id === 'e'
      ? new DealEventStream({ dispatcher, replay: async () => ({ rows: [], last: true }), viewer, pipelineId: 'p1', maxQueue: 10_000, loadersFor: () => ({}), connection })
      : new LatestValue(() => metricsStreams.delete(source));
    if (id === 'm') metricsStreams.add(source);
    // Since the WebSocket door registers deliveries itself, a delivery takes its operation (shared), viewer and connection.
    const delivery = Delivery.length === 6
      ? new Delivery(source, operations[id], results, viewer, connection, () => ({}))
      : new Delivery(source, id, results, { contextValue: { connection, viewer }, document: {}, variableValues: {} }, () => ({}));
    source.attach(delivery);
    spread.push(Array.from({ length: 60 }, (_, k) => ({ k, s: `${i}-${k}` })));
  }
}
const offerMetrics = LatestValue.offerAll
  ? (value, generation) => LatestValue.offerAll(metricsStreams, value, generation)
  : (value, generation) => { for (const stream of [...metricsStreams]) stream.offer(value, generation); };
const written = (count) => new Promise((resolve) => {
  const check = () => (writes >= count ? resolve() : setImmediate(check));
  check();
});

async function main() {
  let cpu;
  for (let seq = 1; seq <= MOVES; seq++) {
    if (seq === WARM_UP + 1) cpu = process.cpuUsage();
    const before = writes;
    dispatcher.receive([{
      seq: String(seq), type: 'MOVED', occurred_at: new Date(), workspace_id: 'w1', pipeline_id: 'p1', deal_id: '1',
      from_stage_id: '1', to_stage_id: '2', actor_id: '1', changes: {},
    }]);
    await written(before + N);
    offerMetrics({ n: seq }, seq);
    await written(before + 2 * N);
  }
  const used = process.cpuUsage(cpu);
  console.log(`${N} subscribers: ${((used.user + used.system) / 1000 / (MOVES - WARM_UP)).toFixed(2)} ms of CPU per move (an event and a metrics value to each)`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
