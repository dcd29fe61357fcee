/**
 * A lock the operating system keeps: a tiny SQLite file on which the holder keeps an EXCLUSIVE
 * transaction. The system releases it when the process ends in any way (crash, SIGKILL, power
 * loss), on Linux and on Windows alike, so there is never a stale lock to detect, and no
 * takeover that two late-comers could race over. A second taker gets SQLITE_BUSY at once (busy
 * timeout 0) and the caller's error.
 */
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { isErrno, type ReservError } from './errors.ts';

function busy(e: unknown): boolean {
  return isErrno(e) && (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED');
}

function open(file: string): Database.Database {
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma('journal_mode = DELETE');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/**
 * Take the lock on `file`, or throw `held()`. A file at that path that is not a database (an
 * older version's marker file, known to be ours) is replaced. Returns the release function.
 */
export function acquireOsLock(file: string, held: () => ReservError): () => void {
  let db: Database.Database;
  try {
    db = open(file);
  } catch (e) {
    if (busy(e)) throw held();
    if (!isErrno(e) || e.code !== 'SQLITE_NOTADB') throw e;
    rmSync(file, { force: true });
    db = open(file);
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (busy(e)) throw held();
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
