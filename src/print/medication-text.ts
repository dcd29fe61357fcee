/**
 * How one medication order reads on paper, shared by the summary, the medication list and the
 * signing sheet: the name, the structured times and doses, the PRN rules (reason, maximum dose,
 * minimum interval) and the last documented administration. Every value is the view model's
 * text as it came from the journal ("0.010 mg/h" stays "0.010 mg/h"); nothing is computed from
 * a dose. The dosage text itself is always printed whole by the callers, next to these.
 */
import type { Messages } from '../i18n/messages.ts';
import type { MedicationLine } from '../views/resident.ts';
import { fill, when } from './meta.ts';

export function medicationName(m: Messages, med: MedicationLine): string {
  return med.name || m.resident.unnamedMedication;
}

/** Weekday codes as the catalogue names them ("mån, tors"), or '' for every day. */
export function weekdays(m: Messages, med: MedicationLine): string {
  return med.days.map((d) => (m.weekdays as Record<string, string>)[d] ?? d).join(', ');
}

/** "Tider: 08:00, 20:00 (mån)", or undefined without fixed times. */
export function timesText(m: Messages, med: MedicationLine): string | undefined {
  if (med.times.length === 0) return undefined;
  const days = weekdays(m, med);
  return `${m.times}: ${med.times.join(', ')}${days ? ` (${days})` : ''}`;
}

/** "Dos: 1 tablett", the distinct structured doses as written. */
export function doseText(m: Messages, med: MedicationLine): string | undefined {
  return med.doses.length === 0 ? undefined : `${m.dose}: ${[...new Set(med.doses)].join('; ')}`;
}

/** The PRN rules: "Vid behov: smärta", "Högst 8 tablett / 1 dygn, minst 4 tim mellan doserna". */
export function prnTexts(m: Messages, med: MedicationLine): string[] {
  const prn = med.asNeeded;
  if (prn === null) return [];
  const t = m.resident;
  const interval = prn.minIntervalHours
    ? fill(m.minInterval, { h: prn.minIntervalHours })
    : prn.minInterval
      ? fill(t.minIntervalOther, {
          n: prn.minInterval.value,
          unit:
            (t.periodUnits as Record<string, string>)[prn.minInterval.unit] ?? prn.minInterval.unit,
        })
      : undefined;
  const rules = [prn.maxPerPeriod ? `${m.maxDose} ${prn.maxPerPeriod}` : undefined, interval]
    .filter((x): x is string => x !== undefined)
    .join(', ');
  return [`${m.asNeeded}${prn.reason ? `: ${prn.reason}` : ''}`, ...(rules ? [rules] : [])];
}

/** Times, doses and PRN rules, one per line. */
export function scheduleText(m: Messages, med: MedicationLine): string {
  return [timesText(m, med), doseText(m, med), ...prnTexts(m, med)]
    .filter((x): x is string => x !== undefined)
    .join('\n');
}

/** Dose-dispensed and who gives it, one per line. */
export function givenByText(m: Messages, med: MedicationLine): string {
  return [med.doseDispensed ? m.doseDispensed : undefined, med.performer]
    .filter((x): x is string => x !== undefined && x !== '')
    .join('\n');
}

/** "2026-11-26 21:00 (2 tablett)", "… ej given: orsak …", or that there is none in the copy. */
export function lastGivenText(m: Messages, med: MedicationLine, timeZone: string): string {
  const last = med.lastAdministration;
  if (last === null) return m.noAdministration;
  const at = `${when(last.at, timeZone)}${last.dose ? ` (${last.dose})` : ''}`;
  if (last.given) return at;
  return `${at} ${m.lastNotGiven}${last.reason ? `: ${m.resident.notGivenReason} ${last.reason}` : ''}`;
}
