/**
 * One import at a time per station. Two imports at once would each clean up the other's staging
 * file.
 *
 * The lock is an operating-system lock, not a marker file: `import.lock` is a tiny SQLite
 * database on which the importer holds an EXCLUSIVE transaction for the whole import. The
 * operating system releases such a lock when the process ends in any way (crash, SIGKILL, power
 * loss), on Linux and on Windows alike, so there is no stale lock to detect and no takeover for
 * two late-comers to race over: whoever gets the lock holds it, everyone else gets
 * IMPORT_IN_PROGRESS at once (no waiting: busy timeout 0).
 *
 * Earlier versions wrote a plain file holding a process id at the same path; such a file is not
 * a database, is known to be ours, and is replaced.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isErrno, ReservError } from '../core/errors.ts';

function openLock(file: string): Database.Database {
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function busy(e: unknown): boolean {
  return isErrno(e) && (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED');
}

export function acquireImportLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'import.lock');
  let db: Database.Database;
  try {
    db = openLock(file);
  } catch (e) {
    if (busy(e)) throw new ReservError('IMPORT_IN_PROGRESS', { details: [`lock: ${file}`] });
    if (!isErrno(e) || e.code !== 'SQLITE_NOTADB') throw e;
    rmSync(file, { force: true });
    db = openLock(file);
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (busy(e))
      throw new ReservError('IMPORT_IN_PROGRESS', {
        details: [`another import holds ${file}`],
      });
    throw e;
  }
  return () => {
    try {
      db.exec('ROLLBACK');
    } finally {
      db.close();
    }
  };
}
