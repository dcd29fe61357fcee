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

/** "+01:00" or "+02:00" for Stockholm at that instant. */
export function stockholmOffset(at: Date): string {
  const name = offsetFormat.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-]\d{2}:\d{2})/.exec(name);
  return m?.[1] ?? '+00:00';
}

/** The local calendar date (YYYY-MM-DD) in Stockholm at that instant. */
export function stockholmDate(at: Date): string {
  const p = Object.fromEntries(partsFormat.formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A FHIR instant for a local Stockholm date and HH:MM. */
export function localInstant(date: string, hhmm: string): string {
  // Take the offset at noon UTC of that date; transitions happen at night, far from most times.
  const offset = stockholmOffset(new Date(`${date}T12:00:00Z`));
  return `${date}T${hhmm}:00${offset}`;
}

/** The Date of a local instant. */
export function instantDate(instant: string): Date {
  return new Date(instant);
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export function weekday(date: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
}
