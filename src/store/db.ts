/**
 * Opening station databases. Snapshot databases are written once by the loader and then only
 * read: the web side opens them read-only. The SQLite driver (better-sqlite3-multiple-ciphers,
 * the better-sqlite3 API with SQLCipher-compatible encryption for the station's at-rest key) is
 * imported here and nowhere else.
 */
import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { ReservError, toReservError } from '../core/errors.ts';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations[migrations.length - 1]!.version;
  if (current > latest) {
    throw new ReservError('STORE_SCHEMA_NEWER', {
      details: [`database version ${current}, this program knows up to ${latest}`],
    });
  }
  for (const m of migrations) {
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

/**
 * Open (or create) a database encrypted at rest with the station's key (SQLCipher format, raw
 * 256-bit key). A wrong key only shows at the first read, so the key is probed at once and a
 * mismatch reported as STORE_KEY_WRONG instead of a confusing error later.
 */
export function openEncrypted(
  file: string,
  keyHex: string,
  options: { readonly?: boolean; create?: boolean } = {},
): Db {
  if (!/^[0-9a-f]{64}$/.test(keyHex))
    throw new ReservError('STORE_KEY_WRONG', { details: ['the key is not 64 hex digits'] });
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: !(options.create ?? false),
  });
  // Owner-only, like the keys: the content is encrypted, but there is no reason to share it.
  if (options.create) chmodSync(file, 0o600);
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${keyHex}'"`);
  // The cipher encrypts the database and its journals, not SQLite's temporary files (sorts for
  // CREATE INDEX, large ORDER BY): keep those in memory so no plaintext ever reaches the disk.
  db.pragma('temp_store = MEMORY');
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (cause) {
    db.close();
    // SQLITE_NOTADB is what a wrong key looks like; anything else (a full disk) is itself.
    if ((cause as { code?: unknown }).code === 'SQLITE_NOTADB')
      throw new ReservError('STORE_KEY_WRONG', { details: [`file: ${file}`], cause });
    throw toReservError(cause);
  }
  return db;
}
