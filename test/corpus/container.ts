/**
 * Test-only snapshot assembly for hostile inputs the real builder cannot produce: payloads that are
 * not (valid) gzip or deflate blocks, lines longer than the builder's own limit, a chosen
 * snapshot id. The container
 * is laid out, encrypted and signed exactly as src/snapshot/build.ts does it (magic, manifest
 * length, canonical manifest, signature over SIGNING_CONTEXT || manifest bytes, then the
 * encrypted files back to back, each followed by its GCM tag), so only the station's checks
 * decide what happens to it.
 */
import { createHash, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { ENCRYPTION_ALG, fileCipher, wrapContentKey } from '../../src/snapshot/envelope.ts';
import {
  canonicalJson,
  encodeHeader,
  FORMAT,
  FORMAT_VERSION,
  payloadFileName,
  SIGNING_CONTEXT,
  type Compression,
  type PayloadFile,
  type SnapshotManifest,
} from '../../src/snapshot/format.ts';
import { keyIdOf } from '../../src/snapshot/keys.ts';
import { readHeader } from '../../src/snapshot/verify.ts';

export interface RawPayloadFile {
  readonly type: string;
  /** The bytes that get encrypted: normally gzip or framed blocks, but anything goes. */
  readonly gz: Buffer;
  /** What the manifest promises after decompression. */
  readonly plainSize: number;
  readonly count: number;
}

export interface Signer {
  readonly signKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface AssembleOptions {
  readonly files: readonly RawPayloadFile[];
  readonly sequence: number;
  readonly signer: Signer;
  readonly recipients: readonly KeyObject[];
  readonly out: string;
  readonly snapshotId?: string;
  readonly environment?: 'prod' | 'test';
  readonly targets?: readonly string[];
  readonly createdAt?: string;
  readonly transactionTime?: string;
  /** The payload layout the manifest names (default gzip). */
  readonly compression?: Compression;
}

/** One block of the deflate-blocks layout: 4-byte big-endian length, then the bytes. */
export function frame(data: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(data.length);
  return Buffer.concat([header, data]);
}

/** Framed blocks holding these texts, each compressed on its own (raw deflate). */
export function blocks(...texts: (string | Buffer)[]): Buffer {
  return Buffer.concat(texts.map((t) => frame(deflateRawSync(t))));
}

/** NDJSON text of these lines (each followed by a newline), and its gzip. */
export function ndjson(lines: readonly string[]): { text: Buffer; gz: Buffer; count: number } {
  const text = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
  return { text, gz: gzipSync(text), count: lines.filter((l) => l.trim() !== '').length };
}

/** A correct payload file of these lines, for assembling around a hostile one. */
export function goodFile(type: string, lines: readonly string[]): RawPayloadFile {
  const { text, gz, count } = ndjson(lines);
  return { type, gz, plainSize: text.length, count };
}

export function signManifest(manifest: unknown, signKey: KeyObject): Buffer {
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  const signature = sign(null, Buffer.concat([SIGNING_CONTEXT, manifestBytes]), signKey);
  return encodeHeader(manifestBytes, signature);
}

/** Encrypt, describe, sign and write a snapshot of these raw files; returns its manifest. */
export function assembleSnapshot(options: AssembleOptions): SnapshotManifest {
  const snapshotId = options.snapshotId ?? randomUUID();
  const contentKey = randomBytes(32);
  const files: PayloadFile[] = [];
  const payload: Buffer[] = [];
  let offset = 0;
  for (const f of [...options.files].sort((a, b) => (a.type < b.type ? -1 : 1))) {
    const name = payloadFileName(f.type, options.compression ?? 'gzip');
    const nonce = randomBytes(12);
    const cipher = fileCipher(contentKey, nonce, snapshotId, name);
    const encrypted = Buffer.concat([cipher.update(f.gz), cipher.final(), cipher.getAuthTag()]);
    payload.push(encrypted);
    files.push({
      name,
      type: f.type,
      offset,
      size: encrypted.length,
      sha256: createHash('sha256').update(encrypted).digest('hex'),
      plainSize: f.plainSize,
      count: f.count,
      nonce: nonce.toString('base64'),
    });
    offset += encrypted.length;
  }
  const manifest: SnapshotManifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    snapshotId,
    sequence: options.sequence,
    createdAt: options.createdAt ?? '2026-11-27T06:00:00.000Z',
    transactionTime: options.transactionTime ?? '2026-11-27T05:00:00.000Z',
    environment: options.environment ?? 'prod',
    targets: [...(options.targets ?? [])],
    units: [],
    signer: keyIdOf(options.signer.publicKey),
    encryption: {
      alg: ENCRYPTION_ALG,
      compression: options.compression ?? 'gzip',
      recipients: options.recipients.map((r) => wrapContentKey(contentKey, r, snapshotId)),
    },
    files,
    personCountsByUnit: {},
    totals: {
      resources: files.reduce((n, f) => n + f.count, 0),
      payloadBytes: offset,
      plainBytes: files.reduce((n, f) => n + f.plainSize, 0),
    },
  };
  writeFileSync(
    options.out,
    Buffer.concat([signManifest(manifest, options.signer.signKey), ...payload]),
  );
  return manifest;
}

/** The parts of a snapshot file: parsed manifest, header bytes and payload bytes. */
export function splitSnapshot(file: string): {
  manifest: Record<string, unknown>;
  header: Buffer;
  payload: Buffer;
} {
  const bytes = readFileSync(file);
  const header = readHeader(file);
  return {
    manifest: JSON.parse(header.manifestBytes.toString('utf8')) as Record<string, unknown>,
    header: bytes.subarray(0, header.payloadStart),
    payload: bytes.subarray(header.payloadStart),
  };
}

/** Replace a snapshot's manifest (and optionally its payload) and sign it again. */
export function resign(
  file: string,
  out: string,
  signKey: KeyObject,
  mutate: (manifest: Record<string, unknown>) => void,
  payload?: Buffer,
): string {
  const parts = splitSnapshot(file);
  mutate(parts.manifest);
  writeFileSync(
    out,
    Buffer.concat([signManifest(parts.manifest, signKey), payload ?? parts.payload]),
  );
  return out;
}
