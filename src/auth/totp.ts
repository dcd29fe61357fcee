/**
 * One-time codes from an authenticator app, computed entirely offline: TOTP (RFC 6238,
 * https://www.rfc-editor.org/rfc/rfc6238) over HOTP (RFC 4226, https://www.rfc-editor.org/rfc/rfc4226)
 * with HMAC-SHA-1, 30-second steps and 6 digits — the defaults every common app supports. Secrets
 * travel as base32 (RFC 4648 §6) without padding, inside an otpauth:// URI for the QR code.
 *
 * Invariants: a code is accepted for the current step and one step either side, because the
 * station is a PC with no network time and its clock drifts; a step at or before the last one the
 * account used is refused, so a code seen over someone's shoulder cannot be replayed (the caller
 * stores the returned step); codes are compared in constant time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOTP = { stepSeconds: 30, digits: 6, drift: 1, secretBytes: 20 } as const;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Tolerates what people do when they type a secret by hand: spaces, lower case, "=" padding.
 * Throws on anything else, including lengths no encoder can produce (1, 3 or 6 characters past
 * a multiple of 8).
 */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error('base32: impossible length');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`base32: invalid character ${JSON.stringify(char)}`);
    value = ((value << 5) | index) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function generateTotpSecret(): string {
  return base32Encode(randomBytes(TOTP.secretBytes));
}

function keyOf(secret: Buffer | string): Buffer {
  return typeof secret === 'string' ? base32Decode(secret) : secret;
}

/** RFC 4226 §5.3: HMAC-SHA-1 of the 8-byte counter, dynamic truncation, last `digits` digits. */
export function hotpCode(key: Buffer, counter: number, digits: number = TOTP.digits): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new Error('hotp: invalid counter');
  if (!Number.isInteger(digits) || digits < 6 || digits > 8) throw new Error('hotp: 6–8 digits');
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step (RFC 6238 §4.2, T0 = 0) that `at` falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP.stepSeconds);
}

export function totpCode(
  secret: Buffer | string,
  at: Date,
  options: { digits?: number } = {},
): string {
  return hotpCode(keyOf(secret), totpStep(at), options.digits ?? TOTP.digits);
}

export type TotpVerdict = { ok: true; step: number } | { ok: false };

/**
 * Checks a typed code ("123456" or "123 456") against the steps around `at`. On success returns
 * the step it matched: the caller must store it as the account's `lastUsedStep`. A secret that is
 * not valid base32 throws: that is damaged data, not a wrong code.
 */
export function verifyTotp(
  secret: Buffer | string,
  code: string,
  at: Date,
  lastUsedStep: number | null,
): TotpVerdict {
  const key = keyOf(secret);
  const typed = code.replace(/\s+/g, '');
  const now = totpStep(at);
  if (!new RegExp(`^\\d{${TOTP.digits}}$`).test(typed) || !Number.isSafeInteger(now)) {
    return { ok: false };
  }
  const given = Buffer.from(typed);
  let matched: number | null = null;
  // All candidate steps are computed and compared, so the time taken does not tell which matched.
  for (let step = now - TOTP.drift; step <= now + TOTP.drift; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(Buffer.from(hotpCode(key, step)), given);
    if (equal && matched === null && (lastUsedStep === null || step > lastUsedStep)) matched = step;
  }
  return matched === null ? { ok: false } : { ok: true, step: matched };
}

/**
 * The Key URI Format authenticator apps read from a QR code
 * (https://github.com/google/google-authenticator/wiki/Key-Uri-Format). The label and every
 * parameter are percent-encoded with encodeURIComponent, not URLSearchParams: some apps show a
 * "+" for a space literally.
 */
export function otpauthUri(
  secret: Buffer | string,
  account: string,
  issuer: string = 'Reservjournal',
): string {
  const enc = encodeURIComponent;
  const params = [
    ['secret', base32Encode(keyOf(secret))],
    ['issuer', issuer],
    ['algorithm', 'SHA1'],
    ['digits', String(TOTP.digits)],
    ['period', String(TOTP.stepSeconds)],
  ]
    .map(([k, v]) => `${k}=${enc(v ?? '')}`)
    .join('&');
  return `otpauth://totp/${enc(issuer)}:${enc(account)}?${params}`;
}
