/**
 * When the exporter runs: a five-field cron expression (minute hour day month weekday) in a named
 * time zone, evaluated by croner. This module owns checking an expression, deriving the longest
 * expected gap between two runs (which the heartbeat announces, so stations and monitoring know
 * when the exporter is late), and the Scheduler the daemon waits on. Tests give the daemon a
 * scheduler they fire by hand instead of waiting for the clock.
 */
import { Cron } from 'croner';

export const DEFAULT_SCHEDULE = '0 6,18 * * *';
export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';
/** The look-ahead for the expected interval: a week plus a day covers weekly schedules and DST. */
const LOOK_AHEAD_MS = 8 * 24 * 60 * 60_000;

function cron(expression: string, timeZone: string): Cron {
  // Five fields only: seconds are not a unit of this schedule, and one minute is the finest step.
  return new Cron(expression, { mode: '5-part', timezone: timeZone, paused: true });
}

export function checkTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A sentence for an operator when the expression cannot be used, undefined when it can. */
export function scheduleProblem(
  expression: string,
  timeZone: string,
  now: Date,
): string | undefined {
  if (expression.trim().split(/\s+/).length !== 5)
    return `"${expression}" must have five fields: minute hour day-of-month month day-of-week, e.g. "${DEFAULT_SCHEDULE}"`;
  let job: Cron;
  try {
    job = cron(expression, timeZone);
  } catch (error) {
    return `"${expression}" is not a cron expression croner understands (${(error as Error).message})`;
  }
  const next = job.nextRun(now);
  job.stop();
  if (next === null || next.getTime() - now.getTime() > 366 * 24 * 60 * 60_000)
    return `"${expression}" does not run at least once a year`;
  return undefined;
}

/** The time zone's offset from UTC at `at`, in minutes (e.g. 60 for Stockholm in winter). */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name ?? '');
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * The longest gap between two consecutive runs over the next eight days, in whole minutes,
 * rounded up. For the default 06:00 and 18:00 this is 720; for "every minute" it is 1. A schedule
 * that runs less often than that window (monthly) is announced with the gap to its next run.
 *
 * The runs are walked at the zone's current UTC offset, because croner's time-zone mode costs a
 * date formatting per step (seconds for a per-minute schedule). When daylight saving time starts
 * or ends inside the window, the shift is added to the result: the announced interval is then up
 * to an hour too generous in that week, never too strict (no false alarm).
 */
export function expectedIntervalMinutes(expression: string, timeZone: string, from: Date): number {
  const end = from.getTime() + LOOK_AHEAD_MS;
  const offset = utcOffsetMinutes(timeZone, from);
  const shift = Math.abs(utcOffsetMinutes(timeZone, new Date(end)) - offset);
  const job = new Cron(expression, { mode: '5-part', utcOffset: offset, paused: true });
  try {
    let prev = job.nextRun(from);
    if (prev === null) return Math.ceil(LOOK_AHEAD_MS / 60_000);
    let longest = 0;
    while (prev.getTime() <= end) {
      const next = job.nextRun(prev);
      if (next === null) break;
      longest = Math.max(longest, next.getTime() - prev.getTime());
      prev = next;
    }
    return Math.max(1, Math.ceil(longest / 60_000) + shift);
  } finally {
    job.stop();
  }
}

/** Something that calls `tick` whenever a run is due, until stopped. */
export interface Scheduler {
  start(tick: () => void): { stop(): void; nextRun(): Date | null };
}

/** The production scheduler: croner in the configured time zone. */
export function cronScheduler(expression: string, timeZone: string): Scheduler {
  return {
    start(tick) {
      const job = new Cron(expression, { mode: '5-part', timezone: timeZone }, () => tick());
      return { stop: () => job.stop(), nextRun: () => job.nextRun() };
    },
  };
}
