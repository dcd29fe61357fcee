/**
 * Swedish date and age formatting for screens and prints: `2026-11-27 06:00`, 24-hour clock, in
 * the station's time zone; partial FHIR dates (`1932-05`) are shown exactly as written.
 */
import type { Messages } from '../i18n/messages.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('sv-SE', {
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

/** A FHIR date or dateTime for display. Dates without a time are returned as written. */
export function formatDateTime(value: string | undefined, timeZone: string): string {
  if (value === undefined || value === '') return '';
  if (!value.includes('T')) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const p = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "för 3 tim sedan", "för 25 min sedan", "för 2 dygn sedan". */
export function formatAge(ageMs: number, m: Messages): string {
  if (!Number.isFinite(ageMs)) return '';
  const minutes = Math.max(0, Math.round(ageMs / 60_000));
  if (minutes < 60) return `för ${minutes} ${m.units_.min} ${m.ago}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `för ${hours} ${m.units_.h} ${m.ago}`;
  return `för ${Math.floor(hours / 24)} ${m.units_.d} ${m.ago}`;
}
