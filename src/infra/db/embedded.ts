import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';

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

export async function openEmbeddedDatabase(dataDir: string): Promise<PGlite> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  // Parse like node-postgres does, so both databases hand the code the same values.
  const asString = (value: string) => value;
  return PGlite.create(dataDir, { parsers: { [types.INT8]: asString, [types.NUMERIC]: asString } });
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
      tail.then(() => callback?.(null));
    }
  }
  return { Pool };
}
