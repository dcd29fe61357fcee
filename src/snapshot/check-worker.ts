/**
 * Worker thread of the import: `PRAGMA integrity_check` of the finished staging database on a
 * connection of its own, so that the main thread can look for dangling references at the same
 * time (both only read; the findings are written after both are done, see import.ts). The
 * import starts it before its last writes (rooms, search index, commit) and sends 'check' when
 * the database is complete, so the thread's start-up is not on the way.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toReservError } from '../core/errors.ts';
import { openEncrypted } from '../store/db.ts';

export interface CheckJob {
  readonly file: string;
  readonly keyHex: string;
}

export type CheckMessage =
  { kind: 'checked'; result: string } | { kind: 'error'; code: string; details: string[] };

function check(job: CheckJob): CheckMessage {
  try {
    const db = openEncrypted(job.file, job.keyHex, { readonly: true });
    try {
      // The staging connection's page cache size: the check looks up every row in every index,
      // and with 16 MB it took a fifth longer at 100,000 people.
      db.pragma('cache_size = -40960');
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      return { kind: 'checked', result: rows.map((r) => r.integrity_check).join('; ') };
    } finally {
      db.close();
    }
  } catch (error) {
    const e = toReservError(error);
    return { kind: 'error', code: e.code, details: [...e.details] };
  }
}

const port = parentPort;
if (port) port.once('message', () => port.postMessage(check(workerData as CheckJob)));
