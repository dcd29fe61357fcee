/**
 * Payload encryption: X25519 key agreement + HKDF-SHA256 + AES-256-GCM, all from node:crypto.
 *
 * A snapshot has one random 256-bit content key. Each payload file is encrypted with it under
 * AES-256-GCM with its own random 96-bit nonce and the file's name and the snapshot id as
 * additional data (a file cannot be moved to another name or snapshot). For each recipient
 * station the content key is wrapped: an ephemeral X25519 key pair agrees a secret with the
 * station's public key, HKDF-SHA256 (salt = ephemeral public key || station public key, info =
 * WRAP_INFO) derives a key-encryption key, and AES-256-GCM seals the content key with the
 * snapshot id as additional data. This is the shape of HPKE's base mode and of age's X25519
 * recipients, built from primitives Node ships and tested against RFC 7748's and RFC 5869's
 * published vectors in envelope.test.ts.
 */
import {
  createCipheriv,
  createPublicKey,
  createDecipheriv,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type CipherGCM,
  type DecipherGCM,
  type KeyObject,
} from 'node:crypto';
import { ReservError } from '../core/errors.ts';
import { keyIdOf, rawPublicKey } from './keys.ts';

export const ENCRYPTION_ALG = 'X25519-HKDF-SHA256-A256GCM';
const WRAP_INFO = Buffer.from('reservjournal snapshot v1 content key', 'utf8');
export const TAG_BYTES = 16;

export interface WrappedKey {
  readonly keyId: string;
  readonly ephemeralPublicKey: string; // base64 of 32 raw bytes
  readonly nonce: string; // base64 of 12 bytes
  readonly wrappedKey: string; // base64 of 32 key bytes + 16 tag bytes
}

function kek(shared: Buffer, ephemeralRaw: Buffer, recipientRaw: Buffer): Buffer {
  return Buffer.from(
    hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipientRaw]), WRAP_INFO, 32),
  );
}

export function wrapContentKey(
  contentKey: Buffer,
  recipient: KeyObject,
  snapshotId: string,
): WrappedKey {
  const eph = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const ephRaw = rawPublicKey(eph.publicKey);
  const key = kek(shared, ephRaw, rawPublicKey(recipient));
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, nonce);
  c.setAAD(Buffer.from(snapshotId, 'utf8'));
  const sealed = Buffer.concat([c.update(contentKey), c.final(), c.getAuthTag()]);
  return {
    keyId: keyIdOf(recipient),
    ephemeralPublicKey: ephRaw.toString('base64'),
    nonce: nonce.toString('base64'),
    wrappedKey: sealed.toString('base64'),
  };
}

// DER prefix of an X25519 SubjectPublicKeyInfo (RFC 8410); the 32 raw key bytes follow it.
const X25519_SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

/** Rebuild an X25519 public KeyObject from 32 raw bytes. */
export function x25519FromRaw(raw: Buffer): KeyObject | undefined {
  if (raw.length !== 32) return undefined;
  try {
    return createPublicKey({
      key: Buffer.concat([X25519_SPKI_PREFIX, raw]),
      format: 'der',
      type: 'spki',
    });
  } catch {
    return undefined;
  }
}

export function unwrapContentKey(
  wrapped: WrappedKey,
  stationPrivate: KeyObject,
  stationPublic: KeyObject,
  snapshotId: string,
): Buffer {
  const fail = () =>
    new ReservError('SNAPSHOT_NOT_FOR_STATION', {
      details: ['the content key cannot be unwrapped with this station key'],
    });
  const ephRaw = Buffer.from(wrapped.ephemeralPublicKey, 'base64');
  const eph = x25519FromRaw(ephRaw);
  const nonce = Buffer.from(wrapped.nonce, 'base64');
  const sealed = Buffer.from(wrapped.wrappedKey, 'base64');
  if (!eph || nonce.length !== 12 || sealed.length !== 32 + TAG_BYTES) throw fail();
  let shared: Buffer;
  try {
    // A low-order point (for example all zeros) makes the derivation fail: not for us either.
    shared = diffieHellman({ privateKey: stationPrivate, publicKey: eph });
  } catch {
    throw fail();
  }
  const key = kek(shared, ephRaw, rawPublicKey(stationPublic));
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce);
    d.setAAD(Buffer.from(snapshotId, 'utf8'));
    d.setAuthTag(sealed.subarray(32));
    return Buffer.concat([d.update(sealed.subarray(0, 32)), d.final()]);
  } catch {
    throw fail();
  }
}

function fileAad(snapshotId: string, fileName: string): Buffer {
  return Buffer.from(`${snapshotId}\u0000${fileName}`, 'utf8');
}

export function fileCipher(
  contentKey: Buffer,
  nonce: Buffer,
  snapshotId: string,
  fileName: string,
): CipherGCM {
  const c = createCipheriv('aes-256-gcm', contentKey, nonce);
  c.setAAD(fileAad(snapshotId, fileName));
  return c;
}

export function fileDecipher(
  contentKey: Buffer,
  nonce: Buffer,
  tag: Buffer,
  snapshotId: string,
  fileName: string,
): DecipherGCM {
  const d = createDecipheriv('aes-256-gcm', contentKey, nonce);
  d.setAAD(fileAad(snapshotId, fileName));
  d.setAuthTag(tag);
  return d;
}
