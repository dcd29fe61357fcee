/**
 * The resident view model: what the station shows (and later prints) about one person, built
 * from the stored raw resources. Plain data, no HTML: the web page and the print renderer both
 * read it. Every value that came from the journal is carried as text exactly as written.
 *
 * Each concept is read in its own module under ./resident/; this one loads the person's
 * resources once and puts the sections together in the order the page shows them. Key and door
 * information is deliberately absent (only whether there is any): see ./resident/keys.ts.
 */
import type { Db } from '../store/db.ts';
import { getPatient, type PatientRow } from '../store/queries.ts';
import { unitFacts } from '../store/units.ts';
import {
  alertItems,
  palliativeStatus,
  resuscitationDecisions,
  treatmentLimits,
  type AlertItem,
  type PalliativeStatus,
  type ResuscitationDecision,
} from './resident/alerts.ts';
import { careSection, goalsOf, type CareSection } from './resident/care.ts';
import {
  careContacts,
  relatedContacts,
  type CareContact,
  type ContactItem,
} from './resident/contacts.ts';
import { deviceItems, type DeviceItem } from './resident/devices.ts';
import { diagnoses, type DiagnosisItem } from './resident/diagnoses.ts';
import { dietItems, type DietItem } from './resident/diet.ts';
import { genericItems, type GenericItem } from './resident/generic.ts';
import { identityFacts } from './resident/identity.ts';
import { isKeyResource } from './resident/keys.ts';
import { loadResidentResources } from './resident/load.ts';
import { isInjection, medicationLines, type MedicationLine } from './resident/medication.ts';
import { recentNotes, type NoteItem } from './resident/notes.ts';
import { latestObservations, type ObservationItem } from './resident/observations.ts';
import { riskSection, type RiskSection } from './resident/risks.ts';
import { upcomingVisits, type VisitItem } from './resident/visits.ts';

export type { AlertItem, PalliativeStatus, ResuscitationDecision } from './resident/alerts.ts';
export type {
  CarePlanActivity,
  CarePlanItem,
  CarePlanKind,
  GoalItem,
} from './resident/care-plan.ts';
export type { CareSection, ServiceItem } from './resident/care.ts';
export type { CareContact, ContactItem } from './resident/contacts.ts';
export type { DeviceItem } from './resident/devices.ts';
export type { DiagnosisItem } from './resident/diagnoses.ts';
export type { DietItem } from './resident/diet.ts';
export type { GenericItem } from './resident/generic.ts';
export type { LastAdministration, MedicationLine } from './resident/medication.ts';
export type { NoteItem } from './resident/notes.ts';
export type { Measurement, MeasurementKind, ObservationItem } from './resident/observations.ts';
export type { RiskItem, RiskSection } from './resident/risks.ts';
export type { VisitItem } from './resident/visits.ts';

export interface ResidentView {
  readonly patient: PatientRow;
  readonly identityDisplay: string;
  /** Never set for a person with protected identity. */
  readonly address: string | undefined;
  /** Never set for a person with protected identity. */
  readonly phone: string | undefined;
  readonly language: string | undefined;
  /** The person lives in a home-care group's area (visits, keys and the safety alarm apply). */
  readonly homeCare: boolean;
  readonly alerts: AlertItem[];
  readonly resuscitation: ResuscitationDecision[];
  /** Other limits of treatment ("do not perform" orders besides resuscitation). */
  readonly treatmentLimits: ResuscitationDecision[];
  readonly palliative: PalliativeStatus & {
    /** As-needed injections among the active orders, for a palliative person (else empty). */
    readonly injections: MedicationLine[];
  };
  readonly medications: MedicationLine[];
  readonly risks: RiskSection;
  readonly care: CareSection;
  readonly notes: NoteItem[];
  readonly contacts: ContactItem[];
  readonly careContacts: CareContact[];
  readonly devices: DeviceItem[];
  readonly visits: VisitItem[];
  readonly observations: ObservationItem[];
  readonly diet: DietItem[];
  readonly diagnoses: DiagnosisItem[];
  /** Resources of this person no section shows, listed generically. */
  readonly other: GenericItem[];
  /** How many key and door records the copy holds (their content is not in this model). */
  readonly keyRecords: number;
  /** Resources of this person that could not be read for display (kept in the store as sent). */
  readonly unreadable: number;
}

/** The local calendar date at `now` in `timeZone` (YYYY-MM-DD). */
function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function buildResidentView(
  db: Db,
  patientId: string,
  options: { now: Date; timeZone?: string },
): ResidentView | undefined {
  const patient = getPatient(db, patientId);
  if (!patient) return undefined;
  const res = loadResidentResources(db, patientId);
  const today = localDate(options.now, options.timeZone ?? 'Europe/Stockholm');
  const goals = goalsOf(res);
  const medications = medicationLines(db, res);
  const identity = identityFacts(patient, res.patient);
  const palliative = palliativeStatus(res);
  const injections = medications.filter((m) => m.asNeeded !== null && isInjection(m));
  return {
    patient,
    ...identity,
    homeCare: unitFacts(db, patient.unitId)?.homeCare ?? false,
    alerts: alertItems(res),
    resuscitation: resuscitationDecisions(res, today),
    treatmentLimits: treatmentLimits(res, today),
    palliative: { ...palliative, injections: palliative.active ? injections : [] },
    medications,
    risks: riskSection(res, goals),
    care: careSection(res, goals),
    notes: recentNotes(res, options.now),
    contacts: relatedContacts(res),
    careContacts: careContacts(db, patient, res.patient),
    devices: deviceItems(res),
    visits: upcomingVisits(db, res, options.now),
    observations: latestObservations(res),
    diet: dietItems(res),
    diagnoses: diagnoses(res),
    other: genericItems(res.all),
    keyRecords: res.all.filter(isKeyResource).length,
    unreadable: res.unreadable,
  };
}
