import { Client } from 'pg';
import { createDataSource, migrate } from '../../src/infra/db/data-source';
import { dropScratchDatabase, scratchDatabase } from './database';
import { startTestApp, TestApp } from './test-app';

/** A scratch database (see scratchDatabase) with every migration applied. */
export async function migratedScratchDatabase(suffix: string): Promise<string> {
  const url = await scratchDatabase(suffix);
  const dataSource = createDataSource({ url, poolSize: 1 });
  await dataSource.initialize();
  await migrate(dataSource);
  await dataSource.destroy();
  return url;
}

/**
 * An app on a migrated database of the test file's own: started before its tests, stopped and
 * the database dropped after them. Read `app` and `url` inside the tests.
 */
export function appOnItsOwnDatabase(suffix: string): { readonly app: TestApp; readonly url: string } {
  const own = {} as { app: TestApp; url: string };
  beforeAll(async () => {
    own.url = await migratedScratchDatabase(suffix);
    own.app = await startTestApp({ DATABASE_URL: own.url });
  }, 60_000);
  afterAll(async () => {
    try {
      await own.app?.stop();
    } finally {
      await dropScratchDatabase(own.url);
    }
  });
  return own;
}

/**
 * A client of a migrated database of the test file's own: connected before its tests, ended
 * and the database dropped after them. Read `client` inside the tests.
 */
export function clientOnItsOwnDatabase(suffix: string): { readonly client: Client } {
  const own = {} as { client: Client; url: string };
  beforeAll(async () => {
    own.url = await migratedScratchDatabase(suffix);
    own.client = new Client({ connectionString: own.url });
    await own.client.connect();
  }, 60_000);
  afterAll(async () => {
    try {
      await own.client?.end();
    } finally {
      await dropScratchDatabase(own.url);
    }
  });
  return own;
}
