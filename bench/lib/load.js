'use strict';
/**
 * One measured run, in a process of its own so that the load generator never shares an
 * event loop with a server: `node lib/load.js <spec.json>`. Prints one JSON line with rps,
 * latency percentiles (from every response time, not a histogram bucket), and how many
 * responses were not a clean 200 with data.
 */
const fs = require('node:fs');
const autocannon = require('autocannon');
const { bodyMaker } = require('./scenarios');

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const latencies = [];
  let failures = 0;
  let firstFailure;
  let n = 0;
  const makeBody = spec.scenario === 'hello' ? null : bodyMaker(spec.scenario, spec.server, spec.fixture);

  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    method: makeBody ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json', ...spec.headers },
    requests: [{
      setupRequest: (request) => (makeBody ? { ...request, body: makeBody(n++) } : request),
      onResponse: (status, body) => {
        // GraphQL errors come with status 200 on some servers: a body with "errors" fails too.
        if (status !== 200 || (makeBody && body.includes('"errors"'))) {
          failures += 1;
          firstFailure ??= `${status} ${String(body).slice(0, 300)}`;
        }
      },
    }],
  });
  instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  const result = await new Promise((resolve, reject) => instance.on('done', resolve).on('error', reject));

  latencies.sort((a, b) => a - b);
  const seconds = result.duration;
  console.log(JSON.stringify({
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts + failures,
    firstFailure,
  }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
