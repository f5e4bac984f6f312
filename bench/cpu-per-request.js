'use strict';
/**
 * CPU time per request of each server, for one scenario: `node cpu-per-request.js [scenario]
 * [--requests 30000] [--rounds 3] [--database url] [--ref HEAD]`. On two shared cores rps moves with
 * whatever else runs; the server's own CPU time per request (utime + stime from /proc) moves
 * much less, and it is what a server adds to a machine's load.
 */
const { buildDealstream } = require('./lib/build');
const { cpuOf } = require('./lib/cpu');
const { startDealstream, startPostGraphile } = require('./lib/servers');
const { signToken } = require('./lib/token');

const args = process.argv.slice(2);
const option = (name, fallback) => { const i = args.indexOf(`--${name}`); return i < 0 ? fallback : args[i + 1]; };
const scenario = args[0] && !args[0].startsWith('--') ? args[0] : 'typename';
const requests = Number(option('requests', 30000));
const rounds = Number(option('rounds', 3));
const databaseUrl = option('database', 'postgres://postgres@127.0.0.1:5432/dealstream_versus');
const SECRET = 'bench-secret-of-enough-length';

async function measure(server, body, token) {
  const autocannon = require('autocannon');
  const before = cpuOf(server.pid);
  const result = await autocannon({
    url: server.url, connections: 10, amount: requests, method: 'POST', body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  // (autocannon's rps in `amount` mode counts whole seconds: the CPU time is the figure here.)
  return { cpuUs: (cpuOf(server.pid) - before) / result.requests.total, non2xx: result.non2xx };
}

async function main() {
  const query = scenario === 'typename' ? 'query Typename { __typename }' : scenario;
  const body = JSON.stringify({ query });
  const token = signToken({ sub: 'admin', wid: 'bench', role: 'ADMIN' }, SECRET);
  const servers = [await startDealstream(databaseUrl, SECRET, buildDealstream(option('ref'))), await startPostGraphile(databaseUrl)];
  try {
    for (const s of servers) await measure(s, body, token);
    for (let r = 0; r < rounds; r++) {
      for (const s of r % 2 ? [...servers].reverse() : servers) {
        const m = await measure(s, body, token);
        console.log(`${s.name.padEnd(13)} round ${r + 1}: ${m.cpuUs.toFixed(1)} µs CPU/request${m.non2xx ? `, ${m.non2xx} non-2xx` : ''}`);
      }
    }
  } finally {
    for (const s of servers) await s.stop();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
