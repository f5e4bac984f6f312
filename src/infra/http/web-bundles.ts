import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** The repository root: the nearest folder above this file with a package.json (works from src/ and dist/). */
export function packageRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Browser sources (web/) and where their bundles go (dist/web/, served under /assets). */
export const WEB_SOURCES = path.join(packageRoot(), 'web');
export const WEB_OUT = path.join(packageRoot(), 'dist', 'web');

/** The pages' entry points; each becomes `<name>.js` and `<name>.css`. */
const ENTRIES = { wallboard: 'wallboard/main.ts', explorer: 'explorer/main.ts' };

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
  }
  return latest;
}

/** True when every bundle exists and is newer than every browser source (when the sources are there). */
export function bundlesFresh(): boolean {
  const outputs = Object.keys(ENTRIES).map((name) => path.join(WEB_OUT, `${name}.js`));
  if (!outputs.every(existsSync)) return false;
  if (!existsSync(WEB_SOURCES)) return true;
  const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
  return built >= newest(WEB_SOURCES);
}

/**
 * Bundles the browser code with esbuild from local npm packages (graphql-ws, GraphiQL,
 * React): the pages load nothing from the internet. Takes a second or two.
 */
export async function buildWebBundles(): Promise<void> {
  // esbuild is a development dependency: a production image ships the bundles `npm run build` made.
  const esbuild = await import('esbuild');
  // Built aside, then renamed into place: another process serving the bundles (parallel
  // test workers, a second dev server) never reads a half-written file.
  const staging = `${WEB_OUT}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, path.join(WEB_SOURCES, file)])),
    outdir: staging,
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    sourcemap: false,
    legalComments: 'none',
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  mkdirSync(WEB_OUT, { recursive: true });
  for (const file of readdirSync(staging)) renameSync(path.join(staging, file), path.join(WEB_OUT, file));
  rmSync(staging, { recursive: true, force: true });
}

let pending: Promise<void> | undefined;

/** Builds the bundles once per process when they are missing or stale; later calls share the result. */
export function ensureWebBundles(): Promise<void> {
  pending ??= bundlesFresh() ? Promise.resolve() : buildWebBundles();
  return pending;
}
