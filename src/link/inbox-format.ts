/**
 * The inbox: where stations deliver their audit log and their status back to the exporter side,
 * over HTTP (`reservjournal` inbox server, src/exporter/inbox.ts) or into a shared folder. Both
 * hold the same files:
 *
 *   INBOX/NAME/status.json                             the station's last report, replaced each time
 *   INBOX/NAME/audit/FROM-TO.ndjson                    audit entries FROM..TO as BALP AuditEvents
 *   INBOX/NAME/audit/FROM-TO.checkpoint.json           entry TO's chain head, signed by the station
 *
 * Audit files are written once and never changed: the same name again with the same bytes is a
 * harmless repeat (a station whose confirmation was lost sends the chunk again), with other bytes
 * it is a conflict and refused. Writing goes to a temporary file that is flushed and then linked
 * to its name (a link fails if the name exists, so two writers cannot replace each other's file;
 * rename would silently replace it), so a reader never sees a half-written file.
 *
 * Over HTTP every PUT is signed with the station's audit key (Ed25519, the key that signs audit
 * checkpoints): the signature covers the method, the path below the inbox root and the body's
 * SHA-256, so a body cannot be altered, moved to another station's path or to another file name.
 */
import { createHash, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { isErrno } from '../core/errors.ts';
import type { StationStatus } from '../station/status.ts';
import { STATION_NAME } from './outbox-format.ts';

export const STATUS_REPORT_FORMAT = 'reservjournal-station-report';
export const INBOX_FORMAT_VERSION = 1;

/**
 * `NAME/status.json`: what the exporter side knows of a station. No patient data: snapshot ids,
 * sequences, times, error codes and counts.
 */
export interface StationReport {
  readonly format: typeof STATUS_REPORT_FORMAT;
  readonly formatVersion: typeof INBOX_FORMAT_VERSION;
  readonly station: string;
  /** When the station wrote this report (its clock). */
  readonly at: string;
  readonly status: StationStatus;
  readonly link: {
    readonly lastAttemptAt: string | null;
    readonly lastOutcome: string | null;
    readonly lastCode: string | null;
    readonly lastSuccessAt: string | null;
    readonly exporterHeartbeatAt: string | null;
  };
  readonly audit: { readonly deliveredThrough: number; readonly head: number };
  /** Alert kinds active on the station when it wrote the report. */
  readonly activeAlerts: readonly string[];
}

/** Request headers of a signed PUT. */
export const HEADER = {
  sha256: 'x-reservjournal-sha256',
  keyId: 'x-reservjournal-key-id',
  signature: 'x-reservjournal-signature',
} as const;

/** Entries per audit file: bounded memory on both sides, and a cut transfer resends little. */
export const AUDIT_CHUNK_ENTRIES = 5000;

const SEQ_DIGITS = 12;
const AUDIT_FILE = /^(\d{12})-(\d{12})\.(ndjson|checkpoint\.json)$/;

export function auditFileBase(from: number, to: number): string {
  return `${String(from).padStart(SEQ_DIGITS, '0')}-${String(to).padStart(SEQ_DIGITS, '0')}`;
}

export type InboxPath =
  | { readonly station: string; readonly kind: 'status' }
  | {
      readonly station: string;
      readonly kind: 'audit' | 'checkpoint';
      readonly file: string;
      readonly from: number;
      readonly to: number;
    };

/** Parse a path below the inbox root (`NAME/status.json`, `NAME/audit/FILE`), or undefined. */
export function parseInboxPath(relative: string): InboxPath | undefined {
  const parts = relative.split('/');
  const station = parts[0] ?? '';
  if (!STATION_NAME.test(station)) return undefined;
  if (parts.length === 2 && parts[1] === 'status.json') return { station, kind: 'status' };
  if (parts.length !== 3 || parts[1] !== 'audit') return undefined;
  const match = AUDIT_FILE.exec(parts[2] ?? '');
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = Number(match[2]);
  if (from < 1 || to < from) return undefined;
  return {
    station,
    kind: match[3] === 'ndjson' ? 'audit' : 'checkpoint',
    file: parts[2]!,
    from,
    to,
  };
}

export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

function signedString(method: string, relative: string, sha256: string): Buffer {
  return Buffer.from(`reservjournal-inbox-v1\n${method}\n${relative}\n${sha256}`, 'utf8');
}

export function signRequest(
  method: string,
  relative: string,
  body: Uint8Array,
  key: { privateKey: KeyObject; keyId: string },
): Record<string, string> {
  const sha256 = sha256Hex(body);
  return {
    [HEADER.sha256]: sha256,
    [HEADER.keyId]: key.keyId,
    [HEADER.signature]: sign(null, signedString(method, relative, sha256), key.privateKey).toString(
      'base64',
    ),
  };
}

/** True only when the signature over method, path and the header's hash verifies. */
export function verifyRequest(
  method: string,
  relative: string,
  sha256: string,
  signature: string,
  publicKey: KeyObject,
): boolean {
  if (!/^[0-9a-f]{64}$/.test(sha256) || !/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(
      null,
      signedString(method, relative, sha256),
      publicKey,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}

function writeTemp(file: string, body: Uint8Array): string {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const fd = openSync(temp, 'wx', 0o640);
  try {
    writeSync(fd, body);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

function syncDir(dir: string): void {
  // Makes the new name itself durable; not possible on Windows, where the rename is enough.
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

/**
 * Store a file that is written once: `created` when new, `same` when it exists with exactly
 * these bytes, `conflict` when it exists with others (the existing file is never touched).
 */
export function storeOnce(file: string, body: Uint8Array): 'created' | 'same' | 'conflict' {
  const existing = readIfExists(file);
  if (existing !== undefined) return Buffer.compare(existing, body) === 0 ? 'same' : 'conflict';
  const temp = writeTemp(file, body);
  try {
    linkSync(temp, file);
  } catch (error) {
    if (isErrno(error) && error.code === 'EEXIST') {
      // Another writer got there first: judge its file like any existing one.
      const other = readFileSync(file);
      return Buffer.compare(other, body) === 0 ? 'same' : 'conflict';
    }
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  syncDir(path.dirname(file));
  return 'created';
}

/** Replace a file atomically (status.json): readers see the old or the new one, whole. */
export function storeReplace(file: string, body: Uint8Array): void {
  const temp = writeTemp(file, body);
  try {
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDir(path.dirname(file));
}

export function readIfExists(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if (isErrno(error) && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
