/**
 * The unit view model: what the unit page shows about one ward or home-care group. Its people
 * with room, name, identity number and critical flags; today's medication round; and for a
 * home-care group the visit route for today and tomorrow. Plain data, no HTML, built from a
 * handful of set-wise queries (unit-load.ts), never one query per person.
 *
 * `residents` is the list of people exactly as the route's audit needs it: one `view` entry is
 * written per listed person.
 */
import { formatTwelveDigit } from '../core/personnummer.ts';
import type { Db } from '../store/db.ts';
import { getUnit, listResidents, type PatientRow, type UnitRow } from '../store/queries.ts';
import { addDays, localDateTime } from './local-time.ts';
import { criticalFlags, type FlagMark } from './unit-flags.ts';
import {
  loadAppointments,
  loadByIds,
  loadClinical,
  loadPatients,
  ResourceReader,
  type UnitResource,
} from './unit-load.ts';
import { buildRound, unnamedMedicationIds, type MedicationRound } from './unit-round.ts';
import { buildRoute, staffIds, type RouteDay } from './unit-route.ts';

export type { FlagKind, FlagMark } from './unit-flags.ts';
export type { AsNeededOrder, MedicationRound, RoundDose, RoundSlot } from './unit-round.ts';
export type { RouteDay, Visit } from './unit-route.ts';

export interface UnitResident {
  readonly patient: PatientRow;
  /** The identity number for display: 12 digits with a hyphen, or as written when odd. */
  readonly identityDisplay: string;
  /** In the fixed order of FLAG_KINDS. */
  readonly flags: readonly FlagMark[];
}

export interface UnitView {
  readonly unit: UnitRow;
  readonly homeCare: boolean;
  /** The local calendar date the page is for (from the clock passed in). */
  readonly today: string;
  /** The people listed, in page order (room, then name): one audit entry each. */
  readonly residents: readonly PatientRow[];
  readonly people: readonly UnitResident[];
  readonly round: MedicationRound;
  /** Today's and tomorrow's visits; only for home-care groups. */
  readonly route: readonly RouteDay[] | undefined;
  /** Resources of the unit that could not be read for display (kept in the store as sent). */
  readonly unreadable: number;
}

export interface UnitViewOptions {
  readonly now: Date;
  /** IANA time zone of the station (config.timeZone). */
  readonly timeZone: string;
}

export const HOME_CARE_KIND = 'home-care-group';

export function identityDisplay(p: PatientRow): string {
  return p.identNorm && /^\d{12}$/.test(p.identNorm)
    ? formatTwelveDigit(p.identNorm)
    : (p.identValue ?? '');
}

function groupByPatient(resources: readonly UnitResource[]): Map<string, UnitResource[]> {
  const out = new Map<string, UnitResource[]>();
  for (const r of resources) {
    const list = out.get(r.patientId);
    if (list === undefined) out.set(r.patientId, [r]);
    else list.push(r);
  }
  return out;
}

/**
 * The unit's people with their critical flags, and the clinical resources the flags were read
 * from (the medication round reads the same ones).
 */
export function unitPeople(
  db: Db,
  unitId: string,
  residents: readonly PatientRow[],
  options: { readonly today: string; readonly timeZone: string },
  reader: ResourceReader,
): { people: UnitResident[]; clinical: UnitResource[] } {
  const clinical = loadClinical(db, unitId, reader);
  const perPatient = groupByPatient(clinical);
  const people = residents.map((patient) => ({
    patient,
    identityDisplay: identityDisplay(patient),
    flags: criticalFlags(
      patient,
      perPatient.get(patient.id) ?? [],
      options.today,
      options.timeZone,
    ),
  }));
  return { people, clinical };
}

/** People whose address is never read: marked in the patient table or by a Flag. */
export function protectedIds(people: readonly UnitResident[]): Set<string> {
  return new Set(
    people.filter((p) => p.flags.some((f) => f.kind === 'protected')).map((p) => p.patient.id),
  );
}

export interface RouteLoad {
  /** Local calendar dates, in order. */
  readonly days: readonly string[];
  readonly timeZone: string;
  readonly residents: readonly PatientRow[];
  readonly protectedIds: ReadonlySet<string>;
  /** Only visits starting inside it (see RouteInput.window). */
  readonly window?: { readonly from: Date; readonly to: Date };
}

/**
 * A group's visits on `days`: one read of the appointments, the addresses of the people without
 * protected identity, and the booked staff's names.
 */
export function loadRoute(
  db: Db,
  unitId: string,
  load: RouteLoad,
  reader: ResourceReader,
): RouteDay[] {
  const first = load.days[0];
  const last = load.days[load.days.length - 1];
  if (first === undefined || last === undefined) return [];
  // Widened by a day each side: the index column holds `start` with its own UTC offset.
  const appointments = loadAppointments(db, unitId, addDays(first, -1), addDays(last, 2), reader);
  return buildRoute({
    ...load,
    appointments,
    patients: loadPatients(db, unitId, load.protectedIds, reader),
    practitioners: loadByIds(db, 'Practitioner', staffIds(appointments), reader),
  });
}

export function buildUnitView(
  db: Db,
  unitId: string,
  options: UnitViewOptions,
): UnitView | undefined {
  const unit = getUnit(db, unitId);
  if (!unit) return undefined;
  const { timeZone } = options;
  const today = localDateTime(options.now, timeZone).date;
  const homeCare = unit.kind === HOME_CARE_KIND;
  const reader = new ResourceReader();

  const residents = listResidents(db, unit.id);
  const { people, clinical } = unitPeople(db, unit.id, residents, { today, timeZone }, reader);

  const requests = clinical.filter((r) => r.type === 'MedicationRequest');
  const round = buildRound({
    today,
    timeZone,
    residents,
    requests,
    medications: loadByIds(db, 'Medication', unnamedMedicationIds(requests), reader),
  });

  const route = homeCare
    ? loadRoute(
        db,
        unit.id,
        {
          days: [today, addDays(today, 1)],
          timeZone,
          residents,
          protectedIds: protectedIds(people),
        },
        reader,
      )
    : undefined;

  return {
    unit,
    homeCare,
    today,
    residents,
    people,
    round,
    route,
    unreadable: reader.unreadable,
  };
}
