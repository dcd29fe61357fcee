/**
 * What went wrong while staging, in the station's words. Only a failure of the content itself
 * (authentication tag, gzip stream, a line) is SNAPSHOT_CONTENT_INVALID, the code that says
 * "report this to the exporter". A failing read of the snapshot file or a failing write of the
 * staging database is the station's own disk: it keeps its I/O meaning (disk full, permissions,
 * or the file could not be read), so nobody chases the exporter for a bad disk.
 */
import { isErrno, ReservError, toReservError } from '../core/errors.ts';

export function stagingFailure(error: unknown, name: string): ReservError {
  if (error instanceof ReservError) return error;
  if (isErrno(error) && typeof error.syscall === 'string') {
    const mapped = toReservError(error);
    if (mapped.code !== 'INTERNAL') return mapped;
    return new ReservError('SNAPSHOT_UNREADABLE', {
      details: [`${name}: ${error.code} while reading the snapshot file`],
      cause: error,
    });
  }
  return new ReservError('SNAPSHOT_CONTENT_INVALID', {
    details: [`${name}: cannot be decrypted or decompressed`],
  });
}
