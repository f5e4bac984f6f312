/**
 * What the query limits cost per request: graphql-js validation of typical and hostile
 * documents with the specified rules alone, then with the limits added (the fastest of seven
 * alternating rounds of each).
 *   npx ts-node --transpile-only bench/limits.ts
 */
import 'reflect-metadata';
// The app's own graphql-js: bench/node_modules holds another copy (for the benchmark peer).
import { getIntrospectionQuery, parse, specifiedRules, validate } from '../node_modules/graphql';
import { createSchema } from '../src/schema';
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from '../src/infra/limits';

const documents: Record<string, string> = {
  board: `query ($id: ID!) { pipeline(id: $id) { id name stages { id name kind probability
    deals(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes { id title value version stageEnteredAt
      owner { id name } lead { id name company } } } } } }`,
  introspection: getIntrospectionQuery(),
  'hostile: 2,001 tokens': `{ ${'__typename ... on Query { '.repeat(333)}__typename${' }'.repeat(333)} }`,
  'hostile: cost 501,500': '{ deals(first: 500) { nodes { pipeline { deals(first: 500) { nodes { id } } } } } }',
};

/** Microseconds per call over about `minMs`. */
function timePerCall(fn: () => void, minMs = 300): number {
  for (let i = 0; i < 50; i++) fn(); // warm-up
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 20; i++) fn();
    calls += 20;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (elapsed * 1000) / calls; // µs
}

async function main() {
  const schema = await createSchema();
  const withLimits = [...specifiedRules, ...queryLimitRules(DEFAULT_QUERY_LIMITS)];
  console.log('| document | validate, graphql-js rules (µs) | with the limits (µs) | added | refused by |');
  console.log('|---|---|---|---|---|');
  for (const [name, source] of Object.entries(documents)) {
    const document = parse(source);
    // Alternating rounds, keeping each side's fastest: other load on the machine only slows a round down.
    let base = Infinity;
    let limited = Infinity;
    for (let round = 0; round < 7; round++) {
      base = Math.min(base, timePerCall(() => validate(schema, document, specifiedRules)));
      limited = Math.min(limited, timePerCall(() => validate(schema, document, withLimits)));
    }
    const errors = validate(schema, document, withLimits).map((e) => e.extensions?.limit).filter(Boolean);
    console.log(`| ${name} | ${base.toFixed(1)} | ${limited.toFixed(1)} | ${(limited - base).toFixed(1)} | ${errors.join(', ') || '-'} |`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
