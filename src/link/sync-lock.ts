/**
 * One sync at a time per station. `station run` never overlaps its own syncs, but an operator
 * may type `reservjournal sync` while the service runs; two syncs would write the same partial
 * download and tidy away each other's finished file.
 *
 * Like the import lock, `incoming/sync.lock` is an operating-system lock (src/core/os-lock.ts):
 * dropped by the system when the process ends in any way; a second sync gets
 * SYNC_IN_PROGRESS at once.
 */
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { acquireOsLock } from '../core/os-lock.ts';

export function acquireSyncLock(incomingDir: string): () => void {
  const file = path.join(incomingDir, 'sync.lock');
  return acquireOsLock(
    file,
    () => new ReservError('SYNC_IN_PROGRESS', { details: [`another sync holds ${file}`] }),
  );
}
