/**
 * Opening station databases. Snapshot databases are written once by the loader and then only
 * read: the web side opens them read-only. The SQLite driver (better-sqlite3-multiple-ciphers,
 * the better-sqlite3 API with SQLCipher-compatible encryption for the station's at-rest key) is
 * imported here and nowhere else.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { ReservError } from '../core/errors.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.ts';

export type Db = Database.Database;

export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_VERSION) {
    throw new ReservError('STORE_SCHEMA_NEWER', {
      details: [`database version ${current}, this program knows up to ${LATEST_VERSION}`],
    });
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** A new database file for bulk loading: no journal until it is complete. */
export function createForBulkLoad(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_VERSION) {
    db.close();
    throw new ReservError('STORE_SCHEMA_NEWER', {
      details: [`database version ${version}, this program knows up to ${LATEST_VERSION}`],
    });
  }
  return db;
}
