'use strict';
/**
 * A board's first requests after a pause: each pipeline's stage columns (the `column-vars`
 * shape), all pipelines at once, warm, then again after each of three pauses of `--pause`
 * seconds. Against a running server on the versus workspace `bench`:
 *
 *   node bench/after-pause.js --url http://127.0.0.1:4811/graphql --pause 15 [--secret <JWT_SECRET>]
 */
const { DS_COLUMN_VARS: COLUMNS } = require('./lib/shapes');
const { signToken } = require('./lib/token');

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const url = option('url', 'http://127.0.0.1:4811/graphql');
const pause = Number(option('pause', 15));
const token = signToken({ sub: 'admin', wid: 'bench', role: 'ADMIN', name: 'Admin' }, option('secret', 'bench-secret-of-enough-length'));


async function post(body) {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const json = await response.json();
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return { ms: performance.now() - started, json };
}

const summary = (ms) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
};

async function main() {
  const pipelines = (await post({ query: '{ pipelines { id } }' })).json.data.pipelines.map((p) => p.id);
  const burst = async () => (await Promise.all(pipelines.map((id) => post({
    query: COLUMNS, variables: { id, first: 10, order: [{ field: 'VALUE', direction: 'DESC' }] },
  })))).map((r) => r.ms);
  for (let i = 0; i < 30; i++) await burst();
  console.log(`warm: ${summary(await burst())}`);
  for (let round = 1; round <= 3; round++) {
    await new Promise((resolve) => setTimeout(resolve, pause * 1000));
    console.log(`after pause ${round} of ${pause} s: ${summary(await burst())}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
