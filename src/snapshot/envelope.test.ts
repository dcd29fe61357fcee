/**
 * The envelope's primitives against their published test vectors, then the envelope itself.
 *
 * The vectors are the RFCs' own numbers: X25519 (RFC 7748 sections 5.2 and 6.1), HKDF-SHA256
 * (RFC 5869 appendix A, cases 1 to 3), Ed25519 (RFC 8032 section 7.1, tests 1 and 2) and
 * AES-256-GCM (test case 16 of McGrew and Viega's GCM specification, the 256-bit key with
 * additional data; also case 14). If node:crypto or the way we feed it raw key bytes ever
 * changed, these fail before a snapshot does.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ReservError } from '../core/errors.ts';
import {
  fileCipher,
  fileDecipher,
  TAG_BYTES,
  unwrapContentKey,
  wrapContentKey,
  x25519FromRaw,
  type WrappedKey,
} from './envelope.ts';
import { keyIdOf, rawPublicKey } from './keys.ts';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// PKCS#8 DER prefixes (RFC 8410); the 32 raw private key bytes follow them.
const X25519_PKCS8_PREFIX = hex('302e020100300506032b656e04220420');
const ED25519_PKCS8_PREFIX = hex('302e020100300506032b657004220420');
// SPKI DER prefix of an Ed25519 public key; the 32 raw bytes follow it.
const ED25519_SPKI_PREFIX = hex('302a300506032b6570032100');

function x25519Private(raw: Buffer): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([X25519_PKCS8_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
}

function x25519Public(raw: Buffer): KeyObject {
  const key = x25519FromRaw(raw);
  if (key === undefined) throw new Error('x25519FromRaw refused a 32-byte key');
  return key;
}

function ed25519Private(raw: Buffer): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
}

function ed25519Public(raw: Buffer): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}

describe('X25519 (RFC 7748)', () => {
  // Section 5.2: the scalar is used as a private key, the input u-coordinate as a public key.
  const scalarMultiplication = [
    {
      scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
      u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
      out: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
    },
    {
      // The input u-coordinate has its top bit set; X25519 must ignore that bit.
      scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
      u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
      out: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
    },
  ];

  for (const [i, v] of scalarMultiplication.entries()) {
    it(`section 5.2 vector ${i + 1}: scalar multiplication`, () => {
      const shared = diffieHellman({
        privateKey: x25519Private(hex(v.scalar)),
        publicKey: x25519Public(hex(v.u)),
      });
      expect(shared.toString('hex')).toBe(v.out);
    });
  }

  const alicePrivate = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePublic = hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  const bobPrivate = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const sharedSecret = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

  it('section 6.1: each side derives its public key from its private key', () => {
    expect(rawPublicKey(createPublicKey(x25519Private(alicePrivate)))).toEqual(alicePublic);
    expect(rawPublicKey(createPublicKey(x25519Private(bobPrivate)))).toEqual(bobPublic);
  });

  it('section 6.1: Alice and Bob agree on the published shared secret', () => {
    const a = diffieHellman({
      privateKey: x25519Private(alicePrivate),
      publicKey: x25519Public(bobPublic),
    });
    const b = diffieHellman({
      privateKey: x25519Private(bobPrivate),
      publicKey: x25519Public(alicePublic),
    });
    expect(a.toString('hex')).toBe(sharedSecret);
    expect(b.toString('hex')).toBe(sharedSecret);
  });

  it('x25519FromRaw refuses anything but 32 bytes', () => {
    expect(x25519FromRaw(Buffer.alloc(31))).toBeUndefined();
    expect(x25519FromRaw(Buffer.alloc(33))).toBeUndefined();
    expect(x25519FromRaw(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('HKDF-SHA256 (RFC 5869 appendix A)', () => {
  const range = (from: number, to: number) =>
    Buffer.from(Array.from({ length: to - from + 1 }, (_, i) => from + i));
  const cases = [
    {
      name: 'test case 1: basic',
      ikm: Buffer.alloc(22, 0x0b),
      salt: hex('000102030405060708090a0b0c'),
      info: hex('f0f1f2f3f4f5f6f7f8f9'),
      length: 42,
      okm: `3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf
            34007208d5b887185865`,
    },
    {
      name: 'test case 2: longer inputs and outputs',
      ikm: range(0x00, 0x4f),
      salt: range(0x60, 0xaf),
      info: range(0xb0, 0xff),
      length: 82,
      okm: `b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c
            59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71
            cc30c58179ec3e87c14c01d5c1f3434f1d87`,
    },
    {
      name: 'test case 3: zero-length salt and info',
      ikm: Buffer.alloc(22, 0x0b),
      salt: Buffer.alloc(0),
      info: Buffer.alloc(0),
      length: 42,
      okm: `8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d
            9d201395faa4b61a96c8`,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const okm = Buffer.from(hkdfSync('sha256', c.ikm, c.salt, c.info, c.length));
      expect(okm).toEqual(hex(c.okm));
    });
  }
});

describe('Ed25519 (RFC 8032 section 7.1)', () => {
  const tests = [
    {
      name: 'test 1: empty message',
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature: `e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155
                  5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b`,
    },
    {
      name: 'test 2: one-byte message',
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature: `92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da
                  085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00`,
    },
  ];
  for (const t of tests) {
    it(`${t.name}: public key, signature and verification`, () => {
      const privateKey = ed25519Private(hex(t.secret));
      expect(rawPublicKey(createPublicKey(privateKey))).toEqual(hex(t.public));
      const message = hex(t.message);
      const signature = sign(null, message, privateKey);
      expect(signature).toEqual(hex(t.signature));
      const publicKey = ed25519Public(hex(t.public));
      expect(verify(null, message, publicKey, hex(t.signature))).toBe(true);
    });

    it(`${t.name}: a changed message or signature does not verify`, () => {
      const publicKey = ed25519Public(hex(t.public));
      const signature = hex(t.signature);
      expect(
        verify(null, Buffer.concat([hex(t.message), Buffer.from([0])]), publicKey, signature),
      ).toBe(false);
      const flipped = Buffer.from(signature);
      flipped[5]! ^= 0x01;
      expect(verify(null, hex(t.message), publicKey, flipped)).toBe(false);
    });
  }
});

describe('AES-256-GCM (McGrew and Viega, The Galois/Counter Mode of Operation)', () => {
  const cases = [
    {
      name: 'test case 14: zero key, one zero block, no additional data',
      key: '0000000000000000000000000000000000000000000000000000000000000000',
      iv: '000000000000000000000000',
      aad: '',
      plain: '00000000000000000000000000000000',
      cipher: 'cea7403d4d606b6e074ec5d3baf39d18',
      tag: 'd0d1c8a799996bf0265b98b5d48ab919',
    },
    {
      name: 'test case 16: 256-bit key, 96-bit IV, additional data',
      key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
      iv: 'cafebabefacedbaddecaf888',
      aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
      plain: `d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
              1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39`,
      cipher: `522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
               8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662`,
      tag: '76fc6ece0f4e1768cddf8853bb2d551b',
    },
  ];
  for (const c of cases) {
    it(`${c.name}: encrypts to the published ciphertext and tag`, () => {
      const cipher = createCipheriv('aes-256-gcm', hex(c.key), hex(c.iv));
      cipher.setAAD(hex(c.aad));
      const out = Buffer.concat([cipher.update(hex(c.plain)), cipher.final()]);
      expect(out).toEqual(hex(c.cipher));
      expect(cipher.getAuthTag()).toEqual(hex(c.tag));
    });

    it(`${c.name}: decrypts, and refuses a changed tag or additional data`, () => {
      const open = (tag: Buffer, aad: Buffer) => {
        const d = createDecipheriv('aes-256-gcm', hex(c.key), hex(c.iv));
        d.setAAD(aad);
        d.setAuthTag(tag);
        return Buffer.concat([d.update(hex(c.cipher)), d.final()]);
      };
      expect(open(hex(c.tag), hex(c.aad))).toEqual(hex(c.plain));
      const badTag = hex(c.tag);
      badTag[0]! ^= 0x80;
      expect(() => open(badTag, hex(c.aad))).toThrow();
      expect(() => open(hex(c.tag), Buffer.concat([hex(c.aad), Buffer.from([0])]))).toThrow();
    });
  }
});

describe('content key wrapping', () => {
  const snapshotId = '0b9c2f1e-5d4a-4c3b-9a8f-7e6d5c4b3a21';
  const station = generateKeyPairSync('x25519');
  const contentKey = randomBytes(32);
  const wrapped = wrapContentKey(contentKey, station.publicKey, snapshotId);

  const expectNotForStation = (fn: () => unknown) => {
    let thrown: unknown;
    try {
      fn();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ReservError);
    expect((thrown as ReservError).code).toBe('SNAPSHOT_NOT_FOR_STATION');
  };

  const flipBit = (b64: string, byte: number, bit = 0x01): string => {
    const raw = Buffer.from(b64, 'base64');
    raw[byte]! ^= bit;
    return raw.toString('base64');
  };

  it('names the station key and has the documented sizes', () => {
    expect(wrapped.keyId).toBe(keyIdOf(station.publicKey));
    expect(wrapped.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(wrapped.ephemeralPublicKey, 'base64')).toHaveLength(32);
    expect(Buffer.from(wrapped.nonce, 'base64')).toHaveLength(12);
    expect(Buffer.from(wrapped.wrappedKey, 'base64')).toHaveLength(32 + TAG_BYTES);
  });

  it('unwraps with the right station key', () => {
    expect(unwrapContentKey(wrapped, station.privateKey, station.publicKey, snapshotId)).toEqual(
      contentKey,
    );
  });

  it('uses a fresh ephemeral key and nonce every time', () => {
    const again = wrapContentKey(contentKey, station.publicKey, snapshotId);
    expect(again.ephemeralPublicKey).not.toBe(wrapped.ephemeralPublicKey);
    expect(again.nonce).not.toBe(wrapped.nonce);
    expect(again.wrappedKey).not.toBe(wrapped.wrappedKey);
  });

  it('matches an independent computation from the documented recipe', () => {
    // ECDH with the ephemeral key, HKDF-SHA256 with salt = ephemeral || station public key and
    // the fixed info string, then AES-256-GCM open with the snapshot id as additional data.
    const eph = Buffer.from(wrapped.ephemeralPublicKey, 'base64');
    const shared = diffieHellman({ privateKey: station.privateKey, publicKey: x25519Public(eph) });
    const kek = Buffer.from(
      hkdfSync(
        'sha256',
        shared,
        Buffer.concat([eph, rawPublicKey(station.publicKey)]),
        Buffer.from('reservjournal snapshot v1 content key', 'utf8'),
        32,
      ),
    );
    const sealed = Buffer.from(wrapped.wrappedKey, 'base64');
    const d = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.nonce, 'base64'));
    d.setAAD(Buffer.from(snapshotId, 'utf8'));
    d.setAuthTag(sealed.subarray(32));
    expect(Buffer.concat([d.update(sealed.subarray(0, 32)), d.final()])).toEqual(contentKey);
  });

  it("refuses another station's key", () => {
    const other = generateKeyPairSync('x25519');
    expectNotForStation(() =>
      unwrapContentKey(wrapped, other.privateKey, other.publicKey, snapshotId),
    );
  });

  it('refuses the right private key paired with another public key (it is part of the salt)', () => {
    const other = generateKeyPairSync('x25519');
    expectNotForStation(() =>
      unwrapContentKey(wrapped, station.privateKey, other.publicKey, snapshotId),
    );
  });

  it('refuses a changed snapshot id', () => {
    expectNotForStation(() =>
      unwrapContentKey(wrapped, station.privateKey, station.publicKey, `${snapshotId}x`),
    );
    expectNotForStation(() =>
      unwrapContentKey(
        wrapped,
        station.privateKey,
        station.publicKey,
        snapshotId.replace('0b9c', '0b9d'),
      ),
    );
  });

  it('refuses a flipped bit anywhere in wrappedKey (key bytes and tag)', () => {
    for (const byte of [0, 15, 31, 32, 47]) {
      const bad: WrappedKey = { ...wrapped, wrappedKey: flipBit(wrapped.wrappedKey, byte) };
      expectNotForStation(() =>
        unwrapContentKey(bad, station.privateKey, station.publicKey, snapshotId),
      );
    }
  });

  it('refuses a flipped bit in ephemeralPublicKey', () => {
    for (const byte of [0, 13, 30]) {
      const bad: WrappedKey = {
        ...wrapped,
        ephemeralPublicKey: flipBit(wrapped.ephemeralPublicKey, byte),
      };
      expectNotForStation(() =>
        unwrapContentKey(bad, station.privateKey, station.publicKey, snapshotId),
      );
    }
  });

  it('refuses a flipped bit in the nonce', () => {
    const bad: WrappedKey = { ...wrapped, nonce: flipBit(wrapped.nonce, 4) };
    expectNotForStation(() =>
      unwrapContentKey(bad, station.privateKey, station.publicKey, snapshotId),
    );
  });

  it('refuses fields of the wrong length', () => {
    const short = (b64: string) => Buffer.from(b64, 'base64').subarray(1).toString('base64');
    for (const bad of [
      { ...wrapped, ephemeralPublicKey: short(wrapped.ephemeralPublicKey) },
      { ...wrapped, nonce: short(wrapped.nonce) },
      { ...wrapped, wrappedKey: short(wrapped.wrappedKey) },
      { ...wrapped, wrappedKey: '' },
    ])
      expectNotForStation(() =>
        unwrapContentKey(bad, station.privateKey, station.publicKey, snapshotId),
      );
  });

  // A low-order ephemeral point (here all zeros) makes OpenSSL's X25519 derivation fail; that
  // must read as "not for this station", not as an internal error.
  it('refuses a low-order (all-zero) ephemeral key as SNAPSHOT_NOT_FOR_STATION', () => {
    const bad: WrappedKey = { ...wrapped, ephemeralPublicKey: Buffer.alloc(32).toString('base64') };
    expectNotForStation(() =>
      unwrapContentKey(bad, station.privateKey, station.publicKey, snapshotId),
    );
  });
});

describe('payload file encryption', () => {
  const snapshotId = '7c1d3e5f-2a4b-4c6d-8e0f-1a2b3c4d5e6f';
  const contentKey = randomBytes(32);
  const plain = Buffer.from(
    '{"resourceType":"Patient","id":"p1"}\n{"resourceType":"Patient","id":"p2"}\n',
    'utf8',
  );

  function seal(fileName: string, nonce: Buffer): Buffer {
    const c = fileCipher(contentKey, nonce, snapshotId, fileName);
    const body = Buffer.concat([c.update(gzipSync(plain)), c.final()]);
    return Buffer.concat([body, c.getAuthTag()]);
  }

  function open(stored: Buffer, nonce: Buffer, sid: string, fileName: string, key = contentKey) {
    const body = stored.subarray(0, stored.length - TAG_BYTES);
    const tag = stored.subarray(stored.length - TAG_BYTES);
    const d = fileDecipher(key, nonce, tag, sid, fileName);
    return gunzipSync(Buffer.concat([d.update(body), d.final()]));
  }

  it('round-trips with the same key, nonce, snapshot id and file name', () => {
    const nonce = randomBytes(12);
    expect(open(seal('Patient.ndjson.gz', nonce), nonce, snapshotId, 'Patient.ndjson.gz')).toEqual(
      plain,
    );
  });

  it('uses snapshotId NUL fileName as additional data', () => {
    const nonce = randomBytes(12);
    const stored = seal('Patient.ndjson.gz', nonce);
    const d = createDecipheriv('aes-256-gcm', contentKey, nonce);
    d.setAAD(Buffer.from(`${snapshotId}\u0000Patient.ndjson.gz`, 'utf8'));
    d.setAuthTag(stored.subarray(stored.length - TAG_BYTES));
    const gz = Buffer.concat([d.update(stored.subarray(0, stored.length - TAG_BYTES)), d.final()]);
    expect(gunzipSync(gz)).toEqual(plain);
  });

  it('fails under another file name', () => {
    const nonce = randomBytes(12);
    const stored = seal('Patient.ndjson.gz', nonce);
    expect(() => open(stored, nonce, snapshotId, 'Flag.ndjson.gz')).toThrow();
  });

  it('fails under another snapshot id', () => {
    const nonce = randomBytes(12);
    const stored = seal('Patient.ndjson.gz', nonce);
    expect(() =>
      open(stored, nonce, '7c1d3e5f-2a4b-4c6d-8e0f-1a2b3c4d5e70', 'Patient.ndjson.gz'),
    ).toThrow();
  });

  it('does not let the NUL separator be shifted between snapshot id and file name', () => {
    // "ab\0cd" and "a\0bcd" differ, so moving characters across the boundary changes the AAD.
    const nonce = randomBytes(12);
    const stored = seal('Patient.ndjson.gz', nonce);
    expect(() => open(stored, nonce, `${snapshotId}P`, 'atient.ndjson.gz')).toThrow();
  });

  it('fails with another nonce, another key, or a flipped bit in body or tag', () => {
    const nonce = randomBytes(12);
    const stored = seal('Patient.ndjson.gz', nonce);
    expect(() => open(stored, randomBytes(12), snapshotId, 'Patient.ndjson.gz')).toThrow();
    expect(() => open(stored, nonce, snapshotId, 'Patient.ndjson.gz', randomBytes(32))).toThrow();
    for (const at of [0, stored.length - TAG_BYTES - 1, stored.length - 1]) {
      const bad = Buffer.from(stored);
      bad[at]! ^= 0x01;
      expect(() => open(bad, nonce, snapshotId, 'Patient.ndjson.gz')).toThrow();
    }
  });
});
