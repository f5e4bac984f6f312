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
 * What `open` makes on a migrated database of the test file's own: made before its tests,
 * closed and the database dropped after them.
 */
function onItsOwnDatabase<T>(suffix: string, open: (url: string) => Promise<T>, close: (made: T) => Promise<void>): { made?: T; url: string } {
  const own = {} as { made?: T; url: string };
  beforeAll(async () => {
    own.url = await migratedScratchDatabase(suffix);
    own.made = await open(own.url);
  }, 60_000);
  afterAll(async () => {
    try {
      if (own.made) await close(own.made);
    } finally {
      await dropScratchDatabase(own.url);
    }
  });
  return own;
}

/** An app on a database of the test file's own (`onItsOwnDatabase`). Read `app` and `url` inside the tests. */
export function appOnItsOwnDatabase(suffix: string): { readonly app: TestApp; readonly url: string } {
  const own = onItsOwnDatabase(suffix, (url) => startTestApp({ DATABASE_URL: url }), (app) => app.stop());
  return { get app() { return own.made!; }, get url() { return own.url; } };
}

/** A client of a database of the test file's own (`onItsOwnDatabase`). Read `client` inside the tests. */
export function clientOnItsOwnDatabase(suffix: string): { readonly client: Client } {
  const own = onItsOwnDatabase(suffix, async (url) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  }, (client) => client.end());
  return { get client() { return own.made!; } };
}
