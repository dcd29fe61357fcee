/**
 * Keys of the snapshot pipeline, all from node:crypto.
 *
 * - The exporter signs with Ed25519 (`exporter.key` / `exporter.pub`).
 * - Each station receives with X25519 (`station.key` / `station.pub`); payloads are encrypted to
 *   the stations named at build time.
 * Keys are stored as PEM (PKCS#8 private, SPKI public); private key files are written with
 * owner-only permissions. A key's id is the first 16 hex digits of the SHA-256 of its raw public
 * key bytes: short enough to read aloud, long enough not to collide by accident.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { ReservError } from '../core/errors.ts';

export type KeyKind = 'ed25519' | 'x25519';

export interface KeyPairFiles {
  readonly privatePem: string;
  readonly publicPem: string;
  readonly keyId: string;
}

export function rawPublicKey(key: KeyObject): Buffer {
  // The SPKI DER of both key types ends with the 32 raw key bytes.
  const der = key.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32);
}

export function keyIdOf(key: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(key)).digest('hex').slice(0, 16);
}

export function generateKeyPair(kind: KeyKind): KeyPairFiles {
  const { privateKey, publicKey } =
    kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('x25519');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: keyIdOf(publicKey),
  };
}

/** Write a private key readable only by its owner (0600), failing if the file exists. */
export function writePrivateKey(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
}

export function writePublicKey(file: string, pem: string): void {
  writeFileSync(file, pem, { mode: 0o644, flag: 'wx' });
}

function readPem(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ReservError('KEY_UNREADABLE', { details: [`file: ${file}`], cause });
  }
}

export function loadPublicKey(file: string, kind: KeyKind): KeyObject {
  const pem = readPem(file);
  return parsePublicKey(pem, kind, file);
}

export function parsePublicKey(pem: string, kind: KeyKind, label: string): KeyObject {
  // createPublicKey would also derive a public key from a private one: never take a private key
  // where a public one belongs (it would then be stored, or copied, where it must not be).
  if (/PRIVATE KEY/.test(pem))
    throw new ReservError('KEY_UNREADABLE', {
      details: [`${label}: this is a private key; give the public key (the .pub file)`],
    });
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (cause) {
    throw new ReservError('KEY_UNREADABLE', {
      details: [`${label}: not a public key in PEM form`],
      cause,
    });
  }
  if (key.asymmetricKeyType !== kind)
    throw new ReservError('KEY_UNREADABLE', {
      details: [
        `${label}: expected an ${kind} key, found ${key.asymmetricKeyType ?? 'another kind'}`,
      ],
    });
  return key;
}

export function loadPrivateKey(file: string, kind: KeyKind): KeyObject {
  const pem = readPem(file);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (cause) {
    throw new ReservError('KEY_UNREADABLE', {
      details: [`${file}: not a private key in PEM form`],
      cause,
    });
  }
  if (key.asymmetricKeyType !== kind)
    throw new ReservError('KEY_UNREADABLE', {
      details: [
        `${file}: expected an ${kind} key, found ${key.asymmetricKeyType ?? 'another kind'}`,
      ],
    });
  return key;
}

/** The SPKI PEM of a public key: the one form the station stores. */
export function publicPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }).toString();
}
