import { readdirSync, readFileSync } from 'node:fs';
import { applyDatabaseEngine, databaseEngineDigest, databaseEngineFiles, sqlStatements } from '../../src/infra/db/sql-files';
import { clientOnItsOwnDatabase } from '../helpers/own-database';

/**
 * The functions and triggers the database runs are kept as current definitions in
 * src/features/<feature>/sql/*.sql. A database migrated from empty (as CI and every deployment
 * do) must hold exactly those: nothing redefined by a later migration behind their back,
 * nothing defined that no file states, and no file edited without a migration that applies it.
 */
const own = clientOnItsOwnDatabase('engine');

/** Every function and trigger of the schema, by name, with the definition PostgreSQL reports. */
async function definitions(): Promise<Record<string, string>> {
  const { rows } = await own.client.query<{ name: string; definition: string }>(`
    SELECT 'function ' || p.oid::regprocedure::text AS name, pg_get_functiondef(p.oid) AS definition
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT 'trigger ' || t.tgname || ' on ' || t.tgrelid::regclass::text, pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND NOT t.tgisinternal`);
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

test('a migrated database holds exactly the definitions of the .sql files', async () => {
  const migrated = await definitions();
  await own.client.query('BEGIN');
  try {
    await applyDatabaseEngine((statement) => own.client.query(statement));
    // Applying the files again changes nothing, and defines nothing the database lacked.
    expect(await definitions()).toEqual(migrated);
  } finally {
    await own.client.query('ROLLBACK');
  }
  // Nothing in the database that no file defines.
  const stated = databaseEngineFiles().flatMap((f) => sqlStatements(f.text))
    .map((s) => /^CREATE OR REPLACE (FUNCTION|TRIGGER) (\w+)/.exec(s)?.[2]).filter(Boolean);
  const present = Object.keys(migrated).map((name) => /^\w+ (\w+)/.exec(name)![1]);
  expect([...new Set(present)].sort()).toEqual([...new Set(stated)].sort());
});

test('the latest migration that applies the files was written for them as they are', () => {
  const applying = readdirSync('migrations').sort()
    .map((name) => readFileSync(`migrations/${name}`, 'utf8'))
    .filter((text) => text.includes('applyDatabaseEngine('));
  const recorded = /ENGINE_DIGEST = '(\w+)'/.exec(applying.at(-1) ?? '')?.[1];
  // On a mismatch: a .sql file changed; add a migration that applies the files, recording this digest.
  expect(recorded).toBe(databaseEngineDigest());
});

test('statements split at top-level semicolons, bodies whole', () => {
  const text = "-- a; comment\nCREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n  -- inner;\n  RETURN 1;\nEND\n$fn$;\nSELECT 1;\n";
  expect(sqlStatements(text)).toEqual([
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$\nBEGIN\n  -- inner;\n  RETURN 1;\nEND\n$fn$',
    'SELECT 1',
  ]);
});
