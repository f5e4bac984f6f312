'use strict';
/**
 * Webhook delivery under write load: `webhooks` endpoints answering in `latency` ms while
 * `rate` deal moves per second are committed, spread over `pipelines` pipelines; webhook i
 * follows pipeline i. Prints the delivery lag (a receiver's clock at arrival minus the event's
 * occurredAt) per phase: all endpoints healthy, then one endpoint that never answers.
 *
 *   npm run build && node bench/webhooks.js [--rate 200] [--seconds 30] [--webhooks 10] [--pipelines 20] [--latency 50]
 *
 * Each webhook's events go out one at a time, in seq order, so a webhook takes at most
 * 1000 / latency events per second (20 at 50 ms): with as many pipelines as webhooks each one
 * would be at 100 % and its lag would grow without bound, which is why the load is spread over
 * more pipelines than there are webhooks (the others' events are read and matched, not sent).
 */
const http = require('node:http');
const { execFileSync } = require('node:child_process');
const { Client } = require('pg');
const { startDealstream, ROOT } = require('./lib/servers');
const { signToken } = require('./lib/token');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RATE = arg('rate', 200);
const SECONDS = arg('seconds', 30);
const WEBHOOKS = arg('webhooks', 10);
const PIPELINES = arg('pipelines', 20);
const LATENCY = arg('latency', 50);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_bench_h16_webhooks';
const JWT_SECRET = 'bench-secret-of-enough-length';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freshDatabase() {
  const name = new URL(DATABASE_URL).pathname.slice(1);
  const admin = new Client({ connectionString: Object.assign(new URL(DATABASE_URL), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  execFileSync('npm', ['run', '-s', 'migrate'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, DATABASE_URL } });
}

/** An endpoint that answers 200 after `latency` ms (or never), recording each event's lag and order. */
function receiver(latency) {
  const state = { lags: [], seqs: [], outOfOrder: 0, duplicates: 0, phase: 'warm-up', byPhase: {} };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const arrived = Date.now();
      const body = JSON.parse(raw);
      const seq = BigInt(body.seq);
      const last = state.seqs.at(-1);
      if (last !== undefined && seq === last) state.duplicates++;
      else if (last !== undefined && seq < last) state.outOfOrder++;
      state.seqs.push(seq);
      (state.byPhase[state.phase] ??= []).push(arrived - Date.parse(body.occurredAt));
      if (latency !== Infinity) setTimeout(() => res.end('ok'), latency);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, state, url: `http://127.0.0.1:${server.address().port}/hook` })));
}

async function gql(url, token, query, variables) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function summary(lags) {
  const sorted = [...lags].sort((a, b) => a - b);
  if (!sorted.length) return 'no deliveries';
  return `${sorted.length} deliveries, lag p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, `
    + `p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`;
}

async function main() {
  await freshDatabase();
  process.env.WEBHOOK_ALLOW_PRIVATE = 'true';
  const app = await startDealstream(DATABASE_URL, JWT_SECRET);
  const token = signToken({ sub: 'bench-admin', wid: 'bench-webhooks', role: 'ADMIN', name: 'Bench' }, JWT_SECRET);
  try {
    const receivers = await Promise.all(Array.from({ length: WEBHOOKS }, () => receiver(LATENCY)));
    const hanging = await receiver(Infinity);
    const stages = [1, 2, 3].map((n) => ({ name: `Stage ${n}`, kind: 'OPEN', probability: n / 4 }))
      .concat([{ name: 'Won', kind: 'WON', probability: 1 }, { name: 'Lost', kind: 'LOST', probability: 0 }]);
    const deals = [];
    const webhookIds = [];
    for (let p = 0; p < PIPELINES; p++) {
      const { createPipeline } = await gql(app.url, token, `mutation($input: CreatePipelineInput!) { createPipeline(input: $input) { id stages { id kind } } }`,
        { input: { name: `Pipeline ${p}`, stages } });
      const open = createPipeline.stages.filter((s) => s.kind === 'OPEN').map((s) => s.id);
      if (p < WEBHOOKS) {
        const { createWebhook } = await gql(app.url, token, `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`,
          { input: { url: receivers[p].url, pipelineIds: [createPipeline.id] } });
        webhookIds.push(createWebhook.webhook.id);
      }
      for (let d = 0; d < 10; d++) {
        const { createDeal } = await gql(app.url, token, `mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }`,
          { input: { pipelineId: createPipeline.id, title: `Deal ${p}.${d}`, value: 1000 } });
        deals.push({ id: createDeal.id, open, at: 0 });
      }
    }

    let next = 0;
    let inFlight = 0;
    let failed = 0;
    async function load(seconds) {
      const started = Date.now();
      let sent = 0;
      while (Date.now() - started < seconds * 1000) {
        const due = Math.floor(((Date.now() - started) / 1000) * RATE);
        while (sent < due && inFlight < 100) {
          const deal = deals[next++ % deals.length];
          deal.at = (deal.at + 1) % deal.open.length;
          inFlight++;
          sent++;
          gql(app.url, token, 'mutation($id: ID!, $stageId: ID!) { moveDeal(id: $id, stageId: $stageId) { id } }', { id: deal.id, stageId: deal.open[deal.at] })
            .catch(() => { failed++; }).finally(() => { inFlight--; });
        }
        await sleep(2);
      }
      while (inFlight > 0) await sleep(5);
      return sent / ((Date.now() - started) / 1000);
    }
    async function drained(expected, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const [{ n }] = (await (async () => {
          const c = new Client({ connectionString: DATABASE_URL });
          await c.connect();
          try {
            return (await c.query(`SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'PENDING' AND webhook_id = ANY($1::uuid[])`, [expected])).rows;
          } finally { await c.end(); }
        })());
        if (n === 0) return true;
        await sleep(200);
      }
      return false;
    }

    const setPhase = (phase) => { for (const r of receivers) r.state.phase = phase; };
    await load(3);
    await drained(webhookIds);
    console.log(`load: ${RATE} moves/s for ${SECONDS} s over ${PIPELINES} pipelines; ${WEBHOOKS} webhooks (one pipeline each), endpoints answer in ${LATENCY} ms`);

    setPhase('healthy');
    const rate1 = await load(SECONDS);
    const done1 = await drained(webhookIds);
    const healthy = receivers.flatMap((r) => r.state.byPhase.healthy ?? []);
    console.log(`healthy: ${rate1.toFixed(0)} moves/s committed; ${summary(healthy)}${done1 ? '' : ' (not drained in 60 s)'}`);

    await gql(app.url, token, `mutation($id: ID!, $input: UpdateWebhookInput!) { updateWebhook(id: $id, input: $input) { id } }`,
      { id: webhookIds[WEBHOOKS - 1], input: { url: hanging.url } });
    setPhase('one hanging');
    const rate2 = await load(SECONDS);
    const done2 = await drained(webhookIds.slice(0, -1));
    const nine = receivers.slice(0, -1).flatMap((r) => r.state.byPhase['one hanging'] ?? []);
    console.log(`one endpoint hanging: ${rate2.toFixed(0)} moves/s committed; the other ${WEBHOOKS - 1}: ${summary(nine)}${done2 ? '' : ' (not drained in 60 s)'}; `
      + `hanging endpoint received ${hanging.state.seqs.length} request(s)`);
    const order = receivers.reduce((n, r) => n + r.state.outOfOrder, 0);
    const dupes = receivers.reduce((n, r) => n + r.state.duplicates, 0);
    console.log(`order: ${order} out-of-order arrivals, ${dupes} repeated; ${failed} moves failed`);
    for (const r of [...receivers, hanging]) r.server.closeAllConnections(), r.server.close();
  } finally {
    await app.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
