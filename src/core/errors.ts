/**
 * The one error currency of Reservjournal.
 *
 * Every failure a person can meet has a stable code in ERRORS below, with a message that says what
 * happened, a hint that says what to do next, the process exit code the CLI uses, and the HTTP
 * status the web station answers with. `docs/errors.md` lists the same table; a test fails when the
 * two drift apart. Codes are never reused: a retired code stays in the table marked `retired`.
 *
 * Messages and hints must never contain patient data: they are shown on screen and written to the
 * log. Details that may help an operator (a file name, a line number) go into `details`, which the
 * CLI prints and the log keeps, but which never holds resource content.
 */

export interface ErrorSpec {
  readonly message: string;
  readonly hint: string;
  readonly exitCode: number;
  readonly httpStatus: number;
}

export const ERRORS = {
  USAGE: {
    message: 'The command line could not be understood.',
    hint: 'Run `reservjournal --help` to see the commands and their options.',
    exitCode: 2,
    httpStatus: 400,
  },
  CONFIG_INVALID: {
    message: 'The configuration is not valid.',
    hint: 'Correct the settings listed above (flags, RESERVJOURNAL_* variables or the config file) and start again.',
    exitCode: 78,
    httpStatus: 500,
  },
  CONFIG_FILE_UNREADABLE: {
    message: 'The configuration file could not be read as JSON.',
    hint: 'Check the path given with --config and that the file is valid JSON.',
    exitCode: 78,
    httpStatus: 500,
  },
  DATA_DIR_UNUSABLE: {
    message: 'The station data directory cannot be created or written.',
    hint: 'Choose another folder with --data-dir or RESERVJOURNAL_DATA_DIR, or fix its permissions.',
    exitCode: 73,
    httpStatus: 500,
  },
  SOURCE_NOT_FOUND: {
    message: 'The export folder has no manifest.json.',
    hint: 'Point --source at a folder written by `reservjournal generate` or a FHIR Bulk Data export.',
    exitCode: 66,
    httpStatus: 500,
  },
  SOURCE_MANIFEST_INVALID: {
    message: 'The export manifest is not a valid Bulk Data manifest.',
    hint: 'The manifest needs transactionTime and an output list with type and url; export the data again.',
    exitCode: 65,
    httpStatus: 500,
  },
  SOURCE_FILE_INVALID: {
    message: 'A file in the export could not be read as FHIR NDJSON.',
    hint: 'Export the data again; the station keeps serving the data it already had.',
    exitCode: 65,
    httpStatus: 500,
  },
  GENERATE_OUT_NOT_EMPTY: {
    message: 'The output folder for generated data already contains files.',
    hint: 'Give an empty or new folder with --out, or add --force to overwrite it.',
    exitCode: 73,
    httpStatus: 500,
  },
  STORE_NO_DATA: {
    message: 'This station has no data loaded yet.',
    hint: 'Import a snapshot first with `reservjournal import FILE` (or run `npm start` for the demo station).',
    exitCode: 69,
    httpStatus: 503,
  },
  STORE_SCHEMA_NEWER: {
    message: 'The station database was written by a newer version of Reservjournal.',
    hint: 'Install the newer version again, or set up the station anew in an empty data directory.',
    exitCode: 69,
    httpStatus: 500,
  },
  PORT_IN_USE: {
    message: 'The port for the station web page is already in use.',
    hint: 'Stop the other program using it, or choose another port with --port or PORT.',
    exitCode: 75,
    httpStatus: 500,
  },
  NOT_FOUND: {
    message: 'The page or record was not found in this copy of the journal.',
    hint: 'Go back to the unit list and search again; the record may not be in this copy.',
    exitCode: 1,
    httpStatus: 404,
  },
  HOST_REJECTED: {
    message: 'The request named a host this station does not serve.',
    hint: 'Open the station at the address it printed when it started (http://127.0.0.1:PORT).',
    exitCode: 1,
    httpStatus: 421,
  },
  FORBIDDEN_ORIGIN: {
    message: 'A form was sent from a page that does not belong to this station.',
    hint: 'Open the station at its own address and send the form again.',
    exitCode: 1,
    httpStatus: 403,
  },
  KEY_UNREADABLE: {
    message: 'A key file could not be read, or holds the wrong kind of key.',
    hint: 'Check the path; exporter keys come from `reservjournal keys exporter`, station keys from `reservjournal station init`.',
    exitCode: 66,
    httpStatus: 500,
  },
  KEY_EXISTS: {
    message: 'A key file already exists at that place and is never overwritten.',
    hint: 'Choose another folder with --out, or move the old keys away first if you really mean to replace them.',
    exitCode: 73,
    httpStatus: 500,
  },
  STATION_EXISTS: {
    message: 'This data directory already holds a station.',
    hint: 'Use the existing station, or choose an empty folder with --data-dir for a new one.',
    exitCode: 73,
    httpStatus: 500,
  },
  STATION_NOT_INITIALISED: {
    message: 'This data directory holds no station yet.',
    hint: 'Run `reservjournal station init --data-dir DIR --trust-exporter exporter.pub` first.',
    exitCode: 69,
    httpStatus: 503,
  },
  STORE_KEY_WRONG: {
    message: 'A station database cannot be opened with the station database key.',
    hint: 'Make sure keys/db.key belongs to this data directory (see docs/operations.md on moving the key).',
    exitCode: 69,
    httpStatus: 500,
  },
  SNAPSHOT_UNREADABLE: {
    message: 'The snapshot file could not be read.',
    hint: 'Check the path and that the file was copied completely.',
    exitCode: 66,
    httpStatus: 500,
  },
  SNAPSHOT_MALFORMED: {
    message: 'The file is not a Reservjournal snapshot, or its header is damaged.',
    hint: 'Fetch the snapshot again from the exporter; the station keeps serving its current data.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_SIGNER_UNTRUSTED: {
    message: 'The snapshot is signed by a key this station does not trust.',
    hint: 'Check that it comes from your exporter; to trust a new exporter key, add it with `reservjournal station trust --add FILE.pub`.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_SIGNATURE_INVALID: {
    message: 'The snapshot signature does not verify: the file was altered or damaged.',
    hint: 'Fetch the snapshot again; if it keeps failing, report it to the people who run the exporter.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_ROLLBACK: {
    message: 'The snapshot is older than the one this station has already accepted.',
    hint: 'Fetch the newest snapshot; an older one is never installed over a newer one.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_FORK: {
    message:
      'The snapshot conflicts with one already accepted: the same sequence number with other content, or a reused snapshot id.',
    hint: 'Report this to the people who run the exporter at once: two different snapshots were signed with one number.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_WRONG_ENVIRONMENT: {
    message: 'The snapshot belongs to another environment (test or production) than this station.',
    hint: 'Use a snapshot built for this station’s environment.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_NOT_FOR_STATION: {
    message: 'The snapshot is not addressed to this station.',
    hint: 'Use the snapshot the exporter built for this station (its key id is shown by `reservjournal status`).',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_FILE_MISMATCH: {
    message: 'A payload file differs from what the signed manifest says (size or checksum).',
    hint: 'Fetch the snapshot again; the file was altered, truncated or mixed with another snapshot.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_TOO_LARGE: {
    message: 'The snapshot exceeds the size limits of this station.',
    hint: 'Check where the snapshot comes from; a station accepts at most 8 GiB of payload, 64 GiB unpacked and 512 files.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_CONTENT_INVALID: {
    message: 'The snapshot’s content is not valid FHIR NDJSON as the manifest describes it.',
    hint: 'Report this to the people who run the exporter; the station keeps serving its current data.',
    exitCode: 65,
    httpStatus: 500,
  },
  SNAPSHOT_CHECK_FAILED: {
    message: 'The imported snapshot failed its final checks (database integrity or counts).',
    hint: 'Try the import again; if it fails again, report it. The station keeps serving its current data.',
    exitCode: 70,
    httpStatus: 500,
  },
  IMPORT_IN_PROGRESS: {
    message: 'Another import is running on this station.',
    hint: 'Wait for it to finish and try again; the station keeps serving its current data meanwhile.',
    exitCode: 75,
    httpStatus: 503,
  },
  DISK_FULL: {
    message: 'The disk is full or cannot be written.',
    hint: 'Free space on the station’s disk (or check the disk) and import again; the station keeps serving its current data.',
    exitCode: 74,
    httpStatus: 507,
  },
  AUTH_REQUIRED: {
    message: 'Sign in to see this page.',
    hint: 'Sign in with your own account, or with an emergency code from the on-call unit manager.',
    exitCode: 77,
    httpStatus: 401,
  },
  AUTH_FAILED: {
    message: 'The user name, password or code is not right.',
    hint: 'Try again. If you cannot get in, call the on-call unit manager for an emergency code (numbers on the sign-in page).',
    exitCode: 77,
    httpStatus: 401,
  },
  AUTH_THROTTLED: {
    message: 'Too many failed sign-ins for this name: wait a moment before the next try.',
    hint: 'Wait the seconds shown and try again, or ask the on-call unit manager for an emergency code.',
    exitCode: 75,
    httpStatus: 429,
  },
  SESSION_EXPIRED: {
    message: 'You were signed out because the session ended.',
    hint: 'Sign in again. Sessions end after 15 minutes without use and always after 12 hours.',
    exitCode: 77,
    httpStatus: 401,
  },
  ACCESS_DENIED: {
    message: 'Your account may not see or do this.',
    hint: 'Go back to your units. If you need this for the care of a resident, use emergency access with a reason, or call the on-call unit manager.',
    exitCode: 77,
    httpStatus: 403,
  },
  BREAK_GLASS_REQUIRED: {
    message: 'This resident belongs to a unit outside your account.',
    hint: 'Give the reason you need the record; the access is logged and reviewed.',
    exitCode: 77,
    httpStatus: 403,
  },
  PASSWORD_REJECTED: {
    message: 'The password does not meet the rules.',
    hint: 'Use at least 15 characters (8 with a second factor); a few unrelated words work well. Common passwords are refused.',
    exitCode: 65,
    httpStatus: 400,
  },
  USER_EXISTS: {
    message: 'A user with this name already exists on the station.',
    hint: 'Choose another user name, or use `reservjournal users reset` to change the existing user.',
    exitCode: 73,
    httpStatus: 409,
  },
  USER_NOT_FOUND: {
    message: 'No user with this name exists on the station.',
    hint: 'Run `reservjournal users list --data-dir D` to see the users.',
    exitCode: 67,
    httpStatus: 404,
  },
  EMERGENCY_CODE_INVALID: {
    message: 'The emergency access request is not valid.',
    hint: 'Give a unit of this station, at most 12 hours, a reason, and an on-call user (`--by`) who exists.',
    exitCode: 65,
    httpStatus: 400,
  },
  AUDIT_UNAVAILABLE: {
    message: 'The audit log cannot be written, so no patient data is shown.',
    hint: 'Try again in a moment. If it persists, call IT: the station must log every access before it shows anything.',
    exitCode: 74,
    httpStatus: 503,
  },
  AUDIT_CHAIN_BROKEN: {
    message: 'The audit log has been altered: its hash chain does not verify.',
    hint: 'Keep the station and its data directory as they are and report it to the log reviewer and IT; the first bad entry is named above.',
    exitCode: 65,
    httpStatus: 500,
  },
  SOURCE_UNREACHABLE: {
    message: 'The FHIR server could not be reached, or did not answer in time.',
    hint: 'Check the address (--fhir-base), the network and the server; nothing was published and stations keep their data.',
    exitCode: 69,
    httpStatus: 502,
  },
  SOURCE_AUTH_FAILED: {
    message: 'The FHIR server refused the credentials.',
    hint: 'Check the bearer token, or the SMART client id and key registered with the journal system.',
    exitCode: 77,
    httpStatus: 502,
  },
  SOURCE_EXPORT_FAILED: {
    message: 'The FHIR server could not complete the export.',
    hint: 'The server’s own words are listed above; try again later or ask the journal system’s administrators. Nothing was published.',
    exitCode: 69,
    httpStatus: 502,
  },
  SOURCE_RESPONSE_INVALID: {
    message: 'The FHIR server answered with something that is not valid FHIR for this request.',
    hint: 'Check that the address points at the FHIR R4 base of the journal system (the URL that ends before /Patient).',
    exitCode: 65,
    httpStatus: 502,
  },
  EXPORTER_BUSY: {
    message: 'Another exporter run is using this outbox.',
    hint: 'Wait for it to finish; if no exporter is running, the lock is released on its own after a crash.',
    exitCode: 75,
    httpStatus: 503,
  },
  OUTBOX_UNUSABLE: {
    message: 'The exporter’s outbox folder cannot be created or written.',
    hint: 'Fix the outbox path or its permissions in the exporter configuration; the snapshots published before stay in place.',
    exitCode: 73,
    httpStatus: 500,
  },
  SYNC_UNREACHABLE: {
    message: 'The exporter’s outbox could not be reached.',
    hint: 'The station keeps serving its current data. Check the network and the --from address; sync tries again on its own.',
    exitCode: 69,
    httpStatus: 503,
  },
  SYNC_INDEX_INVALID: {
    message: 'The outbox has no valid index for this station.',
    hint: 'Check that --from points at the exporter’s outbox and that the exporter publishes for this station’s name.',
    exitCode: 65,
    httpStatus: 502,
  },
  SYNC_DOWNLOAD_MISMATCH: {
    message: 'The downloaded snapshot differs from what the outbox index announced.',
    hint: 'Sync again; if it repeats, report it to the people who run the exporter. The station keeps serving its current data.',
    exitCode: 65,
    httpStatus: 502,
  },
  SYNC_IN_PROGRESS: {
    message: 'Another sync is running on this station.',
    hint: 'Wait for it to finish (the station service syncs on its own schedule); the station keeps serving its current data.',
    exitCode: 75,
    httpStatus: 503,
  },
  AUDIT_DELIVERY_FAILED: {
    message: 'The audit log could not be delivered to the exporter.',
    hint: 'Nothing is deleted on the station; delivery resumes by itself when the link is up.',
    exitCode: 69,
    httpStatus: 503,
  },
  INTERNAL: {
    message: 'An internal error occurred.',
    hint: 'Please report this to the people who run the station; the log has the details.',
    exitCode: 70,
    httpStatus: 500,
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class ReservError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly exitCode: number;
  readonly httpStatus: number;
  /** Operator-facing facts (never patient data): file names, line numbers, problems found. */
  readonly details: readonly string[];

  constructor(code: ErrorCode, options: { details?: readonly string[]; cause?: unknown } = {}) {
    const spec: ErrorSpec = ERRORS[code];
    super(spec.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ReservError';
    this.code = code;
    this.hint = spec.hint;
    this.exitCode = spec.exitCode;
    this.httpStatus = spec.httpStatus;
    this.details = options.details ?? [];
  }
}

/** Normalise anything thrown into a ReservError; unknown failures become INTERNAL. */
export function toReservError(error: unknown): ReservError {
  if (error instanceof ReservError) return error;
  if (isErrno(error) && error.code === 'EADDRINUSE')
    return new ReservError('PORT_IN_USE', { cause: error });
  // SQLite reports a full disk as SQLITE_FULL, or as a failed write or shared-memory extension.
  if (isErrno(error) && DISK_FULL_CODES.has(error.code ?? ''))
    return new ReservError('DISK_FULL', { cause: error });
  // A file or folder the station's account may not write (wrong owner, read-only mount): the
  // operator's next step is the data directory's permissions, not a bug report.
  if (isErrno(error) && NOT_WRITABLE_CODES.has(error.code ?? ''))
    return new ReservError('DATA_DIR_UNUSABLE', {
      cause: error,
      ...(error.path ? { details: [`path: ${error.path}`] } : {}),
    });
  return new ReservError('INTERNAL', { cause: error });
}

const DISK_FULL_CODES = new Set([
  'ENOSPC',
  'SQLITE_FULL',
  'SQLITE_IOERR_WRITE',
  'SQLITE_IOERR_SHMSIZE',
]);

const NOT_WRITABLE_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'SQLITE_READONLY']);

export function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
