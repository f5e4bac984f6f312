/** Timing helpers shared by the in-process benchmarks (reports.ts, manager.ts). */

/**
 * Times two ways of getting the same answer in alternation (a, b, a, b, …), so that both see
 * the same machine: on a shared 2-core box the load drifts between runs. Returns each side's
 * durations in ms, sorted.
 */
export async function timePair(
  a: () => Promise<unknown>, b: () => Promise<unknown>, iterations: number, warmup: number,
): Promise<[number[], number[]]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < iterations; i++) {
    for (const [k, run] of [a, b].entries()) {
      const started = process.hrtime.bigint();
      await run();
      samples[k].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return [samples[0].sort((x, y) => x - y), samples[1].sort((x, y) => x - y)];
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
