import { scryptSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './password-hash.ts';

// Each scrypt run at N=2^17 takes a few hundred milliseconds: one hash is shared by the tests.
const COMPOSED = 'Åsa går till hemtjänsten'.normalize('NFC');
const DECOMPOSED = COMPOSED.normalize('NFD');
let stored = '';

beforeAll(async () => {
  stored = await hashPassword(COMPOSED);
});

describe('hashPassword', () => {
  it('writes the parameters, a 16-byte salt and a 32-byte hash into the string', () => {
    const [scheme, params, salt, hash, ...rest] = stored.split('$');
    expect(scheme).toBe('scrypt');
    expect(params).toBe('N=131072,r=8,p=1');
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(32);
    expect(rest).toEqual([]);
    expect(needsRehash(stored)).toBe(false);
  });
});

describe('verifyPassword', () => {
  it('accepts the password, also when it arrives decomposed (NFD)', async () => {
    expect(DECOMPOSED).not.toBe(COMPOSED);
    expect(await verifyPassword(COMPOSED, stored)).toBe(true);
    expect(await verifyPassword(DECOMPOSED, stored)).toBe(true);
  });

  it('refuses a wrong password', async () => {
    expect(await verifyPassword('Åsa går till hemtjänsten!', stored)).toBe(false);
  });

  it('returns false, never throws, for malformed stored strings', async () => {
    const [, , salt, hash] = stored.split('$');
    const malformed = [
      '',
      'x',
      'bcrypt$2b$12$abc',
      `scrypt$N=131072,r=8,p=1$${salt}`,
      `scrypt$N=131072,r=8,p=1$${salt}$${hash}$`,
      `scrypt$N=131071,r=8,p=1$${salt}$${hash}`, // N not a power of two
      `scrypt$N=1073741824,r=8,p=1$${salt}$${hash}`, // would need 1 TiB
      `scrypt$N=131072,r=0,p=1$${salt}$${hash}`,
      `scrypt$N=131072,r=8,p=1$${salt}$${hash}==`, // not canonical base64
      `scrypt$N=131072,r=8,p=1$${salt}$AAAA`, // hash too short
    ];
    for (const bad of malformed) {
      expect(await verifyPassword(COMPOSED, bad)).toBe(false);
      expect(needsRehash(bad)).toBe(true);
    }
  });

  it('verifies with the parameters named in the string, and flags weaker ones for rehash', async () => {
    const salt = Buffer.alloc(16, 7);
    const hash = scryptSync('kaffe i personalrummet', salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const old = `scrypt$N=16384,r=8,p=1$${salt.toString('base64')}$${hash.toString('base64')}`;
    expect(await verifyPassword('kaffe i personalrummet', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });
});

describe('dummyHash', () => {
  it('is one valid hash, computed once, that no ordinary password matches', async () => {
    const first = await dummyHash();
    expect(await dummyHash()).toBe(first);
    expect(needsRehash(first)).toBe(false);
    expect(await verifyPassword('', first)).toBe(false);
  });
});
