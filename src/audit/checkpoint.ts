/**
 * Signed checkpoints of the audit chain. When the log is exported, the station signs its head
 * `{seq, hash, at, station}` with its own audit key (Ed25519, keys/audit.key; the public half is
 * audit.pub). A checkpoint kept with the export proves later that the log up to `seq` was exactly
 * this, even if someone with the database key rewrites it and its anchor; and verification can
 * start from it instead of from genesis (verify.ts `from`).
 *
 * The signature covers canonicalJson of every other field, keyId included, so no field can be
 * changed or swapped without it failing. The key is used for nothing else.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { ReservError, isErrno } from '../core/errors.ts';
import { canonicalJson } from '../snapshot/format.ts';
import {
  generateKeyPair,
  keyIdOf,
  loadPrivateKey,
  loadPublicKey,
  publicPem,
  writePrivateKey,
  writePublicKey,
} from '../snapshot/keys.ts';
import type { StationPaths } from '../store/station-files.ts';

export interface AuditCheckpoint {
  readonly seq: number;
  readonly hash: string;
  /** When the checkpoint was taken (UTC ISO 8601). */
  readonly at: string;
  readonly station: string;
  /** The signing key's id (keys.ts keyIdOf). */
  readonly keyId: string;
  /** Ed25519 over canonicalJson of the fields above, base64. */
  readonly signature: string;
}

function signedBytes(c: Omit<AuditCheckpoint, 'signature'>): Buffer {
  return Buffer.from(
    canonicalJson({ seq: c.seq, hash: c.hash, at: c.at, station: c.station, keyId: c.keyId }),
    'utf8',
  );
}

export function signCheckpoint(
  head: {
    readonly seq: number;
    readonly hash: string;
    readonly at: string;
    readonly stationName: string;
  },
  privateKey: KeyObject,
): AuditCheckpoint {
  const unsigned = {
    seq: head.seq,
    hash: head.hash,
    at: head.at,
    station: head.stationName,
    keyId: keyIdOf(createPublicKey(privateKey)),
  };
  return {
    ...unsigned,
    signature: sign(null, signedBytes(unsigned), privateKey).toString('base64'),
  };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** True only for a well-formed checkpoint signed by this public key. */
export function verifyCheckpoint(checkpoint: unknown, publicKey: KeyObject): boolean {
  if (typeof checkpoint !== 'object' || checkpoint === null) return false;
  const c = checkpoint as Record<string, unknown>;
  const wellFormed =
    typeof c.seq === 'number' &&
    Number.isSafeInteger(c.seq) &&
    c.seq >= 0 &&
    typeof c.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(c.hash) &&
    typeof c.at === 'string' &&
    typeof c.station === 'string' &&
    typeof c.keyId === 'string' &&
    typeof c.signature === 'string' &&
    BASE64.test(c.signature);
  if (!wellFormed) return false;
  const cp = c as unknown as AuditCheckpoint;
  if (publicKey.asymmetricKeyType !== 'ed25519' || cp.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, signedBytes(cp), publicKey, Buffer.from(cp.signature, 'base64'));
  } catch {
    return false;
  }
}

export interface AuditSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

/** Write a key file unless it exists (another process may have just written it: that one wins). */
function writeOnce(write: () => void, file: string): void {
  try {
    write();
  } catch (cause) {
    if (isErrno(cause) && cause.code === 'EEXIST') return;
    throw new ReservError('DATA_DIR_UNUSABLE', { details: [`cannot write ${file}`], cause });
  }
}

/**
 * The station's audit signing key, created on first use: keys/audit.key owner-only (0600, in the
 * 0700 keys folder), audit.pub readable. A missing audit.pub is written again from the private
 * key; one that does not belong to it is refused rather than silently replaced.
 */
export function ensureAuditSigningKey(paths: StationPaths): AuditSigningKey {
  try {
    mkdirSync(paths.keysDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ReservError('DATA_DIR_UNUSABLE', { details: [`folder: ${paths.keysDir}`], cause });
  }
  if (!existsSync(paths.auditKey)) {
    const pair = generateKeyPair('ed25519');
    writeOnce(() => writePrivateKey(paths.auditKey, pair.privatePem), paths.auditKey);
  }
  const privateKey = loadPrivateKey(paths.auditKey, 'ed25519');
  const publicKey = createPublicKey(privateKey);
  const keyId = keyIdOf(publicKey);
  if (!existsSync(paths.auditPub))
    writeOnce(() => writePublicKey(paths.auditPub, publicPem(publicKey)), paths.auditPub);
  const stored = loadPublicKey(paths.auditPub, 'ed25519');
  if (keyIdOf(stored) !== keyId)
    throw new ReservError('KEY_UNREADABLE', {
      details: [`${paths.auditPub} does not belong to ${paths.auditKey}`],
    });
  return { privateKey, publicKey, keyId };
}
