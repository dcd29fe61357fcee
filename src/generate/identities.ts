/**
 * Identity numbers for synthetic people.
 *
 * Only Skatteverket's official test personnummer are used (vendored in data/, see its README):
 * a made-up "valid" number could belong to a real person. The list is split into birth-year
 * bands so that the population looks like elderly care; when it runs out, people get a reserve
 * number, which contains a letter and can never collide with a real personnummer. Samordningsnummer
 * are derived from test numbers by the day + 60 rule, since the list holds none.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from './random.ts';

const LIST_URL = new URL('../../data/testpersonnummer.txt', import.meta.url);

let cached: readonly string[] | undefined;

export function loadTestPersonnummer(): readonly string[] {
  cached ??= Object.freeze(
    readFileSync(fileURLToPath(LIST_URL), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^\d{12}$/.test(l)),
  );
  return cached;
}

export interface IdentityPool {
  /** The i-th person's personnummer from the list, or undefined when the list is used up. */
  personnummer(i: number): string | undefined;
  /** A test number of someone who has turned 100 by the reference year. */
  centenarian(): string;
  readonly size: number;
}

export function createIdentityPool(seed: string, referenceYear: number): IdentityPool {
  const all = loadTestPersonnummer();
  const rng = new Rng(`${seed}/identities`);
  const year = (p: string) => Number(p.slice(0, 4));
  const band = (lo: number, hi: number) =>
    rng.shuffle(all.filter((p) => year(p) >= lo && year(p) <= hi));
  const centenarians = band(referenceYear - 108, referenceYear - 101);
  // Typical residents first, younger home-care clients next, the oldest last.
  const ordered = [
    ...band(referenceYear - 99, referenceYear - 76),
    ...band(referenceYear - 75, referenceYear - 60),
    ...centenarians.slice(1),
  ];
  return {
    personnummer: (i) => ordered[i],
    centenarian: () => centenarians[0] ?? ordered[0]!,
    size: ordered.length,
  };
}

const RESERVE_LETTERS = 'KRTXZ';

/** A reserve number: birth date, a letter, three digits. Never a valid personnummer. */
export function reserveNumber(rng: Rng, birthDate: string): string {
  return `${birthDate.replace(/-/g, '')}${rng.pick([...RESERVE_LETTERS])}${String(rng.int(0, 999)).padStart(3, '0')}`;
}
