/**
 * The snapshot container (docs/snapshot-format.md is the specification):
 *
 *   magic        8 bytes  "RJSNAP1\n"
 *   manifestLen  4 bytes  unsigned big-endian, at most MAX_MANIFEST_BYTES
 *   manifest     manifestLen bytes of canonical JSON (UTF-8)
 *   signatureLen 2 bytes  unsigned big-endian, always 64
 *   signature    Ed25519 over SIGNING_CONTEXT || manifest bytes
 *   payload      the encrypted files, back to back, in manifest order; nothing after the last
 *
 * Readers verify the signature over the exact manifest bytes before they trust anything in it.
 */
import { ReservError } from '../core/errors.ts';
import { ENCRYPTION_ALG, type WrappedKey } from './envelope.ts';

export const MAGIC = Buffer.from('RJSNAP1\n', 'ascii');
export const FORMAT = 'reservjournal-snapshot';
export const FORMAT_VERSION = 1;

/**
 * How each payload file's NDJSON is compressed before encryption: "deflate-blocks" (what the
 * builder writes, see payload-blocks.ts) or "gzip", one gzip stream per file (written by
 * earlier versions and still read).
 */
export const COMPRESSIONS = ['deflate-blocks', 'gzip'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** A payload file's name: its resource type and what its layout is. */
export function payloadFileName(type: string, compression: Compression | undefined): string {
  return `${type}.ndjson.${compression === 'gzip' ? 'gz' : 'blocks'}`;
}
export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const SIGNATURE_BYTES = 64;
export const SIGNING_CONTEXT = Buffer.from('reservjournal-snapshot-v1\u0000', 'utf8');
export const PREAMBLE_BYTES = MAGIC.length + 4;

export type Environment = 'prod' | 'test';

export interface PayloadFile {
  /** File name inside the snapshot, e.g. "Patient.ndjson.gz". */
  readonly name: string;
  readonly type: string;
  /** Byte offset of the encrypted file from the start of the payload region. */
  readonly offset: number;
  /** Encrypted size in bytes, the GCM tag (last 16 bytes) included. */
  readonly size: number;
  /** SHA-256 (hex) of the encrypted bytes as stored. */
  readonly sha256: string;
  /** Size of the NDJSON text after decryption and decompression. */
  readonly plainSize: number;
  /** Number of resources (lines). */
  readonly count: number;
  /** AES-GCM nonce, base64. */
  readonly nonce: string;
}

export interface SnapshotManifest {
  readonly format: typeof FORMAT;
  readonly formatVersion: number;
  readonly snapshotId: string;
  readonly sequence: number;
  readonly createdAt: string;
  readonly transactionTime: string;
  readonly environment: Environment;
  /** Station names this snapshot is for; empty means any station holding a recipient key. */
  readonly targets: readonly string[];
  /** Units whose people the snapshot carries; empty means all. */
  readonly units: readonly string[];
  readonly signer: string;
  readonly encryption: {
    readonly alg: string;
    readonly compression: Compression;
    readonly recipients: readonly WrappedKey[];
  };
  readonly files: readonly PayloadFile[];
  readonly personCountsByUnit: Readonly<Record<string, number>>;
  readonly totals: {
    readonly resources: number;
    readonly payloadBytes: number;
    readonly plainBytes: number;
  };
}

/** JSON with object keys sorted and no white space: the bytes that get signed. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const FILE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}\.ndjson\.(gz|blocks)$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** An ISO 8601 instant with a zone whose calendar date exists (no 30 February). */
function isInstant(v: string): boolean {
  if (!ISO_INSTANT.test(v) || Number.isNaN(Date.parse(v))) return false;
  const [y, mo, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
}

/** base64 of exactly 12 bytes (a GCM nonce). */
const NONCE_B64 = /^[A-Za-z0-9+/]{16}$/;

/**
 * Check a signed manifest's shape. The signature already proved who wrote it; this proves it is
 * a manifest this version understands, with offsets that tile the payload exactly.
 */
export function validateManifest(value: unknown): SnapshotManifest {
  const problems: string[] = [];
  const bad = (p: string) => problems.push(p);
  if (!isObj(value))
    throw new ReservError('SNAPSHOT_MALFORMED', { details: ['manifest is not an object'] });
  const m = value;
  if (m.format !== FORMAT) bad('format');
  if (m.formatVersion !== FORMAT_VERSION)
    bad(`formatVersion ${String(m.formatVersion)} (this station reads ${FORMAT_VERSION})`);
  if (!isStr(m.snapshotId) || !/^[A-Za-z0-9-]{8,64}$/.test(m.snapshotId)) bad('snapshotId');
  if (!isInt(m.sequence) || m.sequence < 1) bad('sequence');
  for (const k of ['createdAt', 'transactionTime'] as const)
    if (!isStr(m[k]) || !isInstant(m[k])) bad(k);
  if (m.environment !== 'prod' && m.environment !== 'test') bad('environment');
  if (!Array.isArray(m.targets) || !m.targets.every(isStr)) bad('targets');
  if (!Array.isArray(m.units) || !m.units.every(isStr)) bad('units');
  if (!isStr(m.signer)) bad('signer');
  const enc = m.encryption;
  if (
    !isObj(enc) ||
    enc.alg !== ENCRYPTION_ALG ||
    !COMPRESSIONS.includes(enc.compression as Compression) ||
    !Array.isArray(enc.recipients)
  )
    bad('encryption');
  else
    for (const r of enc.recipients as unknown[])
      if (
        !isObj(r) ||
        !isStr(r.keyId) ||
        !isStr(r.ephemeralPublicKey) ||
        !isStr(r.nonce) ||
        !isStr(r.wrappedKey)
      )
        bad('encryption.recipients');
  if (!isObj(m.personCountsByUnit) || !Object.values(m.personCountsByUnit).every(isInt))
    bad('personCountsByUnit');
  const totals = m.totals;
  if (
    !isObj(totals) ||
    !isInt(totals.resources) ||
    !isInt(totals.payloadBytes) ||
    !isInt(totals.plainBytes)
  )
    bad('totals');
  if (!Array.isArray(m.files) || m.files.length === 0)
    bad('files (a snapshot holds at least one file)');
  else {
    let expectedOffset = 0;
    const names = new Set<string>();
    const types = new Set<string>();
    let resources = 0;
    let plain = 0;
    for (const [i, f] of (m.files as unknown[]).entries()) {
      if (
        !isObj(f) ||
        !isStr(f.name) ||
        !FILE_NAME.test(f.name) ||
        !isStr(f.type) ||
        f.name !==
          payloadFileName(
            f.type,
            (enc as { compression?: Compression } | undefined)?.compression,
          ) ||
        !isInt(f.offset) ||
        !isInt(f.size) ||
        f.size < 16 ||
        !isStr(f.sha256) ||
        !/^[0-9a-f]{64}$/.test(f.sha256) ||
        !isInt(f.plainSize) ||
        !isInt(f.count) ||
        !isStr(f.nonce) ||
        !NONCE_B64.test(f.nonce)
      ) {
        bad(`files[${i}]`);
        continue;
      }
      if (names.has(f.name) || types.has(f.type)) bad(`files[${i}] repeats a file or type`);
      names.add(f.name);
      types.add(f.type);
      if (f.offset !== expectedOffset) bad(`files[${i}].offset`);
      expectedOffset = f.offset + f.size;
      resources += f.count;
      plain += f.plainSize;
    }
    if (
      isObj(totals) &&
      (totals.payloadBytes !== expectedOffset ||
        totals.resources !== resources ||
        totals.plainBytes !== plain)
    )
      bad('totals do not add up');
  }
  if (problems.length > 0)
    throw new ReservError('SNAPSHOT_MALFORMED', { details: problems.map((p) => `manifest: ${p}`) });
  return m as unknown as SnapshotManifest;
}

export function encodeHeader(manifestBytes: Buffer, signature: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(manifestBytes.length);
  const sigLen = Buffer.alloc(2);
  sigLen.writeUInt16BE(signature.length);
  return Buffer.concat([MAGIC, len, manifestBytes, sigLen, signature]);
}
