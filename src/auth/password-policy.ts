/**
 * The password rules of matrix row U4, after NIST SP 800-63B §3.1.1.2
 * (https://pages.nist.gov/800-63-4/sp800-63b.html#passwordver): length is what counts — at least
 * 15 characters for a password used alone, 8 when a one-time code (TOTP) is also required — and
 * there are no composition rules ("one digit, one capital"), which only push people towards
 * "Sommar2026!". Instead a password is refused when it is guessable: on the blocklist (also after
 * the usual disguises are undone), the person's own name, too few different characters, a run
 * along the keyboard or the alphabet, or a common word typed twice.
 *
 * Lengths count Unicode code points after NFC, not UTF-16 units, so "Åsa" is three characters
 * however it was typed, and an emoji is one. Long passphrases are welcome; the 1024 limit only
 * bounds the work of hashing. Every problem is returned at once, as short Swedish sentences (the
 * interface is Swedish) that the UI and tests refer to through PASSWORD_REASONS.
 */
import { foldForSearch } from '../core/fold.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export const PASSWORD_LIMITS = {
  minAlone: 15,
  minWithSecondFactor: 8,
  max: 1024,
  minDistinct: 5,
  /** Shortest user or display name looked for inside a password ("Bo" is in too many words). */
  minNameLength: 3,
  /** Shortest part of a name ("lindqvist" in "Åsa Lindqvist") looked for inside a password. */
  minNamePartLength: 4,
} as const;

export const PASSWORD_REASONS = {
  tooShort: 'Lösenordet måste ha minst 15 tecken (8 med engångskod).',
  tooLong: 'Lösenordet får ha högst 1024 tecken.',
  common: 'Lösenordet är för vanligt. Välj en mening eller flera ord som inte hör ihop.',
  name: 'Lösenordet får inte innehålla ditt användarnamn eller ditt namn.',
  fewDistinct: 'Lösenordet måste innehålla minst 5 olika tecken.',
  sequence:
    'Lösenordet får inte vara en följd på tangentbordet eller i alfabetet, som "qwerty" eller "1234".',
  repeated: 'Lösenordet får inte vara ett vanligt ord som upprepas.',
} as const;

export interface PasswordContext {
  readonly userName: string;
  readonly displayName?: string;
  /** The account also needs a one-time code at sign-in (lowers the minimum length to 8). */
  readonly secondFactor: boolean;
}

export type PasswordVerdict = { ok: true } | { ok: false; reasons: string[] };

/**
 * Runs a person may type without thinking: keyboard rows (Swedish and US layout, row by row and
 * row after row, and the diagonal columns), digits and the alphabet. Each is read cyclically
 * ("7890123") and in both directions.
 */
const SEQUENCES = [
  '1234567890',
  'qwertyuiopå',
  'asdfghjklöä',
  'zxcvbnm',
  'qwertyuiopåasdfghjklöäzxcvbnm',
  'qwertyuiopasdfghjklzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  'abcdefghijklmnopqrstuvwxyzåäö',
];
/** For each sequence and direction: character → the character that follows it. */
const SUCCESSORS: readonly ReadonlyMap<string, string>[] = SEQUENCES.flatMap((s) => {
  const chars = [...s];
  return [chars, [...chars].reverse()].map(
    (seq) => new Map(seq.map((c, i) => [c, seq[(i + 1) % seq.length] ?? c] as const)),
  );
});
/** Shortest run that counts as a piece of a sequence when cutting a password into runs. */
const MIN_RUN = 3;

/** Digits and symbols people use for letters ("p@ssw0rd"). */
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

const FOLDED_COMMON: ReadonlySet<string> = new Set([...COMMON_PASSWORDS].map(foldForSearch));

function codePoints(text: string): string[] {
  return [...text];
}

/** Lower case, no accents, no spaces: the form blocklist, name and repetition checks compare. */
function compact(text: string): string {
  return foldForSearch(text).replace(/\s+/g, '');
}

/** Leading and trailing digits and symbols removed: "2026sommar!" → "sommar". */
function bare(text: string): string {
  return text.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
}

function unleet(text: string): string {
  return text.replace(/[013457@$!]/g, (c) => LEET[c] ?? c);
}

/** Is the text, or what is left after undoing the usual disguises, on the blocklist? */
function isCommon(text: string): boolean {
  const base = compact(text);
  const forms = [base, bare(base), unleet(base), unleet(bare(base))];
  return forms.some((f) => f !== '' && FOLDED_COMMON.has(f));
}

/** Length of the longest run starting at `start` that follows one sequence in one direction. */
function runAt(chars: readonly string[], start: number): number {
  let longest = 1;
  for (const next of SUCCESSORS) {
    let end = start + 1;
    while (end < chars.length && next.get(chars[end - 1] ?? '') === chars[end]) end++;
    longest = Math.max(longest, end - start);
  }
  return longest;
}

/** Can the whole text be cut into runs of at least MIN_RUN characters ("qwerty" + "123456")? */
function isSequence(text: string): boolean {
  const chars = codePoints(text.normalize('NFC').toLowerCase().replace(/\s+/g, ''));
  if (chars.length < MIN_RUN) return false;
  for (let i = 0; i < chars.length;) {
    const run = runAt(chars, i);
    if (run < MIN_RUN) return false;
    i += run;
  }
  return true;
}

/** The shortest unit that, repeated two or more times, makes up the text; null if none. */
function repeatedUnit(text: string): string | null {
  const chars = codePoints(text);
  for (let size = 1; size <= chars.length / 2; size++) {
    if (chars.length % size !== 0) continue;
    const unit = chars.slice(0, size).join('');
    if (unit.repeat(chars.length / size) === text) return unit;
  }
  return null;
}

/** "passwordpassword", "sommar2026sommar2026", "!hejhejhej!": a weak word typed again. */
function isRepeatedWeakWord(text: string): boolean {
  const base = compact(text);
  return [base, bare(base)].some((form) => {
    const unit = repeatedUnit(form);
    return unit !== null && (isCommon(unit) || isSequence(unit));
  });
}

/**
 * The whole user name and display name (at least 3 letters), and each of their parts of at least
 * 4 ("asa.lindqvist", "Åsa Lindqvist" → "asalindqvist", "lindqvist"). Three-letter first names
 * are matched only as whole names: "per" or "ann" hide inside too many ordinary words
 * ("superhjälte", "tannkräm") for a refusal to make sense to the person.
 */
function containsName(password: string, context: PasswordContext): boolean {
  const folded = compact(password);
  const wholes = [context.userName, context.displayName ?? ''].map(compact);
  const parts = [context.userName, context.displayName ?? '']
    .flatMap((n) => foldForSearch(n).split(/[^\p{L}\p{N}]+/u))
    .filter((p) => codePoints(p).length >= PASSWORD_LIMITS.minNamePartLength);
  return [
    ...wholes.filter((w) => codePoints(w).length >= PASSWORD_LIMITS.minNameLength),
    ...parts,
  ].some((n) => folded.includes(n));
}

export function checkPassword(password: string, context: PasswordContext): PasswordVerdict {
  const nfc = password.normalize('NFC');
  const length = codePoints(nfc).length;
  const min = context.secondFactor ? PASSWORD_LIMITS.minWithSecondFactor : PASSWORD_LIMITS.minAlone;
  const reasons: string[] = [];
  if (length < min) reasons.push(PASSWORD_REASONS.tooShort);
  if (length > PASSWORD_LIMITS.max) {
    // Past the limit the other checks would only spend time on a password already refused.
    reasons.push(PASSWORD_REASONS.tooLong);
    return { ok: false, reasons };
  }
  if (isCommon(nfc)) reasons.push(PASSWORD_REASONS.common);
  if (containsName(nfc, context)) reasons.push(PASSWORD_REASONS.name);
  if (new Set(codePoints(nfc.toLowerCase())).size < PASSWORD_LIMITS.minDistinct)
    reasons.push(PASSWORD_REASONS.fewDistinct);
  if (isSequence(nfc)) reasons.push(PASSWORD_REASONS.sequence);
  if (isRepeatedWeakWord(nfc)) reasons.push(PASSWORD_REASONS.repeated);
  return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
}
