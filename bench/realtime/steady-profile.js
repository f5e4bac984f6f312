'use strict';
/**
 * Where the API's CPU goes while it delivers, and only then: starts the fan-out benchmark's
 * set-up (N subscribers over the instances, with or without NATS), then takes a CPU profile of
 * every instance through the inspector for the steady window alone (moves at `--rate` per
 * second for `--seconds`), not the start or the subscribe storm that a whole-life
 * `--cpu-prof` holds. Prints each instance's self time by function, heaviest first, and
 * writes the profiles (`.cpuprofile`, for Chrome's DevTools) to `--out`.
 *
 *   node bench/realtime/steady-profile.js [--ref HEAD] [--clients 15000] [--instances 3] [--nats [url]]
 *                                         [--rate 2] [--seconds 20] [--out /tmp/steady-profile] [--top 30]
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (BENCH_DATABASE_URL, default database dealstream_realtime_bench).
 */
const fs = require('node:fs');
const path = require('node:path');
const { buildDealstream } = require('../lib/build');
const { freePort } = require('../lib/servers');
const { signToken } = require('../lib/token');
const { SECRET, deleteStream, gql, prepareDatabase, sleep, startServer } = require('./instances');
const { clientsFor } = require('./workers');
const { devtools } = require('./devtools');

const args = {};
process.argv.slice(2).forEach((arg, i, all) => {
  if (arg.startsWith('--')) args[arg.slice(2)] = all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true';
});
const CLIENTS = Number(args.clients || 15000);
const INSTANCES = Number(args.instances || 3);
const NATS_URL = args.nats === 'true' ? 'nats://127.0.0.1:4222' : args.nats;
const RATE = Number(args.rate || 2);
const SECONDS = Number(args.seconds || 20);
const OUT = args.out || '/tmp/steady-profile';
const TOP = Number(args.top || 30);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/dealstream_realtime_bench';

/** Self time (ms) by function and place, from a profile. */
function selfTimes(profile) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...times].sort((a, b) => b[1] - a[1]);
}

async function main() {
  const appDir = buildDealstream(args.ref === 'worktree' ? undefined : (args.ref || 'HEAD'));
  await prepareDatabase(appDir, DATABASE_URL);
  if (NATS_URL) await deleteStream(appDir, NATS_URL, DATABASE_URL);
  const servers = [];
  const inspectors = [];
  try {
    for (let k = 0; k < INSTANCES; k++) {
      const port = await freePort();
      servers.push(await startServer(appDir, { DATABASE_URL, ...(NATS_URL ? { NATS_URL } : {}) }, [`--inspect=127.0.0.1:${port}`]));
      inspectors.push(await devtools(port));
    }
    const urls = servers.map((server) => server.url);
    const token = signToken({ sub: 'bench-admin', wid: `bench-prof-${Date.now()}`, role: 'ADMIN' }, SECRET);
    const stages = [1, 2, 3].map((i) => ({ name: `Stage ${i}`, kind: 'OPEN', probability: i / 4 })).concat(
      [{ name: 'Won', kind: 'WON', probability: 1 }, { name: 'Lost', kind: 'LOST', probability: 0 }]);
    const { createPipeline } = await gql(urls[0], token, 'mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { id stages { id kind } } }', { i: { name: 'Bench', stages } });
    const open = createPipeline.stages.filter((s) => s.kind === 'OPEN').map((s) => s.id);
    const deals = [];
    for (let i = 0; i < 20; i++) {
      deals.push((await gql(urls[0], token, 'mutation($i: CreateDealInput!) { createDeal(input: $i) { id } }', { i: { pipelineId: createPipeline.id, title: `Deal ${i}`, value: 1000 + i } })).createDeal.id);
    }
    const clients = await clientsFor(CLIENTS, { token, pipelineId: createPipeline.id, mode: 'graphql' }, urls.map((url) => url.replace(/^http/, 'ws')));
    let n = 0;
    const move = () => {
      const i = n++;
      return gql(urls[i % urls.length], token, 'mutation($id: ID!, $s: ID!) { moveDeal(id: $id, stageId: $s) { id } }',
        { id: deals[i % deals.length], s: open[(1 + Math.floor(i / deals.length)) % open.length] });
    };
    // Every path once before the profile: the first events run cold otherwise.
    for (let i = 0; i < 4; i++) { await move(); await sleep(500); }
    await sleep(12_000);
    await Promise.all(inspectors.map(async (d) => { await d.call('Profiler.enable'); await d.call('Profiler.start'); }));
    const pending = [];
    for (const until = Date.now() + SECONDS * 1000; Date.now() < until;) {
      pending.push(move());
      await sleep(1000 / RATE);
    }
    await Promise.all(pending);
    await sleep(2000);
    fs.mkdirSync(OUT, { recursive: true });
    for (const [k, d] of inspectors.entries()) {
      const { profile } = await d.call('Profiler.stop');
      fs.writeFileSync(path.join(OUT, `instance-${k}.cpuprofile`), JSON.stringify(profile));
      const times = selfTimes(profile);
      const total = times.reduce((sum, [, t]) => sum + t, 0);
      const busy = total - (times.find(([key]) => key.startsWith('(idle)'))?.[1] ?? 0);
      console.log(`instance ${k}: ${busy.toFixed(0)} ms busy of ${total.toFixed(0)} ms, ${(busy / (n - 4)).toFixed(1)} ms per move`);
      for (const [key, t] of times.filter(([key]) => !key.startsWith('(idle)')).slice(0, TOP)) {
        console.log(`${t.toFixed(0).padStart(8)} ms ${((100 * t) / busy).toFixed(1).padStart(5)}%  ${key}`);
      }
    }
    await clients.close();
  } finally {
    inspectors.forEach((d) => d.close());
    await Promise.all(servers.map((server) => server.stop()));
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
