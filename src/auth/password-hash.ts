/**
 * Password hashing for station accounts: scrypt (RFC 7914) from node:crypto, stored as one
 * self-describing string `scrypt$N=131072,r=8,p=1$<salt>$<hash>` (salt and hash in base64 without
 * padding, as in the PHC string format). Because every stored hash names its own parameters, they
 * can be raised later without a migration: old hashes still verify, and `needsRehash` tells the
 * sign-in code to store a fresh hash once it has the plain password in hand.
 *
 * Invariants: hashing runs on libuv's thread pool (async `scrypt`, never `scryptSync`) so a
 * sign-in does not stall the web server for the ~0.3 s a hash takes; `verifyPassword` never
 * throws, a malformed stored string is simply "no"; passwords are NFC-normalised before hashing,
 * because the same word typed on another keyboard layout or operating system may arrive in
 * decomposed form ("Å" as "A" + combining ring) and must still match.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Parameters for new hashes (OWASP's scrypt guidance at the time of writing: N=2^17, r=8). */
export const SCRYPT_PARAMS = { N: 2 ** 17, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

/**
 * Bounds on parameters read back from a stored string, so a corrupted or hostile row cannot make
 * one sign-in allocate gigabytes: scrypt needs 128·N·r bytes.
 */
const MAX_MEMORY = 1024 * 1024 * 1024;
const MIN_LOG2_N = 10;
const MAX_P = 16;
const MIN_KEY = 16;
const MAX_KEY = 64;

interface Parsed {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const B64 = '([A-Za-z0-9+/]+={0,2})';
const FORMAT = new RegExp(`^scrypt\\$N=(\\d{1,8}),r=(\\d{1,3}),p=(\\d{1,3})\\$${B64}\\$${B64}$`);

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/**
 * Strict: the text must be the canonical base64 of the bytes it decodes to, padded or not
 * (hashes written by other tools usually keep the padding).
 */
function fromB64(text: string): Buffer | null {
  const bytes = Buffer.from(text, 'base64');
  return text === b64(bytes) || text === bytes.toString('base64') ? bytes : null;
}

function memoryFor(N: number, r: number): number {
  return 128 * N * r;
}

function parse(stored: string): Parsed | null {
  const m = FORMAT.exec(stored);
  if (m === null) return null;
  const [, n, r, p, saltText, hashText] = m;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  const salt = fromB64(saltText ?? '');
  const hash = fromB64(hashText ?? '');
  const powerOfTwo = N >= 2 ** MIN_LOG2_N && (N & (N - 1)) === 0;
  if (!powerOfTwo || R < 1 || P < 1 || P > MAX_P || memoryFor(N, R) > MAX_MEMORY) return null;
  if (salt === null || salt.length < 8 || hash === null) return null;
  if (hash.length < MIN_KEY || hash.length > MAX_KEY) return null;
  return { N, r: R, p: P, salt, hash };
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number) {
  // maxmem must exceed 128·N·r (Node's default of 32 MiB is too small for N=2^17); twice that
  // leaves room for Node's own bookkeeping.
  const options: ScryptOptions = { N, r, p, maxmem: 2 * memoryFor(N, r) };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const hash = await derive(password, salt, N, r, p, keyLength);
  return `scrypt$N=${N},r=${r},p=${p}$${b64(salt)}$${b64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (parsed === null) return false;
  try {
    const { N, r, p, salt, hash } = parsed;
    const candidate = await derive(password, salt, N, r, p, hash.length);
    return timingSafeEqual(candidate, hash);
  } catch {
    return false;
  }
}

/** True when a stored hash is unreadable or weaker than SCRYPT_PARAMS: store a new one. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  if (parsed === null) return true;
  const { N, r, p, keyLength } = SCRYPT_PARAMS;
  return parsed.N < N || parsed.r < r || parsed.p < p || parsed.hash.length < keyLength;
}

let dummy: Promise<string> | null = null;

/**
 * A valid hash of a random password nobody knows, computed once on first use. Sign-in checks an
 * unknown user name against it, so "no such user" costs the same scrypt run as "wrong password"
 * and the response time does not reveal which accounts exist.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64')).catch((err: unknown) => {
    dummy = null;
    throw err;
  });
  return dummy;
}
