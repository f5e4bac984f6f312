import 'reflect-metadata';
import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/infra/db/data-source';
import { rmSync } from 'node:fs';
import { SCRATCH_LIST, TEST_DATABASE_URL } from './database';

/** Creates the test database when it is missing and applies every migration to it. */
export default async function globalSetup() {
  rmSync(SCRATCH_LIST, { force: true }); // a run cut short left its list; its teardown never read it
  const url = new URL(TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  await admin.end();

  const dataSource = createDataSource({ url: TEST_DATABASE_URL, poolSize: 2 });
  await dataSource.initialize();
  await migrate(dataSource);
  await dataSource.destroy();
}
