import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Time to ready on the embedded database: how long `npm start` takes, from launch to the
 * printed URLs, on a fresh DATA_DIR (cold: PGlite's initdb, every migration, the demo seed)
 * and again on the same folder (warm), then to the wallboard's page and bundle being served.
 * Prints when each progress line appeared, where the time goes. A cold run also starts without
 * `npm start`'s transpiled sources (node_modules/.cache/dealstream-swc, see scripts/register.js),
 * as on a fresh clone; a warm run finds them.
 *
 *   npx ts-node --transpile-only bench/first-start.ts [runs=3] [--ts-node] [--typescript] [--compiled]
 *
 * For comparison: `--ts-node` adds ts-node with SWC (no cache of its output), `--typescript`
 * ts-node with TypeScript's transpiler (ts-node's default); `--compiled` adds the compiled
 * server (`npm run build` first).
 */
const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
/** Where `npm start` keeps the transpiled sources. */
const transpiled = path.join(root, 'node_modules/.cache/dealstream-swc');

/** A tsconfig like the project's whose ts-node transpiles with TypeScript. */
function typescriptProject(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dealstream-tsconfig-')), 'tsconfig.json');
  writeFileSync(file, JSON.stringify({ extends: path.join(root, 'tsconfig.json'), 'ts-node': { swc: false, transpileOnly: true } }));
  return file;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * CPU seconds a process has used so far (Linux: /proc, user + system, all its threads): on a
 * shared machine, wall time swings with the load, what the start itself costs much less.
 */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [utime, stime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
    return (utime + stime) / 100;
  } catch {
    return NaN;
  }
}

async function once(dataDir: string, entry: string[], extraEnv: Record<string, string>): Promise<{ ready: number; cpu: number; page: number }> {
  const started = Date.now();
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, entry, { cwd: root, env: { ...env, ...extraEnv, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_OPTIONS: '' } });
  let out = '';
  // When each progress line ("Dealstream: <step>…") appeared: where the start spends its time.
  const steps: string[] = [];
  child.stdout.on('data', (c) => {
    for (const step of String(c).match(/^Dealstream: .*$/gm) ?? []) steps.push(`${((Date.now() - started) / 1000).toFixed(1)} s ${step}`);
    out += c;
  });
  child.stderr.on('data', (c) => { out += c; });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = out.match(/GraphQL \(HTTP and WebSocket\): (\S+)/);
      if (match && out.includes('Metrics:')) { clearInterval(timer); resolve(match[1]); }
      if (child.exitCode !== null) { clearInterval(timer); reject(new Error(out)); }
    }, 20);
  });
  const ready = Date.now() - started;
  const cpu = cpuSeconds(child.pid!);
  const base = url.replace(/\/graphql$/, '');
  const pageStart = Date.now();
  await (await fetch(`${base}/wallboard`)).text();
  await (await fetch(`${base}/assets/wallboard.js`)).text();
  const page = Date.now() - pageStart;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  console.log(`  ${steps.join('\n  ')}\n  ${(ready / 1000).toFixed(1)} s ready (${cpu.toFixed(1)} s CPU)`);
  return { ready, cpu, page };
}

async function main() {
  const tsNode = ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  // `npm start` runs `exec node <arguments>`: the same arguments, without npm in between.
  const npmStart = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts.start.replace(/^exec node /, '').split(' ');
  const entries: [string, string[], Record<string, string>][] = [['npm start (SWC, transpiled once)', npmStart, {}]];
  if (args.includes('--ts-node')) entries.push(['ts-node, SWC', tsNode, {}]);
  if (args.includes('--typescript')) entries.push(['ts-node, TypeScript transpiler', tsNode, { TS_NODE_PROJECT: typescriptProject() }]);
  if (args.includes('--compiled')) {
    if (!existsSync(path.join(root, 'dist/src/main.js'))) throw new Error('--compiled needs `npm run build` first');
    entries.push(['compiled server, embedded', ['dist/src/main.js'], {}]);
  }
  for (const [name, entry, env] of entries) {
    for (let i = 0; i < runs; i += 1) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'dealstream-first-start-'));
      try {
        const before = load();
        rmSync(transpiled, { recursive: true, force: true });
        console.log(`${name} run ${i + 1}, cold (fresh DATA_DIR, nothing transpiled):`);
        const cold = await once(dataDir, entry, env);
        console.log(`${name} run ${i + 1}, warm (same DATA_DIR):`);
        const warm = await once(dataDir, entry, env);
        console.log(`${name} run ${i + 1}: cold ${(cold.ready / 1000).toFixed(1)} s (${cold.cpu.toFixed(1)} s CPU, + wallboard ${cold.page} ms), `
          + `warm ${(warm.ready / 1000).toFixed(1)} s (${warm.cpu.toFixed(1)} s CPU); load average ${before} → ${load()}`);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
