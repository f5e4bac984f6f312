import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DEFAULT_DATA_DIR } from '../src/config';
import { openEmbeddedDatabase } from '../src/infra/db/embedded';

const USAGE = `Usage: npm run backup -- <file.tar.gz>     writes a backup of the embedded database
       npm run restore -- <file.tar.gz>    replaces it with a backup

Both work on DATA_DIR (default ${DEFAULT_DATA_DIR}) while no server uses it: stop the server first.
A restore moves the folder it replaces aside (<folder>.before-restore-<time>), never deletes it.`;

/** Writes the embedded database in `dataDir` to `file`: PGlite's own dump, a gzipped tarball of the folder. */
async function backup(dataDir: string, file: string): Promise<void> {
  if (!existsSync(dataDir)) throw new Error(`DATA_DIR ${dataDir} does not exist: nothing to back up`);
  const db = await openEmbeddedDatabase(dataDir);
  try {
    const dump = await db.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await db.close();
  }
  console.log(`backed up ${dataDir} to ${file}`);
}

/** Replaces the embedded database in `dataDir` with the backup in `file`. */
async function restore(dataDir: string, file: string): Promise<void> {
  const backupFile = new Blob([readFileSync(file)]);
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    const aside = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dataDir, aside);
    console.log(`moved the current folder aside to ${aside}`);
  }
  const db = await openEmbeddedDatabase(dataDir, backupFile);
  await db.query('SELECT 1');
  await db.close();
  console.log(`restored ${dataDir} from ${file}`);
}

async function main() {
  const [mode, file] = process.argv.slice(2);
  if ((mode !== '--backup' && mode !== '--restore') || !file || file.startsWith('-')) {
    console.error(USAGE);
    process.exit(1);
  }
  if (process.env.DATABASE_URL) throw new Error('DATABASE_URL is set: back up PostgreSQL with pg_dump; this command is for the embedded database');
  const dataDir = process.env.DATA_DIR || DEFAULT_DATA_DIR;
  await (mode === '--backup' ? backup(dataDir, file) : restore(dataDir, file));
}

main().catch((err) => {
  console.error(`Error: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
