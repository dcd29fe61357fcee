import { describe, expect, it } from 'vitest';
import {
  formatTenDigit,
  formatTwelveDigit,
  luhnCheckDigit,
  parseIdentity,
  toSamordningsnummer,
} from './personnummer.ts';

const today = new Date('2026-11-27T05:00:00Z');

describe('parseIdentity', () => {
  it('accepts the twelve-digit form and checks the Luhn digit', () => {
    expect(parseIdentity('189001019802', today)).toEqual({
      normalized: '189001019802',
      kind: 'personnummer',
      checksumValid: true,
    });
    expect(parseIdentity('189001019803', today).checksumValid).toBe(false);
  });

  it('normalises ten digits with - to this century or the last, and + to a century earlier', () => {
    expect(parseIdentity('490606-2213', today).normalized).toBe('194906062213');
    expect(parseIdentity('121212-1212', today).normalized).toBe('201212121212');
    expect(parseIdentity('240928+9226', today).normalized).toBe('192409289226');
    expect(parseIdentity('4906062213', today).normalized).toBe('194906062213');
    expect(parseIdentity(' 19490606 - 2213 ', today).normalized).toBe('194906062213');
  });

  it('recognises samordningsnummer by day + 60 and reserve numbers by their letters', () => {
    const samordning = toSamordningsnummer('194906062213');
    expect(samordning.slice(6, 8)).toBe('66');
    expect(parseIdentity(samordning, today)).toMatchObject({
      kind: 'samordningsnummer',
      checksumValid: true,
    });
    expect(parseIdentity('19320500K123', today)).toMatchObject({
      kind: 'reservnummer',
      checksumValid: false,
    });
  });

  it('does not demand a calendar date: test numbers with day 00 still validate', () => {
    const body = '320500123';
    const withDay00 = `19${body}${luhnCheckDigit(body)}`;
    expect(parseIdentity(withDay00, today).checksumValid).toBe(true);
  });
});

describe('display forms', () => {
  it('uses + in the ten-digit form from the year a person turns 100', () => {
    expect(formatTenDigit('192409289226', today)).toBe('240928+9226');
    expect(formatTenDigit('192712319226', today)).toBe('271231-9226');
    expect(formatTenDigit('192601019226', today)).toBe('260101+9226');
  });

  it('writes twelve digits with a dash before the last four', () => {
    expect(formatTwelveDigit('194906062213')).toBe('19490606-2213');
    expect(formatTwelveDigit('19320500K123')).toBe('19320500K123');
  });
});
