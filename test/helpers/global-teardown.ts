import { existsSync, readFileSync, rmSync } from 'node:fs';
import { SCRATCH_LIST, sql, TEST_DATABASE_URL } from './database';

/**
 * Every scratch database a test made must be dropped by that test (dropScratchDatabase). One
 * left behind is dropped here and fails the run, naming it.
 */
export default async function globalTeardown() {
  if (!existsSync(SCRATCH_LIST)) return;
  const made = [...new Set(readFileSync(SCRATCH_LIST, 'utf8').split('\n').filter(Boolean))];
  rmSync(SCRATCH_LIST, { force: true });
  const admin = Object.assign(new URL(TEST_DATABASE_URL), { pathname: '/postgres' }).toString();
  const left = (await sql<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = ANY($1)', [made], admin)).map((r) => r.datname);
  for (const name of left) await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], admin);
  if (left.length > 0) throw new Error(`tests left these databases behind (dropped now): ${left.join(', ')}`);
}
