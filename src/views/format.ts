/**
 * Swedish date and age formatting for screens and prints: `2026-11-27 06:00`, 24-hour clock, in
 * the station's time zone; partial FHIR dates (`1932-05`) are shown exactly as written.
 */
import type { Messages } from '../i18n/messages.ts';
import { localDateTime } from './local-time.ts';

/** A FHIR date or dateTime for display. Dates without a time are returned as written. */
export function formatDateTime(value: string | undefined, timeZone: string): string {
  if (value === undefined || value === '') return '';
  if (!value.includes('T')) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const local = localDateTime(d, timeZone);
  return `${local.date} ${local.time}`;
}

/** "för 3 tim sedan" / "3 h ago", "för 25 min sedan", "för 2 dygn sedan". */
export function formatAge(ageMs: number, m: Messages): string {
  if (!Number.isFinite(ageMs)) return '';
  const minutes = Math.max(0, Math.round(ageMs / 60_000));
  const say = (n: number, unit: string) =>
    m.agePattern.replace('{n}', String(n)).replace('{unit}', unit);
  if (minutes < 60) return say(minutes, m.units_.min);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return say(hours, m.units_.h);
  return say(Math.floor(hours / 24), m.units_.d);
}
