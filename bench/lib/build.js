'use strict';
const { execFileSync, execSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./servers');

/** tsc emits even when type errors remain (others' unfinished files): warn, and let the start show whether it runs. */
function compile(dir) {
  try {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  } catch {
    console.warn(`warning: tsc reported type errors in ${dir}; running what it emitted`);
  }
}

/**
 * Compiles Dealstream with `tsc -p tsconfig.build.json` (what `npm run build` runs; no ts-node at run time) and returns the folder to run
 * `dist/src/main.js` from. With a git ref, compiles that commit from a clean export of it
 * (the working tree may hold unfinished work); without one, the working tree as it is.
 */
function buildDealstream(ref) {
  if (!ref) {
    compile(ROOT);
    return ROOT;
  }
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: ROOT, encoding: 'utf8' }).trim();
  const dir = path.join(os.tmpdir(), `dealstream-bench-${commit}`);
  if (!fs.existsSync(path.join(dir, 'dist', 'src', 'main.js'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execSync(`git archive ${commit} | tar -x -C ${JSON.stringify(dir)}`, { cwd: ROOT, stdio: 'inherit' });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    if (!fs.existsSync(path.join(dir, 'tsconfig.build.json'))) fs.copyFileSync(path.join(ROOT, 'tsconfig.build.json'), path.join(dir, 'tsconfig.build.json'));
    compile(dir);
  }
  console.log(`Dealstream built from commit ${commit} in ${dir}`);
  return dir;
}

module.exports = { buildDealstream };
