import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { Extension, PGlite, types } from '@electric-sql/pglite';

// The package types its contrib entries as ES modules only; its CommonJS build is what this loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };
import { EmbeddedOpenError, lockDataDir } from './data-dir-lock';

type Release = (err?: Error) => void;
type ConnectCallback = (err: Error | null, client?: SerialClient, release?: Release) => void;

/**
 * PGlite is one in-process session. If two requests share it, one's ROLLBACK undoes the
 * other's work, so this "pool" hands the session to one TypeORM query runner at a time:
 * a pool of one. It mimics the small part of `pg.Pool` that TypeORM's postgres driver uses.
 */
class SerialClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown[] | ((err: Error | null, result?: unknown) => void),
    callback?: (err: Error | null, result?: unknown) => void) {
    if (typeof params === 'function') [callback, params] = [params, undefined];
    try {
      const result = params?.length
        ? await this.db.query(sql, params)
        : (await this.db.exec(sql)).at(-1) ?? { rows: [], affectedRows: 0 };
      const shaped = { ...result, rowCount: result.affectedRows ?? result.rows.length, command: sql.trim().split(/\s/, 1)[0].toUpperCase() };
      callback?.(null, shaped);
      return shaped;
    } catch (err) {
      if (!callback) throw err;
      callback(err as Error);
    }
  }
}

/**
 * Opens the embedded database in `dataDir` (created when missing), after taking the folder's
 * lock: a second process on the same folder throws DataDirLockedError before PGlite reads a
 * byte. A folder PGlite cannot open throws EmbeddedOpenError, whose message says what to do.
 * `restoreFrom` (a backup, see scripts/backup.ts) fills an empty folder first.
 */
export async function openEmbeddedDatabase(dataDir: string, restoreFrom?: Blob): Promise<PGlite> {
  // Parse like node-postgres does, so both databases hand the code the same values.
  const asString = (value: string) => value;
  // pg_trgm: the trigram indexes that serve `search` filters (as on PostgreSQL, where it ships with contrib).
  const options = { parsers: { [types.INT8]: asString, [types.NUMERIC]: asString }, loadDataDir: restoreFrom, extensions: { pg_trgm } };
  if (dataDir === 'memory://') return PGlite.create(dataDir, options);
  mkdirSync(dataDir, { recursive: true });
  const release = lockDataDir(dataDir);
  try {
    return await PGlite.create(dataDir, options);
  } catch (err) {
    release();
    throw new EmbeddedOpenError(
      `The embedded database in DATA_DIR ${dataDir} cannot be opened (${(err as Error).message.split('\n', 1)[0]}): ` +
      'restore a backup (npm run restore -- <file>), or move the folder away to start afresh',
      { cause: err },
    );
  }
}

/** A TypeORM `driver` option that serves every connection from one PGlite session, in turn. */
export function serialPGliteDriver(db: PGlite) {
  const client = new SerialClient(db);
  let tail: Promise<void> = Promise.resolve();

  class Pool extends EventEmitter {
    connect(callback: ConnectCallback) {
      let release!: Release;
      const turn = new Promise<void>((resolve) => { release = () => resolve(); });
      const previous = tail;
      tail = previous.then(() => turn);
      previous.then(() => callback(null, client, release));
    }
    end(callback?: (err: Error | null) => void) {
      // Closing PGlite writes its last pages and ends its session: the folder is left clean.
      tail.then(() => db.close()).then(() => callback?.(null), (err: Error) => callback?.(err));
    }
  }
  return { Pool };
}
