/**
 * The person's home-care visits (Appointment, materialised by the journal for a rolling window):
 * those not yet over at the station's clock, in time order, with the services, the time and
 * whether two staff are needed (double staffing).
 */
import type { Db } from '../../store/db.ts';
import { at, conceptText, list, num, str } from '../fhir-read.ts';
import { referenceName, type ResidentResources } from './load.ts';

export interface VisitItem {
  readonly id: string;
  readonly start: string;
  readonly end: string | undefined;
  readonly minutes: string | undefined;
  /** The services of the visit (Appointment.serviceType), as written. */
  readonly services: string[];
  readonly description: string | undefined;
  readonly staff: string[];
  /** Number of staff booked (practitioner participants). */
  readonly staffCount: number;
  readonly doubleStaffing: boolean;
  readonly status: string | undefined;
}

const GONE = new Set(['cancelled', 'noshow', 'entered-in-error', 'fulfilled']);
const STAFF = /^(Practitioner|PractitionerRole|CareTeam)\//;
const DOUBLE = /dubbelbemanning|dubbelbemannat|två personal|2 personal|double staff|two staff/i;

export function upcomingVisits(db: Db, res: ResidentResources, now: Date): VisitItem[] {
  const names = new Map<string, string | undefined>();
  return res
    .byType('Appointment')
    .filter((r) => !GONE.has(str(at(r.json, 'status')) ?? ''))
    .flatMap((r): VisitItem[] => {
      const start = str(at(r.json, 'start'));
      if (start === undefined || Number.isNaN(Date.parse(start))) return [];
      const end = str(at(r.json, 'end'));
      const endMs = end !== undefined ? Date.parse(end) : Date.parse(start);
      if ((Number.isNaN(endMs) ? Date.parse(start) : endMs) < now.getTime()) return [];
      const staffRefs = list(at(r.json, 'participant'))
        .filter((p) => str(at(p, 'status')) !== 'declined')
        .map((p) => at(p, 'actor'))
        .filter(
          (a) =>
            STAFF.test(str(at(a, 'reference')) ?? '') ||
            (str(at(a, 'display')) !== undefined && str(at(a, 'reference')) === undefined),
        );
      const description = str(at(r.json, 'description'));
      const services = list(at(r.json, 'serviceType'))
        .map((c) => conceptText(c))
        .filter((t): t is string => t !== undefined && t !== '');
      return [
        {
          id: r.id,
          start,
          end,
          minutes: num(at(r.json, 'minutesDuration')),
          services,
          description,
          staff: staffRefs
            .map((a) => referenceName(db, a, names))
            .filter((n): n is string => n !== undefined),
          staffCount: staffRefs.length,
          doubleStaffing:
            staffRefs.length >= 2 || DOUBLE.test(`${description ?? ''} ${services.join(' ')}`),
          status: str(at(r.json, 'status')),
        },
      ];
    })
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}
