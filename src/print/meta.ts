/**
 * What every printout is given besides its view models: the message catalogue, the station's
 * time zone, the copy's export time, who prints and when (the caller's clock: nothing in
 * src/print reads the system time), and the prefix of the audit entry that recorded the print
 * (reliability row L8). Plus the small text helpers the documents share.
 */
import type { Messages } from '../i18n/messages.ts';
import type { PatientRow } from '../store/queries.ts';
import type { ResidentView } from '../views/resident.ts';
import { identityDisplay } from '../views/unit.ts';
import { localDateTime, weekdayOf } from '../views/local-time.ts';
import { formatDateTime } from '../views/format.ts';

export interface PrintMeta {
  readonly m: Messages;
  /** IANA time zone of the station (config.timeZone). */
  readonly timeZone: string;
  /** The snapshot's transactionTime: the export time the data is "as of". */
  readonly transactionTime: string;
  /** The user name of the person printing. */
  readonly printedBy: string;
  readonly printedAt: Date;
  /** Hash prefix of the audit entry that recorded this print (12 hex are printed). */
  readonly auditRef: string;
}

/** Whose page it is: the frame names the resident, or the unit for the unit's own pages. */
export type PageOwner =
  | { readonly kind: 'resident'; readonly name: string; readonly identity: string }
  | { readonly kind: 'unit'; readonly name: string };

/** How many hex digits of the audit entry's hash the frame shows. */
export const AUDIT_REF_LENGTH = 12;

export function residentOwner(view: ResidentView): PageOwner {
  return { kind: 'resident', name: view.patient.nameDisplay, identity: view.identityDisplay };
}

/** The same, for forms printed from the patient table alone (no record view needed). */
export function patientOwner(patient: PatientRow): PageOwner {
  return { kind: 'resident', name: patient.nameDisplay, identity: identityDisplay(patient) };
}

/** "{n}"-style placeholders filled in. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (all, key: string) =>
    values[key] === undefined ? all : String(values[key]),
  );
}

/** An instant as `2026-11-27 06:00` in the station's time zone. */
export function localStamp(at: Date, timeZone: string): string {
  const l = localDateTime(at, timeZone);
  return `${l.date} ${l.time}`;
}

/** A local date with its weekday: `fre 2026-11-27`. */
export function dayLabel(m: Messages, date: string): string {
  return `${m.weekdays[weekdayOf(date)]} ${date}`;
}

/** A FHIR date or dateTime from the journal: dates as written, instants in local time. */
export function when(value: string | undefined, timeZone: string): string {
  return formatDateTime(value, timeZone);
}
