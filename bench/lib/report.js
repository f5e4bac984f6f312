'use strict';

/** The issue's targets: minimum ratio of rps Dealstream/PostGraphile, and a p95 bound where it sets one. */
const TARGETS = {
  typename: { ratio: 0.9 },
  board: { ratio: 1.0, p95: 50 },
  deal: { ratio: 1.0, p95: 50 },
  page: { ratio: 1.0 },
  move: { ratio: 0.9 },
};
/** Every other shape: a read at least 1.0×, a write 0.9×; a full document asking what PostGraphile lacks: recorded only. */
const FULL_DOCUMENTS = new Set(['client-board', 'wall-deals', 'wall-board', 'move-card']);
function targetOf(scenario) {
  if (TARGETS[scenario]) return TARGETS[scenario];
  if (FULL_DOCUMENTS.has(scenario)) return { ratio: 0 };
  return { ratio: /^(move|update|win|lose|create)/.test(scenario) ? 0.9 : 1.0 };
}
const BOARD_MAX_STATEMENTS = 3;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x) => x.toFixed(1);

/** rps: mean over the measured runs; latency percentiles: the median run's. */
function summarise(runs) {
  return {
    rps: mean(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p95: median(runs.map((r) => r.p95)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    serverCpuUs: mean(runs.map((r) => r.serverCpuUs)),
    postgresCpuUs: mean(runs.map((r) => r.postgresCpuUs)),
  };
}

function verdict(scenario, ds, ratio, statements) {
  const target = targetOf(scenario);
  const misses = [];
  if (ratio < target.ratio) misses.push(`ratio < ${target.ratio}`);
  if (target.p95 && ds.p95 >= target.p95) misses.push(`p95 ≥ ${target.p95} ms`);
  if (scenario === 'board' && statements > BOARD_MAX_STATEMENTS) misses.push(`> ${BOARD_MAX_STATEMENTS} statements`);
  if (ds.errors > 0) misses.push(`${ds.errors} errors`);
  return misses.length ? `missed (${misses.join(', ')})` : 'met';
}

/** A Markdown table, ready to paste into RESULTS.md. */
function report({ ceiling, results, statements, scenarioNames, load, rounds, deals }) {
  const hello = summarise(ceiling.hello);
  const lines = [
    `Load: ${load.connections} connections, ${load.warmup} s warm-up per server, then ${rounds} × ${load.duration} s per server, alternating A/B; ${deals.toLocaleString('en')} deals seeded.`,
    '',
    `Ceiling (bare node http hello): ${hello.rps.toFixed(0)} rps, p50 ${ms(hello.p50)} ms, p95 ${ms(hello.p95)} ms, p99 ${ms(hello.p99)} ms`,
    '',
    '| scenario | server | rps | p50 ms | p95 ms | p99 ms | SQL statements / request | CPU µs / request: server + PostgreSQL | errors |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const ratios = [];
  for (const scenario of scenarioNames) {
    const ds = summarise(results[scenario].dealstream);
    const pg = summarise(results[scenario].postgraphile);
    for (const [name, s] of [['Dealstream', ds], ['PostGraphile', pg]]) {
      const count = statements[scenario][name.toLowerCase()];
      const cpu = `${s.serverCpuUs.toFixed(0)} + ${s.postgresCpuUs.toFixed(0)}`;
      lines.push(`| ${scenario} | ${name} | ${s.rps.toFixed(0)} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${count} | ${cpu} | ${s.errors} |`);
    }
    const ratio = ds.rps / pg.rps;
    if (!targetOf(scenario).ratio) {
      ratios.push(`| ${scenario} | ${ratio.toFixed(2)}× | (none: the full document; see its -part) | |`);
      continue;
    }
    ratios.push(`| ${scenario} | ${ratio.toFixed(2)}× | ${targetOf(scenario).ratio.toFixed(1)}×${targetOf(scenario).p95 ? `, p95 < ${targetOf(scenario).p95} ms` : ''}${scenario === 'board' ? `, ≤ ${BOARD_MAX_STATEMENTS} statements` : ''} | ${verdict(scenario, ds, ratio, statements[scenario].dealstream)} |`);
  }
  lines.push('', '| scenario | Dealstream / PostGraphile (rps) | target | |', '|---|---:|---|---|', ...ratios);
  return lines.join('\n');
}

module.exports = { report };
