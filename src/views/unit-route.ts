/**
 * The home-care route: a group's visits for today and tomorrow in time order (domain brief §3.6),
 * or for any window of time such as a shift (the printed route list),
 * read from Appointment resources, which the journal materialises for a rolling 48–72 hours.
 * Each visit names the person, the services (serviceType and the description as written),
 * the staff booked and whether two staff are needed.
 *
 * The address of a person with protected identity is never read, let alone shown: the caller
 * passes their ids and their Patient resources are not loaded at all.
 */
import type { ExactJson } from '../core/exact-json.ts';
import type { PatientRow } from '../store/queries.ts';
import { at, conceptText, list, obj, str, type Node } from './fhir-read.ts';
import { localOfInstant } from './local-time.ts';
import type { UnitResource } from './unit-load.ts';

export interface Visit {
  readonly id: string;
  readonly patient: PatientRow;
  /** Local HH:MM of the start and the end (when given). */
  readonly time: string;
  readonly endTime: string | undefined;
  readonly services: readonly string[];
  /** The visit's description exactly as written. */
  readonly description: string | undefined;
  readonly doubleStaffing: boolean;
  /** Names of the booked staff, as far as the copy knows them. */
  readonly staff: readonly string[];
  /** The person has protected identity: their address is never read nor shown. */
  readonly protectedIdentity: boolean;
  /** Undefined for protected identity, and when the copy holds no address. */
  readonly address: string | undefined;
}

export interface RouteDay {
  /** Local calendar date. */
  readonly date: string;
  readonly visits: Visit[];
}

/** Appointment statuses that mean nobody is going (http://hl7.org/fhir/appointmentstatus). */
const NOT_GOING = new Set(['cancelled', 'entered-in-error', 'noshow']);

const STAFF_TYPES = ['Practitioner', 'PractitionerRole'] as const;

function staffRef(participant: Node): { type: string; id: string } | undefined {
  const ref = str(at(participant, 'actor', 'reference'));
  const m =
    ref === undefined ? null : /(?:^|\/)(Practitioner|PractitionerRole)\/([^/]+)$/.exec(ref);
  return m ? { type: m[1]!, id: m[2]! } : undefined;
}

/** Practitioner ids of all booked staff, to load their names in one statement. */
export function staffIds(appointments: readonly UnitResource[]): string[] {
  return appointments.flatMap((a) =>
    list(at(a.json, 'participant'))
      .map(staffRef)
      .filter((s) => s?.type === STAFF_TYPES[0])
      .map((s) => s!.id),
  );
}

function personName(p: Node): string | undefined {
  const n = obj(list(at(p, 'name'))[0]);
  if (!n) return undefined;
  const given = list(n.given)
    .map((g) => str(g) ?? '')
    .join(' ');
  return (str(n.text) ?? `${given} ${str(n.family) ?? ''}`).normalize('NFC').trim() || undefined;
}

/** The address to visit: a home address if there is one, never an old or postal-only one. */
export function visitAddress(patient: ExactJson | undefined): string | undefined {
  const candidates = list(at(patient, 'address')).filter((a) => {
    const use = str(at(a, 'use'));
    return use !== 'old' && str(at(a, 'type')) !== 'postal';
  });
  const a = obj(candidates.find((c) => str(at(c, 'use')) === 'home') ?? candidates[0]);
  if (!a) return undefined;
  const line = list(a.line)
    .map((l) => str(l) ?? '')
    .filter(Boolean)
    .join(', ');
  const place = [str(a.postalCode), str(a.city)].filter(Boolean).join(' ');
  return [line, place].filter(Boolean).join(', ') || str(a.text);
}

export interface RouteInput {
  readonly days: readonly string[];
  readonly timeZone: string;
  readonly residents: readonly PatientRow[];
  readonly appointments: readonly UnitResource[];
  /** People whose address must never be shown. */
  readonly protectedIds: ReadonlySet<string>;
  /** Patient resources of the others, for their address. */
  readonly patients: ReadonlyMap<string, ExactJson>;
  readonly practitioners: ReadonlyMap<string, ExactJson>;
  /**
   * Only visits whose start instant is inside it (`to` exclusive): a shift or any other part of
   * the days. Without it, every visit on `days` by the local calendar.
   */
  readonly window?: { readonly from: Date; readonly to: Date };
}

function inWindow(start: string | undefined, w: { from: Date; to: Date }): boolean {
  const t = start === undefined ? NaN : Date.parse(start);
  return t >= w.from.getTime() && t < w.to.getTime();
}

export function buildRoute(input: RouteInput): RouteDay[] {
  const people = new Map(input.residents.map((p) => [p.id, p]));
  const days = new Map(input.days.map((d) => [d, [] as (Visit & { sort: string })[]]));
  for (const a of input.appointments) {
    const patient = people.get(a.patientId);
    const start = localOfInstant(str(at(a.json, 'start')), input.timeZone);
    const day = start === undefined ? undefined : days.get(start.date);
    if (patient === undefined || start === undefined || day === undefined) continue;
    if (NOT_GOING.has(str(at(a.json, 'status')) ?? '')) continue;
    if (input.window && !inWindow(str(at(a.json, 'start')), input.window)) continue;
    const participants = list(at(a.json, 'participant'));
    const staff = participants.flatMap((p) => {
      const ref = staffRef(p);
      if (ref === undefined) return [];
      const display = str(at(p, 'actor', 'display'));
      const known =
        ref.type === 'Practitioner' ? personName(input.practitioners.get(ref.id)) : undefined;
      return [display ?? known ?? ''];
    });
    const description = str(at(a.json, 'description'));
    const isProtected = patient.protected !== 0 || input.protectedIds.has(patient.id);
    day.push({
      sort: `${start.time}|${patient.nameDisplay}|${a.id}`,
      id: a.id,
      patient,
      time: start.time,
      endTime: localOfInstant(str(at(a.json, 'end')), input.timeZone)?.time,
      services: list(at(a.json, 'serviceType'))
        .map((s) => conceptText(s))
        .filter((s): s is string => s !== undefined),
      description,
      // Two staff booked, or the booking says so in words (some systems only write it).
      doubleStaffing: staff.length >= 2 || /dubbelbemann/i.test(description ?? ''),
      staff: staff.filter(Boolean),
      protectedIdentity: isProtected,
      address: isProtected ? undefined : visitAddress(input.patients.get(patient.id)),
    });
  }
  return [...days].map(([date, visits]) => ({
    date,
    visits: visits
      .sort((x, y) => x.sort.localeCompare(y.sort, 'sv'))
      .map(({ sort: _sort, ...v }) => v),
  }));
}
