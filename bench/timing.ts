/** Timing helpers shared by the in-process benchmarks (reports.ts, manager.ts, history.ts). */

/**
 * Times ways of getting the same answer in alternation, so that all see the same machine: on a
 * shared 2-core box the load drifts between runs. Each round starts with the next one, so that
 * none always runs first (the first of a round was measured to differ by up to 1 ms). Returns each
 * one's durations in ms, sorted.
 */
export async function timeAlternating(runs: (() => Promise<unknown>)[], iterations: number, warmup: number): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) {
    for (const run of runs) await run();
  }
  const samples = runs.map((): number[] => []);
  for (let i = 0; i < iterations; i++) {
    for (let j = 0; j < runs.length; j++) {
      const k = (i + j) % runs.length;
      const started = process.hrtime.bigint();
      await runs[k]();
      samples[k].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return samples.map((sample) => sample.sort((x, y) => x - y));
}

/** Two ways of getting the same answer, timed in alternation (see timeAlternating). */
export async function timePair(
  a: () => Promise<unknown>, b: () => Promise<unknown>, iterations: number, warmup: number,
): Promise<[number[], number[]]> {
  const [first, second] = await timeAlternating([a, b], iterations, warmup);
  return [first, second];
}

/** Posts a document with its variables as `token`'s bearer and answers the body; a GraphQL error stops the benchmark. */
export function graphqlRequester(endpoint: string, token: string) {
  return async (query: string, variables: object = {}) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json() as { errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body;
  };
}

export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
