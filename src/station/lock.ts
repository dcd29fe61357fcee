/**
 * One import at a time per station. Two imports at once would each clean up the other's staging
 * file. The lock is a file created exclusively (`wx`) holding the importer's process id; a lock
 * left by a process that no longer runs (killed, power cut) is taken over. A recycled process id
 * could keep a stale lock alive; the error then names the file, which an operator may remove.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isErrno, ReservError } from '../core/errors.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e) && e.code === 'EPERM';
  }
}

export function acquireImportLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'import.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rmSync(file, { force: true });
    } catch (e) {
      if (!isErrno(e) || e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && alive(holder))
        throw new ReservError('IMPORT_IN_PROGRESS', {
          details: [`process ${holder} holds ${file}`],
        });
      rmSync(file, { force: true });
    }
  }
  throw new ReservError('IMPORT_IN_PROGRESS', { details: [`cannot take ${file}`] });
}
