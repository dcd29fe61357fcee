/**
 * Reading and verifying a snapshot before any payload byte is parsed (invariant I3):
 * header shape → signature by a trusted key → manifest shape → station policy (sequence,
 * environment, target) → exact file length, then the size and SHA-256 of every payload file.
 * Only a snapshot that passed all of these is handed to the importer.
 */
import { createHash, verify as verifySignature, type KeyObject } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, createReadStream } from 'node:fs';
import { ReservError } from '../core/errors.ts';
import {
  MAGIC,
  MAX_MANIFEST_BYTES,
  PREAMBLE_BYTES,
  SIGNATURE_BYTES,
  SIGNING_CONTEXT,
  canonicalJson,
  validateManifest,
  type Environment,
  type SnapshotManifest,
} from './format.ts';

export interface SnapshotHeader {
  readonly manifestBytes: Buffer;
  readonly signature: Buffer;
  /** File offset where the payload region starts. */
  readonly payloadStart: number;
  readonly fileSize: number;
}

export interface Limits {
  /** Largest encrypted payload accepted, in bytes. */
  readonly maxPayloadBytes: number;
  /** Largest total of decompressed NDJSON, in bytes (decompression-bomb cap). */
  readonly maxPlainBytes: number;
  readonly maxFiles: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxPayloadBytes: 8 * 1024 ** 3,
  maxPlainBytes: 64 * 1024 ** 3,
  maxFiles: 512,
};

function readExactly(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  if (done < length)
    throw new ReservError('SNAPSHOT_MALFORMED', { details: ['the file ends inside its header'] });
  return buf;
}

export function readHeader(file: string): SnapshotHeader {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (cause) {
    throw new ReservError('SNAPSHOT_UNREADABLE', { details: [`file: ${file}`], cause });
  }
  try {
    const fileSize = fstatSync(fd).size;
    const preamble = readExactly(fd, PREAMBLE_BYTES, 0);
    if (!preamble.subarray(0, MAGIC.length).equals(MAGIC))
      throw new ReservError('SNAPSHOT_MALFORMED', {
        details: ['not a snapshot file (wrong magic bytes)'],
      });
    const manifestLength = preamble.readUInt32BE(MAGIC.length);
    if (manifestLength === 0 || manifestLength > MAX_MANIFEST_BYTES)
      throw new ReservError('SNAPSHOT_MALFORMED', {
        details: [`manifest length ${manifestLength} is out of range`],
      });
    const manifestBytes = readExactly(fd, manifestLength, PREAMBLE_BYTES);
    const sigLength = readExactly(fd, 2, PREAMBLE_BYTES + manifestLength).readUInt16BE(0);
    if (sigLength !== SIGNATURE_BYTES)
      throw new ReservError('SNAPSHOT_SIGNATURE_INVALID', {
        details: [`signature length ${sigLength}, expected ${SIGNATURE_BYTES}`],
      });
    const signature = readExactly(fd, SIGNATURE_BYTES, PREAMBLE_BYTES + manifestLength + 2);
    return {
      manifestBytes,
      signature,
      payloadStart: PREAMBLE_BYTES + manifestLength + 2 + SIGNATURE_BYTES,
      fileSize,
    };
  } finally {
    closeSync(fd);
  }
}

/** Verify the signature with the trusted keys, then parse and check the manifest. */
export function verifyHeader(
  header: SnapshotHeader,
  trusted: readonly { keyId: string; key: KeyObject }[],
): SnapshotManifest {
  const signed = Buffer.concat([SIGNING_CONTEXT, header.manifestBytes]);
  const signer = trusted.find((t) => verifySignature(null, signed, t.key, header.signature));
  if (signer === undefined) {
    // Tell apart "signed by someone we do not trust" from "damaged": look at the claimed signer.
    // The claim is unauthenticated and only chooses the error message.
    let claimed: unknown;
    try {
      claimed = (JSON.parse(header.manifestBytes.toString('utf8')) as { signer?: unknown }).signer;
    } catch {
      claimed = undefined;
    }
    const known = trusted.some((t) => t.keyId === claimed);
    throw new ReservError(
      known || claimed === undefined ? 'SNAPSHOT_SIGNATURE_INVALID' : 'SNAPSHOT_SIGNER_UNTRUSTED',
      {
        details:
          typeof claimed === 'string' && !known ? [`signer key id ${claimed.slice(0, 16)}`] : [],
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header.manifestBytes));
  } catch {
    throw new ReservError('SNAPSHOT_MALFORMED', { details: ['manifest is not UTF-8 JSON'] });
  }
  const manifest = validateManifest(parsed);
  // Only one byte string can be signed for a manifest: its canonical form.
  if (!Buffer.from(canonicalJson(parsed), 'utf8').equals(header.manifestBytes))
    throw new ReservError('SNAPSHOT_MALFORMED', {
      details: ['the manifest is not in canonical form'],
    });
  if (manifest.signer !== signer.keyId)
    throw new ReservError('SNAPSHOT_SIGNATURE_INVALID', {
      details: ['the manifest names another signer than the key that signed it'],
    });
  return manifest;
}

export interface StationPolicy {
  readonly name: string;
  readonly keyId: string;
  readonly environment: Environment;
  readonly lastAcceptedSequence: number;
  /** The snapshot accepted earlier with this sequence, if any. */
  readonly acceptedWithSequence: (
    sequence: number,
  ) => { snapshotId: string; manifestSha256: string; state: string } | undefined;
  /** True when a snapshot with this id was accepted before (whatever its sequence). */
  readonly knownSnapshotId: (snapshotId: string) => boolean;
}

export type PolicyOutcome = { kind: 'accept' } | { kind: 'already-active' };

export function checkPolicy(
  manifest: SnapshotManifest,
  manifestSha256: string,
  station: StationPolicy,
  limits: Limits,
): PolicyOutcome {
  if (manifest.environment !== station.environment)
    throw new ReservError('SNAPSHOT_WRONG_ENVIRONMENT', {
      details: [
        `snapshot environment ${manifest.environment}, station environment ${station.environment}`,
      ],
    });
  if (
    manifest.targets.length > 0 &&
    !manifest.targets.includes(station.name) &&
    !manifest.targets.includes(station.keyId)
  )
    throw new ReservError('SNAPSHOT_NOT_FOR_STATION', {
      details: ['the station is not among the snapshot targets'],
    });
  if (!manifest.encryption.recipients.some((r) => r.keyId === station.keyId))
    throw new ReservError('SNAPSHOT_NOT_FOR_STATION', {
      details: [`no content key for station key ${station.keyId}`],
    });
  // Sequence, not time, decides (a station's clock may jump): never go back, never fork.
  const same = station.acceptedWithSequence(manifest.sequence);
  if (same !== undefined) {
    // The very snapshot that is active: importing it again changes nothing. The same bytes of
    // an older snapshot are a rollback like any other.
    if (same.manifestSha256 === manifestSha256 && same.state === 'active')
      return { kind: 'already-active' };
    if (same.manifestSha256 !== manifestSha256)
      throw new ReservError('SNAPSHOT_FORK', {
        details: [`sequence ${manifest.sequence} was accepted with other content`],
      });
  }
  // A new sequence must come with a new snapshot id: ids name files on the station.
  if (same === undefined && station.knownSnapshotId(manifest.snapshotId))
    throw new ReservError('SNAPSHOT_FORK', {
      details: [`snapshot id ${manifest.snapshotId} was already used by another snapshot`],
    });
  if (manifest.sequence <= station.lastAcceptedSequence)
    throw new ReservError('SNAPSHOT_ROLLBACK', {
      details: [`sequence ${manifest.sequence}, last accepted ${station.lastAcceptedSequence}`],
    });
  if (manifest.files.length > limits.maxFiles)
    throw new ReservError('SNAPSHOT_TOO_LARGE', {
      details: [`${manifest.files.length} files, limit ${limits.maxFiles}`],
    });
  if (
    manifest.totals.payloadBytes > limits.maxPayloadBytes ||
    manifest.totals.plainBytes > limits.maxPlainBytes
  )
    throw new ReservError('SNAPSHOT_TOO_LARGE', {
      details: ['payload larger than this station accepts'],
    });
  return { kind: 'accept' };
}

/** Every payload file must have exactly its manifest size and SHA-256; nothing may follow. */
export async function verifyPayload(
  file: string,
  header: SnapshotHeader,
  manifest: SnapshotManifest,
): Promise<void> {
  const expected = header.payloadStart + manifest.totals.payloadBytes;
  if (header.fileSize !== expected)
    throw new ReservError('SNAPSHOT_FILE_MISMATCH', {
      details: [`file is ${header.fileSize} bytes, the manifest describes ${expected}`],
    });
  for (const f of manifest.files) {
    const hash = createHash('sha256');
    const start = header.payloadStart + f.offset;
    if (f.size > 0) {
      for await (const chunk of createReadStream(file, { start, end: start + f.size - 1 }))
        hash.update(chunk as Buffer);
    }
    if (hash.digest('hex') !== f.sha256)
      throw new ReservError('SNAPSHOT_FILE_MISMATCH', {
        details: [`${f.name}: checksum differs from the manifest`],
      });
  }
}
