/**
 * One sync at a time per station. `station run` never overlaps its own syncs, but an operator
 * may type `reservjournal sync` while the service runs; two syncs would write the same partial
 * download and tidy away each other's finished file.
 *
 * The lock works like the import lock (src/station/lock.ts): `incoming/sync.lock` is a tiny
 * SQLite database on which the sync holds an EXCLUSIVE transaction. The operating system drops
 * the lock when the process ends in any way, so there is no stale lock to detect or take over;
 * a second sync gets IMPORT_IN_PROGRESS at once (busy timeout 0).
 */
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { isErrno, ReservError } from '../core/errors.ts';

function busy(e: unknown): boolean {
  return isErrno(e) && (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED');
}

export function acquireSyncLock(incomingDir: string): () => void {
  const file = path.join(incomingDir, 'sync.lock');
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
    db.pragma('journal_mode = DELETE');
  } catch (e) {
    if (busy(e))
      throw new ReservError('IMPORT_IN_PROGRESS', { details: [`another sync holds ${file}`] });
    throw e;
  }
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (busy(e))
      throw new ReservError('IMPORT_IN_PROGRESS', { details: [`another sync holds ${file}`] });
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
