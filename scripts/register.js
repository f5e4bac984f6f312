/**
 * `node -r ./scripts/register.js src/main.ts`: runs the TypeScript sources as `npm start` does.
 * Each file is transpiled by SWC with the project's .swcrc (the options the tests run with) and
 * the output kept under node_modules/.cache/dealstream-swc, named by a hash of the file's text
 * and the options: a later start reads it instead of transpiling the server's few hundred files
 * again (a few tenths of a second of CPU on every later start). An edited file gets a new
 * entry; deleting the folder is always safe. No type checking: `npm run typecheck` does that.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const swcrc = fs.readFileSync(path.join(root, '.swcrc'), 'utf8');
const swcVersion = require('@swc/core/package.json').version;
const cacheDir = path.join(root, 'node_modules', '.cache', 'dealstream-swc');
let swc;

function transpile(source, filename) {
  const key = createHash('sha256').update(`${swcVersion}\0${swcrc}\0${filename}\0`).update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // Not transpiled yet (or the cache was cleared): SWC is loaded only now.
  }
  swc ??= require('@swc/core');
  const { code } = swc.transformSync(source, { ...JSON.parse(swcrc), swcrc: false, filename });
  try {
    // Written aside and renamed: a start killed mid-write leaves no half file to read later.
    fs.mkdirSync(cacheDir, { recursive: true });
    const partial = `${cached}.${process.pid}`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only checkout runs as well, transpiling on every start.
  }
  return code;
}

// Stack traces name the TypeScript lines (the output carries its source map inline).
process.setSourceMapsEnabled(true);

require.extensions['.ts'] = (module, filename) => {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
