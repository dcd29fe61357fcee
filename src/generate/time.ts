/**
 * Wall-clock helpers for the generator: visits and dose times are local Swedish times, written
 * as FHIR instants with the right UTC offset for that day (CET or CEST).
 */

const offsetFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  timeZoneName: 'longOffset',
});

const partsFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// The generator asks about the same few dates millions of times: remember the answers. The
// caches stay small (one entry per calendar day or instant seen) and speed generation up a lot.
const offsetByDate = new Map<string, string>();
const dateByInstant = new Map<number, string>();
const addDaysCache = new Map<string, string>();

/** "+01:00" or "+02:00" for Stockholm at that instant. */
export function stockholmOffset(at: Date): string {
  const name = offsetFormat.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m?.[1] ?? '+00:00';
}

/** The local calendar date (YYYY-MM-DD) in Stockholm at that instant. */
export function stockholmDate(at: Date): string {
  const key = at.getTime();
  const known = dateByInstant.get(key);
  if (known !== undefined) return known;
  const value = computeStockholmDate(at);
  if (dateByInstant.size < 10_000) dateByInstant.set(key, value);
  return value;
}

function computeStockholmDate(at: Date): string {
  const p = Object.fromEntries(partsFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

export function addDays(date: string, days: number): string {
  const key = `${date}|${days}`;
  const known = addDaysCache.get(key);
  if (known !== undefined) return known;
  const value = computeAddDays(date, days);
  if (addDaysCache.size < 100_000) addDaysCache.set(key, value);
  return value;
}

function computeAddDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A FHIR instant for a local Stockholm date and HH:MM. */
export function localInstant(date: string, hhmm: string): string {
  // Take the offset at noon UTC of that date; transitions happen at night, far from most times.
  let offset = offsetByDate.get(date);
  if (offset === undefined) {
    offset = stockholmOffset(new Date(`${date}T12:00:00Z`));
    offsetByDate.set(date, offset);
  }
  return `${date}T${hhmm}:00${offset}`;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function weekday(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
}

/** The local instant `minutes` after a local date and HH:MM (visits never cross a clock change). */
export function localInstantPlus(date: string, hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const total = h * 60 + m + minutes;
  const day = addDays(date, Math.floor(total / 1440));
  const rest = ((total % 1440) + 1440) % 1440;
  const time = `${String(Math.floor(rest / 60)).padStart(2, '0')}:${String(rest % 60).padStart(2, '0')}`;
  return localInstant(day, time);
}
