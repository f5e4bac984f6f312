import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** The PostgreSQL the tests run against; created and migrated by global-setup. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dealstream_test';

/** Runs one statement on a connection of its own, outside the app (for checks that must not trust the app). */
export async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = [], url = TEST_DATABASE_URL): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The scratch databases this run made, one name a line: the global teardown checks each was dropped. */
export const SCRATCH_LIST = path.join(tmpdir(), `dealstream-scratch-${new URL(TEST_DATABASE_URL).pathname.slice(1)}.txt`);

/**
 * An empty database of its own (dropped and created anew) beside the test database, for a
 * test whose bulk writes must not share the event log with the others: a long transaction
 * that writes events holds up delivery of every later event until it commits.
 */
export async function scratchDatabase(suffix: string): Promise<string> {
  const url = new URL(TEST_DATABASE_URL);
  const name = `${url.pathname.slice(1)}_${suffix}`;
  appendFileSync(SCRATCH_LIST, `${name}\n`);
  await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], Object.assign(new URL(url), { pathname: '/postgres' }).toString());
  await sql(`CREATE DATABASE "${name}"`, [], Object.assign(new URL(url), { pathname: '/postgres' }).toString());
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a database scratchDatabase made (in the test's afterAll, after the app on it has stopped). */
export async function dropScratchDatabase(scratchUrl: string): Promise<void> {
  const name = new URL(scratchUrl).pathname.slice(1);
  await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], Object.assign(new URL(TEST_DATABASE_URL), { pathname: '/postgres' }).toString());
}

/** Folds the stage-visit backlog into `stage_visits`, as a report does before it reads them. */
export async function catchUpVisits(url = TEST_DATABASE_URL): Promise<void> {
  await sql('SELECT stage_visits_catch_up(NULL)', [], url);
}
