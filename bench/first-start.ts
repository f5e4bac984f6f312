import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * The newcomer's minute: how long `npm start` takes, on the embedded database, from launch
 * to the printed URLs (migrations and the demo seed included), then from there to the
 * wallboard's page and bundle being served and to the first live deal event of the demo.
 *
 *   npx ts-node --transpile-only bench/first-start.ts [runs=3]
 */
const root = path.resolve(__dirname, '..');
const runs = Number(process.argv[2] ?? 3);

async function once(dataDir: string, entry: string[]): Promise<Record<string, number>> {
  const started = Date.now();
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, entry, { cwd: root, env: { ...env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_OPTIONS: '' } });
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
  console.log(`  ${steps.join('\n  ')}`);
  return { ready, page };
}

async function main() {
  const entries: [string, string[]][] = [
    ['npm start (ts-node)', ['-r', 'ts-node/register/transpile-only', 'src/main.ts']],
    ['npm run start:prod (compiled, embedded)', ['dist/src/main.js']],
  ];
  for (const [name, entry] of entries) {
    for (let i = 0; i < runs; i += 1) {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'dealstream-first-start-'));
      try {
        const first = await once(dataDir, entry);
        const second = await once(dataDir, entry);
        console.log(`${name} run ${i + 1}: first start ${first.ready} ms (+ wallboard ${first.page} ms), restart ${second.ready} ms`);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
