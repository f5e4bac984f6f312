import 'reflect-metadata';
import { DEFAULT_DATA_DIR } from '../src/config';
import { createDataSource, migrate } from '../src/infra/db/data-source';
import { openEmbeddedDatabase } from '../src/infra/db/embedded';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits. */
async function main() {
  const url = process.env.DATABASE_URL;
  const dataSource = url
    ? createDataSource({ url })
    : createDataSource({ embedded: await openEmbeddedDatabase(process.env.DATA_DIR || DEFAULT_DATA_DIR) });
  await dataSource.initialize();
  await migrate(dataSource);
  const applied = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  console.log(`migrations applied: ${applied.length} (latest ${applied.at(-1)?.name ?? 'none'})`);
  await dataSource.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
