import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords.ts';
import { PASSWORD_REASONS as R, checkPassword, type PasswordContext } from './password-policy.ts';

const ALONE: PasswordContext = {
  userName: 'asa.lind',
  displayName: 'Åsa Lind',
  secondFactor: false,
};
const WITH_CODE: PasswordContext = { ...ALONE, secondFactor: true };

function reasons(password: string, context: PasswordContext = ALONE): string[] {
  const verdict = checkPassword(password, context);
  return verdict.ok ? [] : verdict.reasons;
}

describe('length', () => {
  it('accepts a 15-character passphrase used alone and refuses 14', () => {
    expect(checkPassword('grön kanot flyg', ALONE)).toEqual({ ok: true });
    expect(reasons('grön kanot fly', ALONE)).toEqual([R.tooShort]);
  });

  it('accepts 8 characters when a one-time code is also required, refuses 7', () => {
    expect(checkPassword('kanotväg', WITH_CODE)).toEqual({ ok: true });
    expect(reasons('kanotvä', WITH_CODE)).toEqual([R.tooShort]);
  });

  it('counts code points after NFC, not UTF-16 units', () => {
    // 14 characters: 18 UTF-16 units when decomposed, 15 when one of them is an emoji.
    const decomposed = 'Åsö på väg hem'.normalize('NFD');
    expect(decomposed.length).toBe(18);
    expect(reasons(decomposed, ALONE)).toEqual([R.tooShort]);
    expect(reasons('kanot i sjön 🛶', ALONE)).toEqual([R.tooShort]);
    expect(checkPassword('kanot i sjön 🛶!', ALONE)).toEqual({ ok: true });
  });

  it('accepts a 300-character password and refuses one past 1024', () => {
    const long = 'Ingen composition rule, bara en lång mening om kaffe och kanoter. '.repeat(5);
    expect([...long].length).toBeGreaterThan(300);
    expect(checkPassword(long, ALONE)).toEqual({ ok: true });
    expect(reasons('x'.repeat(1025) + 'abcdefgh', ALONE)).toContain(R.tooLong);
  });

  it('has no composition rules: all lower case, no digits, no symbols is fine', () => {
    expect(checkPassword('tre blå ankor simmar', ALONE)).toEqual({ ok: true });
  });
});

describe('blocklist', () => {
  it.each([
    'password',
    'Password1',
    'p@ssw0rd',
    'lösenord',
    'LÖSENORD123',
    'losenord!',
    'l0senord',
    'Sommar2026',
    'sommar-2026!',
    'Hösten2025',
    'välkommen1',
    'Hemtjänst123',
    'qwerty123',
    'iloveyou',
    'Football!',
  ])('refuses %s as common (with a second factor, so length is no issue)', (password) => {
    expect(reasons(password, WITH_CODE)).toContain(R.common);
  });

  it('refuses long blocklisted words used alone too', () => {
    expect(reasons('Sjuksköterska2026!', ALONE)).toContain(R.common);
    expect(reasons('reservjournalen!!', ALONE)).toContain(R.common);
  });

  it('keeps the list lower case, NFC and a few hundred entries long', () => {
    expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
    for (const word of COMMON_PASSWORDS) {
      expect(word).toBe(word.toLowerCase().normalize('NFC'));
    }
    expect(COMMON_PASSWORDS.has('lösenord')).toBe(true);
  });
});

describe('names', () => {
  it('refuses the user name or display name, or a password containing them', () => {
    expect(reasons('asa.lind', WITH_CODE)).toContain(R.name);
    expect(reasons('ÅsaLind i hemtjänsten', ALONE)).toContain(R.name);
    expect(reasons('asa lind kanotväg', ALONE)).toContain(R.name);
    expect(reasons('Lindqvist kör kanot', { ...ALONE, displayName: 'Åsa Lindqvist' })).toContain(
      R.name,
    );
  });

  it('does not look for short name parts inside ordinary words', () => {
    const per: PasswordContext = {
      userName: 'per.berg',
      displayName: 'Per Berg',
      secondFactor: false,
    };
    expect(checkPassword('superhjälte på natten', per)).toEqual({ ok: true });
    expect(reasons('bergsklättring på natten', per)).toContain(R.name);
  });
});

describe('guessable shapes', () => {
  it('refuses fewer than 5 distinct characters', () => {
    expect(reasons('abababababababab', ALONE)).toContain(R.fewDistinct);
    expect(reasons('AaAaBbBbCcCcDdDd', ALONE)).toContain(R.fewDistinct);
  });

  it.each([
    'qwertyuiopåasdf',
    'asdfghjklöä',
    'mnbvcxzlkjhgfds',
    '123456789012345',
    '0987654321',
    'abcdefghijklmnop',
    'zyxwvutsrqpo',
    'qwerty123456',
    '1qaz2wsx3edc',
  ])('refuses the sequence %s', (password) => {
    expect(reasons(password, WITH_CODE)).toContain(R.sequence);
  });

  it.each(['passwordpassword', 'sommar2026sommar2026', 'Lösenord!Lösenord!', 'qwertyqwertyqwerty'])(
    'refuses the repeated weak word %s',
    (password) => {
      expect(reasons(password, ALONE)).toContain(R.repeated);
    },
  );

  it('accepts a repeated word that is not weak on its own', () => {
    expect(checkPassword('kanotvägkanotväg', ALONE)).toEqual({ ok: true });
  });

  it('returns every reason at once', () => {
    expect(reasons('1234')).toEqual([R.tooShort, R.fewDistinct, R.sequence]);
  });
});
