import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository's root (the folder with package.json and src/), found from this file both
 * in src/ and in the compiled dist/: .sql files are read from the sources, not compiled.
 */
function repositoryRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'src'))) return dir;
  }
  throw new Error(`no repository root above ${__dirname}`);
}

/** A database-engine file: a path under src/ and its text. */
export interface SqlFile {
  path: string;
  text: string;
}

/**
 * Every `src/features/<feature>/sql/*.sql`, in path order: the current definitions of the
 * functions and triggers the database runs for the features (each file creates or replaces
 * its own, self-contained).
 */
export function databaseEngineFiles(): SqlFile[] {
  const root = repositoryRoot();
  const features = path.join(root, 'src', 'features');
  const files: SqlFile[] = [];
  for (const feature of readdirSync(features).sort()) {
    const dir = path.join(features, feature, 'sql');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.sql')).sort()) {
      files.push({ path: path.relative(root, path.join(dir, name)), text: readFileSync(path.join(dir, name), 'utf8') });
    }
  }
  return files;
}

/** The digest of the files as they are now: a migration applying them records the one it was written for. */
export function databaseEngineDigest(files = databaseEngineFiles()): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\n${file.text}\n`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The statements of a .sql file, one by one (PGlite takes one statement per query): split at
 * semicolons outside dollar-quoted bodies, with comments outside bodies left out.
 */
export function sqlStatements(text: string): string[] {
  const statements: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (const line of text.split('\n')) {
    if (quote === null && /^\s*--/.test(line)) continue;
    for (const tag of line.match(/\$[A-Za-z_]*\$/g) ?? []) quote = quote === null ? tag : quote === tag ? null : quote;
    current += `${line}\n`;
    if (quote === null && line.trimEnd().endsWith(';')) {
      statements.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

/** Runs every database-engine file, statement by statement (creating or replacing what it defines). */
export async function applyDatabaseEngine(run: (sql: string) => Promise<unknown>, files = databaseEngineFiles()): Promise<void> {
  for (const file of files) {
    for (const statement of sqlStatements(file.text)) await run(statement);
  }
}
