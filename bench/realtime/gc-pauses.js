'use strict';
/**
 * The API's garbage collections inside its steady windows, from a fan-out run with
 * BENCH_TRACE_GC: counts, total and longest pause of each kind, over every instance.
 *
 *   node bench/realtime/gc-pauses.js <the BENCH_TRACE_GC file> <fanout.js's output>
 *
 * The windows are the result line's `apiWindowsMs` (each instance's own clock, as --trace-gc
 * counts from its start).
 */
const fs = require('node:fs');

const [gcFile, outputFile] = process.argv.slice(2);
const result = fs.readFileSync(outputFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((r) => r.apiWindowsMs);
if (!result) throw new Error(`no apiWindowsMs in ${outputFile} (run fanout.js with BENCH_TRACE_GC)`);
const { pids, windows } = result.apiWindowsMs;
const kinds = {};
for (const line of fs.readFileSync(gcFile, 'utf8').split('\n')) {
  const m = /^\[(\d+):\S+\]\s+(\d+) ms: (Scavenge|Mark-Compact(?: \(reduce\))?|Minor Mark-Compact)\s.*?MB, ([\d.]+) \//.exec(line);
  if (!m) continue;
  const instance = pids.indexOf(Number(m[1]));
  if (instance < 0) continue;
  const t = Number(m[2]);
  if (!windows.some((w) => t >= w[instance][0] && t <= w[instance][1])) continue;
  const kind = (kinds[m[3]] ??= { count: 0, totalMs: 0, maxMs: 0 });
  kind.count++;
  kind.totalMs += Number(m[4]);
  kind.maxMs = Math.max(kind.maxMs, Number(m[4]));
}
const seconds = windows.reduce((sum, w) => sum + (w[0][1] - w[0][0]) / 1000, 0);
console.log(`${pids.length} instance(s), ${windows.length} windows, ${seconds.toFixed(0)} s in all: `
  + (Object.entries(kinds).map(([k, v]) => `${k} ${v.count}x, ${v.totalMs.toFixed(0)} ms in all, longest ${v.maxMs.toFixed(1)} ms`).join('; ') || 'no collection'));
