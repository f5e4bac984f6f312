'use strict';
/**
 * The subscriber side of the fan-out benchmark, in a process of its own (forked by fanout.js).
 * Opens `count` WebSockets and, per socket, subscribes to `dealEvents` and
 * `pipelineMetricsUpdated` with the graphql-transport-ws protocol (spoken directly on `ws`, so
 * the client costs little), or, in `bare` mode, just listens to a bare ws broadcast of the same
 * messages. Both modes read every message alike (`receive`), so the clients' work per message
 * is the same on both sides and the two servers are compared, not two kinds of client.
 * Latency = receipt time − the event's `occurredAt` (both clocks are this machine's); only
 * events are timed, metrics messages are counted.
 */
const WebSocket = require('ws');

const BUCKET_MS = 0.5;
const BUCKETS = 20_000; // up to 10 s
let histogram = new Uint32Array(BUCKETS);
/** `repeats`: events a socket received at or below a seq it already had (a repeat, or out of order). */
let counts = { events: 0, metrics: 0, errors: 0, closes: 0, repeats: 0 };
/** Bytes of the last event and metrics message received. */
const sizes = { event: 0, metrics: 0 };
/** The first event and metrics message received after subscribing: the bare server broadcasts messages of the same shape. */
const samples = { event: '', metrics: '' };
let firstAt = 0;
let lastAt = 0;
const sockets = [];

/** Per event (seq): [sum of latencies, receipts, slowest], to tell a slow move from a slow tail. */
let perEvent = {};

function record(occurredAtMs, seq) {
  const now = Date.now();
  if (!firstAt) firstAt = now;
  lastAt = now;
  if (occurredAtMs === undefined) return;
  const latency = now - occurredAtMs;
  const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor(latency / BUCKET_MS)));
  histogram[bucket]++;
  if (seq === undefined) return;
  const stats = (perEvent[seq] ??= [0, 0, 0]);
  stats[0] += latency;
  stats[1]++;
  stats[2] = Math.max(stats[2], latency);
}

const EVENTS = `subscription Live($p: ID!) { dealEvents(pipelineId: $p) { seq type occurredAt deal { id title value stage { id name } } fromStage { id } toStage { id } } }`;
const METRICS = `subscription Board($p: ID!) { pipelineMetricsUpdated(pipelineId: $p) { openDealCount openValue weightedOpenValue computedAt stages { stage { id } dealCount value } } }`;

/**
 * One `next` message of a socket (`state.lastSeq`: the highest seq it had): events are timed
 * and checked for order, metrics counted.
 */
function receive(data, message, state) {
  if (message.id === 'e') {
    counts.events++;
    sizes.event = data.length;
    if (!samples.event) samples.event = String(data);
    if (!message.payload.data) {
      // An event answered with errors: counted (and the first shown), not a crash of this process.
      if (counts.errors++ === 0) console.error('subscriber: an event came with errors:', JSON.stringify(message.payload).slice(0, 500));
      return;
    }
    const event = message.payload.data.dealEvents;
    if (Number(event.seq) <= state.lastSeq) counts.repeats++;
    state.lastSeq = Math.max(state.lastSeq, Number(event.seq));
    record(Date.parse(event.occurredAt), event.seq);
  } else if (message.id === 'm') {
    counts.metrics++;
    sizes.metrics = data.length;
    if (!samples.metrics) samples.metrics = String(data);
    record(undefined);
  }
}

function openGraphql(url, token, pipelineId) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let ready = false;
    const state = { lastSeq: 0 };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      const message = JSON.parse(data);
      if (process.env.BENCH_DEBUG) console.log('client', Date.now() % 100000, String(data).slice(0, 200));
      if (message.type === 'next') {
        // The first metrics message is the current figures, sent on subscribing: the socket is ready.
        if (!ready && message.id === 'm') {
          ready = true;
          resolve(socket);
        } else receive(data, message, state);
      } else if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 'e', type: 'subscribe', payload: { query: EVENTS, variables: { p: pipelineId } } }));
        socket.send(JSON.stringify({ id: 'm', type: 'subscribe', payload: { query: METRICS, variables: { p: pipelineId } } }));
      } else if (message.type === 'error') {
        counts.errors++;
      }
    });
    socket.on('close', (code, reason) => { counts.closes++; if (!ready) reject(new Error(`closed before ready: ${code} ${reason}`)); });
    socket.on('error', (err) => { if (!ready) reject(err); });
  });
}

function openBare(url) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const state = { lastSeq: 0 };
    socket.on('open', () => resolve(socket));
    socket.on('message', (data) => receive(data, JSON.parse(data), state));
    socket.on('close', () => { counts.closes++; });
    socket.on('error', reject);
  });
}

async function connect({ url, token, pipelineId, count, mode }) {
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    const opened = await Promise.all(Array.from({ length: Math.min(batch, count - i) },
      () => (mode === 'bare' ? openBare(url) : openGraphql(url, token, pipelineId))));
    sockets.push(...opened);
  }
}

// A benchmark that fails leaves no sockets behind: this process ends with its parent.
process.on('disconnect', () => process.exit(0));

process.on('message', async (command) => {
  try {
    if (command.cmd === 'connect') {
      await connect(command);
      process.send({ ok: true, sockets: sockets.length });
    } else if (command.cmd === 'reset') {
      histogram = new Uint32Array(BUCKETS);
      perEvent = {};
      counts = { events: 0, metrics: 0, errors: 0, closes: counts.closes, repeats: 0 };
      firstAt = 0;
      lastAt = 0;
      process.send({ ok: true });
    } else if (command.cmd === 'report') {
      process.send({ ok: true, histogram: Array.from(histogram), counts, sizes, samples, perEvent, firstAt, lastAt, bucketMs: BUCKET_MS });
    } else if (command.cmd === 'close') {
      for (const socket of sockets.splice(0)) socket.terminate();
      process.send({ ok: true });
    }
  } catch (err) {
    process.send({ ok: false, error: String(err && err.stack || err) });
  }
});
