'use strict';
/** The fan-out benchmark's API side: its database, its NATS stream and the API processes. */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { freePort, startFlags } = require('../lib/servers');

const SECRET = 'realtime-bench-secret-0123456789';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function sql(url, text, params = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try { return (await client.query(text, params)).rows; } finally { await client.end(); }
}

/** A fresh database, migrated by the very commit under test (the working tree may hold migrations it does not know). */
async function prepareDatabase(appDir, url) {
  const name = new URL(url).pathname.slice(1);
  const admin = Object.assign(new URL(url), { pathname: '/postgres' }).toString();
  await sql(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await sql(admin, `CREATE DATABASE "${name}"`);
  execFileSync('npm', ['run', '-s', 'migrate'], { cwd: appDir, stdio: 'inherit', env: { ...process.env, DATABASE_URL: url } });
}

/**
 * Deletes the JetStream stream the API derives from `databaseUrl`: a fresh database numbers
 * its events from 1 again, and a relay would go on after the old stream's last event.
 */
async function deleteStream(appDir, natsUrl, databaseUrl) {
  const { streamNames } = require(path.join(appDir, 'dist', 'src', 'features', 'realtime', 'log', 'jetstream-bus.js'));
  const { connect } = require('@nats-io/transport-node');
  const { jetstreamManager } = require('@nats-io/jetstream');
  const nc = await connect({ servers: natsUrl.replace(/^nats:\/\//, '') });
  try {
    await (await jetstreamManager(nc)).streams.delete(streamNames(databaseUrl).stream).catch(() => undefined);
  } finally {
    await nc.close();
  }
}

/** Transactions the database committed or rolled back so far (each statement outside a transaction block is one). */
async function xacts(url) {
  const [row] = await sql(url, 'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(row.n);
}

function rssKb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

/** CPU time a process has used so far (user + system), in ms: /proc's clock ticks, 10 ms each. */
function cpuMs(pid) {
  const { user, system } = cpuSplitMs(pid);
  return user + system;
}

/** The same, apart: user time (JavaScript, GC, libuv) and system time (the kernel: mostly socket writes). */
function cpuSplitMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
}

/** Write system calls (write, writev, …) a process has made so far: a socket's frames sent together count once. */
function writeCalls(pid) {
  return Number(/syscw:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
}

/** One API process (`dist/src/main.js`, with the flags of its start script), rate limits off; resolves once it answers /healthz. `nodeFlags`: more flags for node (heap.js: the inspector). */
async function startServer(appDir, env, nodeFlags = []) {
  const port = await freePort();
  // BENCH_TRACE_GC=<file>: each garbage collection of the API processes, appended to that file (their stdout).
  const traceGc = process.env.BENCH_TRACE_GC;
  // BENCH_NODE_FLAGS: more flags for the API processes (e.g. `--trace-gc-nvp`, `--heap-prof`), split on spaces.
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [];
  const flags = [...startFlags(appDir), ...profile, ...(traceGc ? ['--trace-gc'] : []), ...extra, ...nodeFlags];
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...flags, path.join(appDir, 'dist', 'src', 'main.js')], {
    cwd: appDir,
    env: {
      ...process.env, JWT_SECRET: SECRET, PORT: String(port), MIGRATE: 'false', SEED_DEMO: 'false', NODE_ENV: 'production',
      LOG_LEVEL: 'warn', WS_CONNECTIONS_PER_MINUTE: '0', RATE_LIMIT_PER_MINUTE: '0', DB_POOL_SIZE: '10', ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (traceGc) child.stdout.pipe(fs.createWriteStream(traceGc, { flags: 'a' }));
  else child.stdout.resume();
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url.replace('/graphql', '/readyz'))).ok) break;
    } catch { /* not yet listening */ }
    if (Date.now() > deadline) throw new Error('the server did not start within 60 s');
    await sleep(200);
  }
  return { url, pid: child.pid, startedAt, stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }) };
}

/** One GraphQL request to an API instance; throws on errors. */
async function gql(url, token, query, variables) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The value of a series (a name, with its labels if any) on a server's /metrics. */
async function metric(url, series) {
  const text = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

module.exports = {
  SECRET, startFlags, gql, sql, prepareDatabase, deleteStream, xacts, rssKb, cpuMs, cpuSplitMs, writeCalls, startServer, metric, sleep,
};
