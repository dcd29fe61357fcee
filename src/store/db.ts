/**
 * Opening station databases. Snapshot databases are written once by the loader and then only
 * read: the web side opens them read-only. The SQLite driver (better-sqlite3-multiple-ciphers,
 * the better-sqlite3 API with SQLCipher-compatible encryption for the station's at-rest key) is
 * imported here and nowhere else.
 */
import { chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { ReservError, toReservError } from '../core/errors.ts';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.ts';
import { blockReader } from './raw-blocks.ts';

export type Db = Database.Database;

/**
 * Every connection gets `rj_raw`, which the `resource` view uses to read a resource's raw text
 * out of its compressed block (see raw-blocks.ts). Each connection has its own block cache and
 * opens exactly one database (nothing is attached), so a block's key names one content.
 */
function withFunctions(db: Db): Db {
  db.function('rj_raw', { deterministic: true }, blockReader() as (...args: unknown[]) => string);
  return db;
}

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
  const db = withFunctions(new Database(file));
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -65536');
  migrate(db);
  return db;
}

export function openReadOnly(file: string): Db {
  const db = withFunctions(new Database(file, { readonly: true, fileMustExist: true }));
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
 * How a database is encrypted at rest. New files use AEGIS-256 (an authenticated cipher: every
 * page carries a tag, so a changed page is an error, not wrong data). With AES hardware it costs
 * about what no encryption costs, where SQLCipher 4's scheme (AES-CBC plus HMAC-SHA512 per page)
 * made the import's integrity check six times slower. Files written by earlier versions use the
 * SQLCipher 4 scheme and are still opened with it.
 */
const SCHEMES = {
  aegis: ["cipher = 'aegis'", "algorithm = 'aegis-256'"],
  sqlcipher4: ["cipher = 'sqlcipher'", 'legacy = 4'],
} as const;

function keyed(
  file: string,
  keyHex: string,
  scheme: keyof typeof SCHEMES,
  options: { readonly?: boolean; create?: boolean },
): Db {
  const db = withFunctions(
    new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: !(options.create ?? false),
    }),
  );
  for (const pragma of SCHEMES[scheme]) db.pragma(pragma);
  db.pragma(`key = "x'${keyHex}'"`);
  // The cipher encrypts the database and its journals, not SQLite's temporary files (sorts for
  // CREATE INDEX, large ORDER BY): keep those in memory so no plaintext ever reaches the disk.
  db.pragma('temp_store = MEMORY');
  return db;
}

/** Whether the first read works; a wrong key (or scheme) only shows there. */
function probe(db: Db): unknown {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return undefined;
  } catch (cause) {
    db.close();
    return cause;
  }
}

const notADatabase = (cause: unknown) => (cause as { code?: unknown }).code === 'SQLITE_NOTADB';

/**
 * Open (or create) a database encrypted at rest with the station's key (raw 256-bit key). A
 * wrong key only shows at the first read, so the key is probed at once and a mismatch reported
 * as STORE_KEY_WRONG instead of a confusing error later. A file that is not readable with the
 * current scheme is tried with the earlier one before the key is called wrong.
 */
export function openEncrypted(
  file: string,
  keyHex: string,
  options: { readonly?: boolean; create?: boolean } = {},
): Db {
  if (!/^[0-9a-f]{64}$/.test(keyHex))
    throw new ReservError('STORE_KEY_WRONG', { details: ['the key is not 64 hex digits'] });
  const existed = existsSync(file);
  let db = keyed(file, keyHex, 'aegis', options);
  // Owner-only, like the keys: the content is encrypted, but there is no reason to share it.
  if (options.create) chmodSync(file, 0o600);
  let cause = probe(db);
  if (cause !== undefined && notADatabase(cause) && existed) {
    db = keyed(file, keyHex, 'sqlcipher4', options);
    cause = probe(db);
  }
  if (cause === undefined) return db;
  // SQLITE_NOTADB is what a wrong key looks like; anything else (a full disk) is itself.
  if (notADatabase(cause))
    throw new ReservError('STORE_KEY_WRONG', { details: [`file: ${file}`], cause });
  throw toReservError(cause);
}
