/**
 * Wall-clock dates and times in the station's time zone, for views that ask "what happens
 * today": the calendar date of an instant, its local HH:MM, the weekday of a date. The clock
 * is always passed in; nothing here reads the system time.
 */

/** FHIR days-of-week codes (http://hl7.org/fhir/days-of-week), Sunday first as in Date. */
export const FHIR_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type FhirWeekday = (typeof FHIR_WEEKDAYS)[number];

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDateTime {
  /** YYYY-MM-DD in the time zone. */
  readonly date: string;
  /** HH:MM, 24-hour clock. */
  readonly time: string;
}

// formatToParts is slow and a unit's visits and doses share few distinct instants (07:30,
// 12:00...): remember answers, in a cache that is emptied when it grows past a bound.
const known = new Map<string, LocalDateTime>();
const KNOWN_MAX = 4096;

export function localDateTime(at: Date, timeZone: string): LocalDateTime {
  const key = `${timeZone} ${at.getTime()}`;
  const hit = known.get(key);
  if (hit !== undefined) return hit;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) p[part.type] = part.value;
  const value = Object.freeze({
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
  });
  if (known.size >= KNOWN_MAX) known.clear();
  known.set(key, value);
  return value;
}

/**
 * A FHIR dateTime or instant in local time. Values without a time of day (`2026-11-27`) and
 * values that do not parse give undefined: they cannot be placed on a clock.
 */
export function localOfInstant(value: string | undefined, timeZone: string) {
  if (value === undefined || !value.includes('T')) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : localDateTime(d, timeZone);
}

/** The calendar date of a FHIR date or dateTime as seen in the time zone (dates as written). */
export function localDateOf(value: string | undefined, timeZone: string): string | undefined {
  if (value === undefined) return undefined;
  if (!value.includes('T')) return /^\d{4}(-\d{2}){0,2}$/.test(value) ? value : undefined;
  return localOfInstant(value, timeZone)?.date;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function weekdayOf(date: string): FhirWeekday {
  return FHIR_WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!;
}
