'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const BENCH = path.join(__dirname, '..');
const ROOT = path.join(BENCH, '..');
/** PostGraphile v5 needs Node 22: the `node` package ships that binary into bench/node_modules. */
const NODE22 = path.join(BENCH, 'node_modules', '.bin', 'node');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function waitUntilUp(url, child, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(url, url.endsWith('/graphql')
        ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }
        : {});
      if (response.ok) return;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within 60 s:\n${log()}`);
}

async function start(name, command, args, env, cwd, urlPath) {
  const port = await freePort();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk) => { output = (output + chunk).slice(-4000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}${urlPath}`;
  await waitUntilUp(url, child, () => output);
  return {
    name, url, pid: child.pid,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

/**
 * The flags the app's own `npm run start:prod` gives node, so that the benchmark runs the
 * server as production does; none for a commit whose script has none.
 */
function startFlags(appDir) {
  const script = JSON.parse(fs.readFileSync(path.join(appDir, 'package.json'), 'utf8')).scripts?.['start:prod'] ?? '';
  const match = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js/.exec(script);
  return match ? match[1].trim().split(/\s+/).filter(Boolean) : [];
}

/**
 * Dealstream as compiled (dist/), in production mode, logging only warnings: PostGraphile writes
 * no line per request either.
 */
function startDealstream(databaseUrl, jwtSecret, appDir = ROOT) {
  // BENCH_PROFILE_DIR: a CPU profile of the server's whole life (node --cpu-prof) written there.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // BENCH_NODE_FLAGS: more flags for node (e.g. `--trace-gc`), split on spaces.
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return start('dealstream', process.execPath, [...startFlags(appDir), ...profile, ...extra, path.join(appDir, 'dist', 'src', 'main.js')], {
    DATABASE_URL: databaseUrl, JWT_SECRET: jwtSecret, MIGRATE: 'false', SEED_DEMO: 'false',
    NODE_ENV: 'production', LOG_LEVEL: 'warn', HOST: '127.0.0.1',
    // One client at full speed is the point here; PostGraphile has no limiter either.
    RATE_LIMIT_PER_MINUTE: '0',
  }, appDir, '/graphql');
}

function startPostGraphile(databaseUrl) {
  return start('postgraphile', NODE22, [path.join(BENCH, 'node_modules', 'postgraphile', 'dist', 'cli-run.js'), '-C', 'graphile.config.mjs'], {
    DATABASE_URL: databaseUrl, GRAPHILE_ENV: 'production', NODE_ENV: 'production',
  }, BENCH, '/graphql');
}

function startHello() {
  return start('hello', process.execPath, [path.join(__dirname, 'hello.js')], {}, BENCH, '/');
}

module.exports = { startFlags, startDealstream, startPostGraphile, startHello, freePort, ROOT, NODE22 };
