/**
 * One import at a time per station. Two imports at once would each clean up the other's staging
 * file.
 *
 * The lock is an operating-system lock (src/core/os-lock.ts) on `import.lock`, held for the
 * whole import: the system releases it when the importer ends in any way, so there is no stale
 * lock and no takeover for two late-comers to race over; everyone else gets IMPORT_IN_PROGRESS
 * at once. Earlier versions wrote a plain file holding a process id at the same path; it is
 * replaced.
 */
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { acquireOsLock } from '../core/os-lock.ts';

export function acquireImportLock(dataDir: string): () => void {
  const file = path.join(dataDir, 'import.lock');
  return acquireOsLock(
    file,
    () => new ReservError('IMPORT_IN_PROGRESS', { details: [`another import holds ${file}`] }),
  );
}
