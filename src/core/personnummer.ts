/**
 * Swedish personal identity numbers: personnummer, samordningsnummer and reserve numbers.
 *
 * Rules (see docs/data-model.md): YYMMDD-NNNC or YYYYMMDDNNNC; C is a Luhn check digit over the
 * ten digits after the century; the separator is `+` from the year the person turns 100; a
 * samordningsnummer has day + 60. Official test numbers can have month or day 00, so no calendar
 * check is made. Invalid numbers in incoming data are kept and flagged, never rejected: the
 * record is authentic even when its number is not.
 */

export const IDENTIFIER_SYSTEMS = {
  personnummer: 'http://electronichealth.se/identifier/personnummer',
  samordningsnummer: 'http://electronichealth.se/identifier/samordningsnummer',
  reservnummer: 'http://electronichealth.se/identifier/nationelltReservnummer',
  hsaId: 'urn:oid:1.2.752.29.4.19',
} as const;

/** Older OID forms of the same systems, accepted on import. */
export const IDENTIFIER_OIDS: Record<string, keyof typeof IDENTIFIER_SYSTEMS> = {
  'urn:oid:1.2.752.129.2.1.3.1': 'personnummer',
  'urn:oid:1.2.752.129.2.1.3.3': 'samordningsnummer',
  'urn:oid:1.2.752.129.2.1.4.1': 'hsaId',
};

export type IdentityKind = 'personnummer' | 'samordningsnummer' | 'reservnummer' | 'unknown';

export interface ParsedIdentity {
  /** Twelve digits without separator when the input had a recognisable shape, else the input. */
  readonly normalized: string;
  readonly kind: IdentityKind;
  /** True when the check digit is right (always false for reserve numbers and unknown shapes). */
  readonly checksumValid: boolean;
}

export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    let d = nineDigits.charCodeAt(i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Century for a ten-digit form, given the separator and today's date. */
function century(yy: number, plus: boolean, today: Date): number {
  const thisYear = today.getUTCFullYear();
  let year = Math.floor(thisYear / 100) * 100 + yy;
  if (year > thisYear) year -= 100;
  if (plus) year -= 100;
  return Math.floor(year / 100);
}

/**
 * Parse any common written form: 12 digits, 10 digits, with `-` or `+`, with spaces.
 * `today` decides the century of ten-digit forms.
 */
export function parseIdentity(input: string, today: Date = new Date()): ParsedIdentity {
  const trimmed = input.trim().replace(/\s+/g, '');
  const m = /^(\d{2})?(\d{6})([-+]?)(\d{4})$/.exec(trimmed);
  if (m === null) {
    if (/^\d{8}[A-Za-z]/.test(trimmed) || /[A-Za-z]/.test(trimmed)) {
      return { normalized: trimmed.toUpperCase(), kind: 'reservnummer', checksumValid: false };
    }
    return { normalized: trimmed, kind: 'unknown', checksumValid: false };
  }
  const [, cc, yymmdd = '', sep, last4 = ''] = m;
  const prefix =
    cc ?? String(century(Number(yymmdd.slice(0, 2)), sep === '+', today)).padStart(2, '0');
  const normalized = `${prefix}${yymmdd}${last4}`;
  const ten = normalized.slice(2);
  const checksumValid = luhnCheckDigit(ten.slice(0, 9)) === Number(ten[9]);
  const day = Number(normalized.slice(6, 8));
  const kind: IdentityKind = day > 60 ? 'samordningsnummer' : 'personnummer';
  return { normalized, kind, checksumValid };
}

/**
 * The ten-digit display form, with `+` for people who have turned 100 in the year of `today`.
 */
export function formatTenDigit(twelve: string, today: Date = new Date()): string {
  if (!/^\d{12}$/.test(twelve)) return twelve;
  const birthYear = Number(twelve.slice(0, 4));
  const sep = today.getUTCFullYear() - birthYear >= 100 ? '+' : '-';
  return `${twelve.slice(2, 8)}${sep}${twelve.slice(8)}`;
}

/** The twelve-digit display form YYYYMMDD-NNNC used on screens and prints. */
export function formatTwelveDigit(twelve: string): string {
  if (!/^\d{12}$/.test(twelve)) return twelve;
  return `${twelve.slice(0, 8)}-${twelve.slice(8)}`;
}

/** Derive a samordningsnummer (day + 60, new check digit) from a twelve-digit personnummer. */
export function toSamordningsnummer(twelve: string): string {
  const day = Number(twelve.slice(6, 8)) + 60;
  const body = `${twelve.slice(2, 6)}${String(day).padStart(2, '0')}${twelve.slice(8, 11)}`;
  return `${twelve.slice(0, 2)}${body}${luhnCheckDigit(body)}`;
}
