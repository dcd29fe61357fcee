/**
 * The period a signing sheet covers: from the caller's clock (never the system time) for 24, 48
 * or 72 hours, as the calendar days it touches in the station's time zone. A day column starts
 * at local midnight, so a sheet that starts at 08:00 has one column more than its hours / 24: a
 * box is open for signing only where the dose time falls inside the period, and greyed out
 * before the start and after the end.
 */
import { addDays, localDateTime, weekdayOf } from '../views/local-time.ts';

export const SIGNING_HOURS = [24, 48, 72] as const;
export type SigningHours = (typeof SIGNING_HOURS)[number];

export interface SigningWindow {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly hours: SigningHours;
  /** Local calendar dates (YYYY-MM-DD) from the start's date through the end's. */
  readonly days: readonly string[];
  readonly timeZone: string;
}

export function signingWindow(from: Date, hours: SigningHours, timeZone: string): SigningWindow {
  const to = new Date(from.getTime() + hours * 3_600_000);
  const first = localDateTime(from, timeZone).date;
  const last = localDateTime(new Date(to.getTime() - 1), timeZone).date;
  const days = [first];
  while (days[days.length - 1]! < last) days.push(addDays(days[days.length - 1]!, 1));
  return { from, to, hours, days, timeZone };
}

/**
 * The instant of a wall-clock time on a local date. Two corrections with the zone's offset
 * settle it on either side of a daylight-saving change; a time that does not exist that night
 * (02:30 in spring) lands an hour later, as clocks read it.
 */
export function localInstant(date: string, time: string, timeZone: string): Date {
  const wallClock = (day: string, hhmm: string): number => {
    const [y = 0, mo = 1, d = 1] = day.split('-').map(Number);
    const [h = 0, mi = 0] = hhmm.split(':').map(Number);
    return Date.UTC(y, mo - 1, d, h, mi);
  };
  const wall = wallClock(date, time);
  let t = wall;
  for (let i = 0; i < 2; i++) {
    const l = localDateTime(new Date(t), timeZone);
    t += wall - wallClock(l.date, l.time);
  }
  return new Date(t);
}

/** A dose at `time` on `date` is to be signed on this sheet. */
export function inWindow(w: SigningWindow, date: string, time: string): boolean {
  const t = localInstant(date, time, w.timeZone).getTime();
  return t >= w.from.getTime() && t < w.to.getTime();
}

/** Some part of `date` lies inside the period (for orders without a fixed time). */
export function dayInWindow(w: SigningWindow, date: string): boolean {
  return w.days.includes(date);
}

/** The order is given on this date by its weekdays (every day when it names none). */
export function onWeekday(days: readonly string[], date: string): boolean {
  return days.length === 0 || days.includes(weekdayOf(date));
}
