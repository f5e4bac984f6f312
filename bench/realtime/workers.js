'use strict';
/** The fan-out benchmark's helper processes: subscriber groups (clients.js) and the bare ws server. */
const { fork } = require('node:child_process');
const path = require('node:path');

const PER_PROCESS = 5000;

/** A forked process speaking the command protocol of clients.js / bare-server.js. */
function worker(file) {
  // With BENCH_PROFILE the bare server is profiled like the API, to compare where their time goes.
  const profile = process.env.BENCH_PROFILE && file === 'bare-server.js' ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const child = fork(path.join(__dirname, file), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...profile] });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.(m));
  const ask = (command) => new Promise((resolve, reject) => {
    waiting.push((m) => (m.ok ? resolve(m) : reject(new Error(m.error))));
    if (command) child.send(command);
  });
  // Disconnecting lets the process exit on its own (and write its profile); a signal would not.
  return { ask, pid: child.pid, kill: () => (profile.length ? child.disconnect() : child.kill()) };
}

/** `n` subscribers in processes of at most PER_PROCESS, spread evenly over `urls` (the API instances; default `command.url`). */
async function clientsFor(n, command, urls = [command.url]) {
  const parts = [];
  urls.forEach((url, i) => {
    const share = Math.floor(n / urls.length) + (i < n % urls.length ? 1 : 0);
    for (let done = 0; done < share; done += PER_PROCESS) parts.push({ url, count: Math.min(PER_PROCESS, share - done) });
  });
  const group = parts.map(() => worker('clients.js'));
  await Promise.all(group.map((w, i) => w.ask({ ...command, cmd: 'connect', ...parts[i] })));
  const all = (cmd) => Promise.all(group.map((w) => w.ask({ cmd })));
  return {
    /** The subscriber processes, for their CPU time. */
    pids: group.map((w) => w.pid),
    reset: () => all('reset'),
    report: async () => mergeReports(await all('report')),
    /** One report per URL (per API instance), in the order of `urls`. */
    reportByUrl: async () => {
      const reports = await all('report');
      return urls.map((url) => mergeReports(reports.filter((_, i) => parts[i].url === url)));
    },
    async close() { await all('close'); group.forEach((w) => w.kill()); },
  };
}

/** One report of several: subscriber processes, or windows of the same clients (histograms, counts and per-event figures added up). */
function mergeReports(parts) {
  const histogram = new Array(parts[0].histogram.length).fill(0);
  const counts = { events: 0, metrics: 0, errors: 0, closes: 0, repeats: 0 };
  for (const p of parts) {
    p.histogram.forEach((v, i) => { histogram[i] += v; });
    for (const k of Object.keys(counts)) counts[k] += p.counts[k];
  }
  const firstAt = Math.min(...parts.map((p) => p.firstAt).filter(Boolean));
  const lastAt = Math.max(...parts.map((p) => p.lastAt));
  const perEvent = {};
  for (const p of parts) {
    for (const [seq, [sum, n, max]] of Object.entries(p.perEvent)) {
      const stats = (perEvent[seq] ??= [0, 0, 0]);
      stats[0] += sum;
      stats[1] += n;
      stats[2] = Math.max(stats[2], max);
    }
  }
  return { histogram, counts, sizes: parts.find((p) => p.sizes.event)?.sizes ?? parts[0].sizes, samples: parts.find((p) => p.samples.event && p.samples.metrics)?.samples, perEvent, firstAt, lastAt, bucketMs: parts[0].bucketMs };
}

function percentiles({ histogram, bucketMs }) {
  const total = histogram.reduce((a, b) => a + b, 0);
  const at = (q) => {
    let seen = 0;
    for (let i = 0; i < histogram.length; i++) if ((seen += histogram[i]) >= q * total) return (i + 1) * bucketMs;
    return NaN;
  };
  return { samples: total, p1: at(0.01), p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

module.exports = { clientsFor, mergeReports, percentiles, worker };
