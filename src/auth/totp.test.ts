import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotpCode,
  otpauthUri,
  totpCode,
  totpStep,
  verifyTotp,
} from './totp.ts';

/** The ASCII secret of the RFC 4226 and RFC 6238 SHA-1 test vectors. */
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');

describe('RFC test vectors', () => {
  it('matches RFC 4226 Appendix D (HOTP, counters 0–9)', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    expect(expected.map((_, counter) => hotpCode(RFC_KEY, counter))).toEqual(expected);
  });

  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches RFC 6238 Appendix B (SHA-1, 8 digits) at %i s', (seconds, code) => {
    expect(totpCode(RFC_KEY, new Date(seconds * 1000), { digits: 8 })).toBe(code);
  });

  it('gives the same code for the key as bytes and as base32', () => {
    const at = new Date(1111111109 * 1000);
    expect(totpCode(base32Encode(RFC_KEY), at)).toBe(totpCode(RFC_KEY, at));
    expect(totpCode(RFC_KEY, at)).toBe('081804');
  });
});

describe('base32', () => {
  it('encodes the RFC 4648 §10 vectors without padding', () => {
    const cases = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of cases) {
      expect(base32Encode(Buffer.from(plain ?? ''))).toBe(encoded);
      expect(base32Decode(encoded ?? '').toString()).toBe(plain);
    }
  });

  it('decodes spaces, lower case and padding as typed by hand', () => {
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
  });

  it('throws a plain Error on characters outside the alphabet or impossible lengths', () => {
    expect(() => base32Decode('MZXW6YT1')).toThrow(Error);
    expect(() => base32Decode('MZXW0')).toThrow(/invalid character/);
    expect(() => base32Decode('M')).toThrow(/length/);
  });

  it('generates 20-byte secrets that round-trip', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('verifyTotp', () => {
  const secret = base32Encode(RFC_KEY);
  const at = new Date('2026-03-01T08:00:10Z');
  const step = totpStep(at);
  const codeAt = (offset: number) => totpCode(secret, new Date(at.getTime() + offset * 30_000));

  it('accepts the current code and returns its step', () => {
    expect(verifyTotp(secret, codeAt(0), at, null)).toEqual({ ok: true, step });
  });

  it('accepts a code one step behind or ahead (clock drift)', () => {
    expect(verifyTotp(secret, codeAt(-1), at, null)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, codeAt(1), at, null)).toEqual({ ok: true, step: step + 1 });
  });

  it('refuses a code two steps away', () => {
    // With this fixed secret and time the five codes differ, so no window code stands in.
    expect(new Set([-2, -1, 0, 1, 2].map(codeAt)).size).toBe(5);
    expect(verifyTotp(secret, codeAt(-2), at, null)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(2), at, null)).toEqual({ ok: false });
  });

  it('refuses a replay of the step already used, and any earlier step', () => {
    const first = verifyTotp(secret, codeAt(0), at, null);
    expect(first.ok).toBe(true);
    const used = first.ok ? first.step : -1;
    expect(verifyTotp(secret, codeAt(0), at, used)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(-1), at, used)).toEqual({ ok: false });
    expect(verifyTotp(secret, codeAt(1), at, used)).toEqual({ ok: true, step: step + 1 });
  });

  it('accepts a code typed with a space, refuses malformed codes', () => {
    const code = codeAt(0);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, at, null).ok).toBe(true);
    expect(verifyTotp(secret, code.slice(0, 5), at, null).ok).toBe(false);
    expect(verifyTotp(secret, `${code}0`, at, null).ok).toBe(false);
    expect(verifyTotp(secret, 'abcdef', at, null).ok).toBe(false);
    expect(verifyTotp(secret, code, new Date(Number.NaN), null).ok).toBe(false);
  });
});

describe('otpauthUri', () => {
  it('percent-encodes the label and parameters', () => {
    const uri = otpauthUri(RFC_KEY, 'åsa lind@vård', 'Reservjournal Väst');
    expect(uri).toBe(
      'otpauth://totp/Reservjournal%20V%C3%A4st:%C3%A5sa%20lind%40v%C3%A5rd' +
        '?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Reservjournal%20V%C3%A4st' +
        '&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('defaults the issuer to Reservjournal and accepts a base32 secret', () => {
    const uri = new URL(otpauthUri('gezd gnbv gy3t qojq gezd gnbv gy3t qojq', 'anna'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('issuer')).toBe('Reservjournal');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});
