import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Time to ready on the embedded database: how long `npm start` takes, from launch to the
 * printed URLs, on a fresh DATA_DIR (cold: PGlite's initdb, every migration, the demo seed)
 * and again on the same folder (warm), then to the wallboard's page and bundle being served.
 * Prints when each progress line appeared, where the time goes.
 *
 *   npx ts-node --transpile-only bench/first-start.ts [runs=3] [--typescript] [--compiled]
 *
 * `--typescript` transpiles with TypeScript instead of SWC (ts-node's default, for comparison);
 * `--compiled` adds the compiled server (`npm run build` first).
 */
const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);

/** A tsconfig like the project's whose ts-node transpiles with TypeScript. */
function typescriptProject(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dealstream-tsconfig-')), 'tsconfig.json');
  writeFileSync(file, JSON.stringify({ extends: path.join(root, 'tsconfig.json'), 'ts-node': { swc: false, transpileOnly: true } }));
  return file;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

async function once(dataDir: string, entry: string[], extraEnv: Record<string, string>): Promise<{ ready: number; page: number }> {
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
  const base = url.replace(/\/graphql$/, '');
  const pageStart = Date.now();
  await (await fetch(`${base}/wallboard`)).text();
  await (await fetch(`${base}/assets/wallboard.js`)).text();
  const page = Date.now() - pageStart;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  console.log(`  ${steps.join('\n  ')}\n  ${(ready / 1000).toFixed(1)} s ready`);
  return { ready, page };
}

async function main() {
  const tsNode = ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  const entries: [string, string[], Record<string, string>][] = args.includes('--typescript')
    ? [['npm start (ts-node, TypeScript transpiler)', tsNode, { TS_NODE_PROJECT: typescriptProject() }]]
    : [['npm start (ts-node, SWC)', tsNode, {}]];
  if (args.includes('--compiled')) {
    if (!existsSync(path.join(root, 'dist/src/main.js'))) throw new Error('--compiled needs `npm run build` first');
    entries.push(['compiled server, embedded', ['dist/src/main.js'], {}]);
  }
  for (const [name, entry, env] of entries) {
    for (let i = 0; i < runs; i += 1) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'dealstream-first-start-'));
      try {
        const before = load();
        console.log(`${name} run ${i + 1}, cold (fresh DATA_DIR):`);
        const cold = await once(dataDir, entry, env);
        console.log(`${name} run ${i + 1}, warm (same DATA_DIR):`);
        const warm = await once(dataDir, entry, env);
        console.log(`${name} run ${i + 1}: cold ${(cold.ready / 1000).toFixed(1)} s (+ wallboard ${cold.page} ms), warm ${(warm.ready / 1000).toFixed(1)} s; load average ${before} → ${load()}`);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
