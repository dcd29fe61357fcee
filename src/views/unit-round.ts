/**
 * Today's medication round for a unit: every scheduled dose of every active order of the unit's
 * people, grouped by time of day in time order, with as-needed (PRN) orders listed apart.
 *
 * "Today" is the calendar date of the clock passed in, in the station's time zone. Doses are
 * read from the structured timing (`timeOfDay`, `when`, `event`, `dayOfWeek`, `boundsPeriod`),
 * and each line carries the dosage text exactly as ordered: the structured dose is shown next to
 * it, never instead of it, and nothing is computed from it (domain brief §3.1). A regular order
 * whose timing does not say whether it falls today (no times, or a period longer than a day
 * without weekdays) is not guessed at: it goes to `unscheduled`, to be read from its text.
 *
 * The round lists what the copy says is ordered. Administrations are not matched to doses here:
 * the resident page shows the last one per order.
 */
import type { ExactJson } from '../core/exact-json.ts';
import type { PatientRow } from '../store/queries.ts';
import {
  at,
  bool,
  conceptText,
  extension,
  list,
  num,
  quantity,
  refId,
  str,
  type Node,
} from './fhir-read.ts';
import { localDateOf, localOfInstant, weekdayOf } from './local-time.ts';
import type { UnitResource } from './unit-load.ts';

/**
 * FHIR EventTiming codes (http://hl7.org/fhir/event-timing, with the v3 TimingEvent codes R4
 * includes) and where each sorts among clock times, in minutes after midnight. The position is
 * only for ordering; the page shows the code's name, never an invented clock time.
 */
export const EVENT_TIMING_ORDER: Readonly<Record<string, number>> = {
  WAKE: 6 * 60,
  'MORN.early': 6 * 60 + 30,
  ACM: 7 * 60 + 30,
  MORN: 8 * 60,
  CM: 8 * 60,
  PCM: 8 * 60 + 30,
  'MORN.late': 10 * 60,
  ACD: 11 * 60 + 30,
  NOON: 12 * 60,
  CD: 12 * 60,
  PCD: 12 * 60 + 30,
  'AFT.early': 13 * 60,
  AFT: 14 * 60,
  'AFT.late': 16 * 60,
  ACV: 16 * 60 + 30,
  'EVE.early': 17 * 60,
  CV: 17 * 60,
  EVE: 18 * 60,
  PCV: 17 * 60 + 30,
  'EVE.late': 20 * 60,
  PHS: 21 * 60,
  HS: 21 * 60 + 30,
  NIGHT: 22 * 60,
  // Before, with or after any meal: placed with breakfast.
  AC: 7 * 60 + 30,
  C: 8 * 60,
  PC: 8 * 60 + 30,
};

export interface RoundOrder {
  readonly patient: PatientRow;
  readonly requestId: string;
  /** The medicine's name; undefined when the order names none. */
  readonly medication: string | undefined;
  /** The dosage text exactly as ordered (all instructions of the order). */
  readonly dosageText: string;
  readonly route: string | undefined;
  readonly doseDispensed: boolean | undefined;
  /** Who gives it (nurse, or delegated care staff). */
  readonly performer: string | undefined;
}

export interface RoundDose extends RoundOrder {
  /** The structured dose for this time, digits as written (`0.25 ml`). */
  readonly dose: string | undefined;
}

export interface RoundSlot {
  /** `HH:MM` for a clock time; otherwise an EventTiming code (`MORN`). */
  readonly time: string;
  readonly kind: 'clock' | 'event';
  readonly doses: RoundDose[];
}

export interface AsNeededOrder extends RoundOrder {
  readonly dose: string | undefined;
  readonly reason: string | undefined;
  /** `6 ml / 1 dygn`, as written. */
  readonly maxPerPeriod: string | undefined;
  /** Minimum hours between doses, digits as written. */
  readonly minIntervalHours: string | undefined;
}

export interface MedicationRound {
  /** The local calendar date of the round. */
  readonly date: string;
  readonly slots: RoundSlot[];
  /** Regular orders whose timing does not place them on today's clock: read the text. */
  readonly unscheduled: RoundDose[];
  readonly asNeeded: AsNeededOrder[];
}

function doseOf(instruction: Node): string | undefined {
  const doses = list(at(instruction, 'doseAndRate')).flatMap((dr) => {
    const rate = quantity(at(dr, 'rateQuantity'));
    const single = quantity(at(dr, 'doseQuantity'));
    const low = num(at(dr, 'doseRange', 'low', 'value'));
    const high = quantity(at(dr, 'doseRange', 'high'));
    const dose = single ?? (low !== undefined && high !== undefined ? `${low}–${high}` : undefined);
    if (dose === undefined) return rate === undefined ? [] : [rate];
    return [rate === undefined ? dose : `${dose} (${rate})`];
  });
  return doses.length > 0 ? [...new Set(doses)].join('; ') : undefined;
}

function isAsNeeded(instruction: Node): boolean {
  return (
    bool(at(instruction, 'asNeededBoolean')) === true ||
    at(instruction, 'asNeededCodeableConcept') !== undefined
  );
}

/** Periods longer than a day cannot say on their own whether a dose falls today. */
const HOURS_PER_UNIT: Readonly<Record<string, number>> = {
  s: 1 / 3600,
  min: 1 / 60,
  h: 1,
  d: 24,
  wk: 24 * 7,
  mo: 24 * 30,
  a: 24 * 365,
};

type Placement =
  | { readonly on: 'times'; readonly times: { time: string; kind: 'clock' | 'event' }[] }
  | { readonly on: 'not-today' }
  | { readonly on: 'unscheduled' };

/** Where one regular dosage instruction puts its doses on `today`. */
function placeInstruction(instruction: Node, today: string, timeZone: string): Placement {
  const repeat = at(instruction, 'timing', 'repeat');
  const bounds = at(repeat, 'boundsPeriod');
  const start = localDateOf(str(at(bounds, 'start')), timeZone);
  const end = localDateOf(str(at(bounds, 'end')), timeZone);
  if (start !== undefined && start > today) return { on: 'not-today' };
  if (end !== undefined && end < today.slice(0, end.length)) return { on: 'not-today' };

  // Explicit instants: only those on today's date count.
  const events = list(at(instruction, 'timing', 'event'));
  if (events.length > 0) {
    const todays = events
      .map((e) => localOfInstant(str(e), timeZone))
      .filter((e) => e !== undefined && e.date === today)
      .map((e) => ({ time: e!.time, kind: 'clock' as const }));
    return todays.length > 0 ? { on: 'times', times: todays } : { on: 'not-today' };
  }

  const days = list(at(repeat, 'dayOfWeek')).map((d) => str(d));
  if (days.length > 0 && !days.includes(weekdayOf(today))) return { on: 'not-today' };
  if (days.length === 0) {
    const period = Number(num(at(repeat, 'period')) ?? '1');
    const unit = str(at(repeat, 'periodUnit')) ?? 'd';
    const hours = period * (HOURS_PER_UNIT[unit] ?? 24);
    if (hours > 24) return { on: 'unscheduled' };
  }

  const times = [
    ...list(at(repeat, 'timeOfDay')).flatMap((t) => {
      const m = /^(\d{2}):(\d{2})/.exec(str(t) ?? '');
      return m ? [{ time: `${m[1]}:${m[2]}`, kind: 'clock' as const }] : [];
    }),
    ...list(at(repeat, 'when')).flatMap((w) => {
      const c = str(w);
      return c !== undefined && c in EVENT_TIMING_ORDER
        ? [{ time: c, kind: 'event' as const }]
        : [];
    }),
  ];
  return times.length > 0 ? { on: 'times', times } : { on: 'unscheduled' };
}

function sortMinutes(slot: { time: string; kind: 'clock' | 'event' }): number {
  if (slot.kind === 'event') return EVENT_TIMING_ORDER[slot.time] ?? 24 * 60;
  const [h, m] = slot.time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

export interface RoundInput {
  readonly today: string;
  readonly timeZone: string;
  /** The unit's people in page order; the round lists people in this order within a time. */
  readonly residents: readonly PatientRow[];
  /** Active MedicationRequests of those people. */
  readonly requests: readonly UnitResource[];
  /** Medication resources by id, for orders that name their medicine only by reference. */
  readonly medications: ReadonlyMap<string, ExactJson>;
}

/** The Medication ids that orders reference without giving a name: load these first. */
export function unnamedMedicationIds(requests: readonly UnitResource[]): string[] {
  return requests.flatMap((r) => {
    if (str(at(r.json, 'medicationReference', 'display'))) return [];
    if (conceptText(at(r.json, 'medicationCodeableConcept'))) return [];
    const id = refId(at(r.json, 'medicationReference'), 'Medication');
    return id === undefined ? [] : [id];
  });
}

export function buildRound(input: RoundInput): MedicationRound {
  const { today, timeZone } = input;
  const byPatient = new Map(input.residents.map((p, k) => [p.id, { p, k }]));
  const slots = new Map<string, { time: string; kind: 'clock' | 'event'; doses: RoundDose[] }>();
  const unscheduled: RoundDose[] = [];
  const asNeeded: AsNeededOrder[] = [];

  for (const r of input.requests) {
    const who = byPatient.get(r.patientId);
    if (who === undefined || str(at(r.json, 'status')) !== 'active') continue;
    const instructions = list(at(r.json, 'dosageInstruction'));
    const medId = refId(at(r.json, 'medicationReference'), 'Medication');
    const med = medId === undefined ? undefined : input.medications.get(medId);
    const order: RoundOrder = {
      patient: who.p,
      requestId: r.id,
      medication:
        str(at(r.json, 'medicationReference', 'display')) ??
        conceptText(at(r.json, 'medicationCodeableConcept')) ??
        conceptText(at(med, 'code')),
      dosageText: [...new Set(instructions.map((d) => str(at(d, 'text')) ?? ''))]
        .filter(Boolean)
        .join(' / '),
      route: conceptText(at(instructions[0], 'route')),
      doseDispensed: bool(extension(r.json, '/dose-dispensed')?.valueBoolean),
      performer: conceptText(at(r.json, 'performerType')),
    };
    // An order with no instructions at all is still an order: it must not vanish from the round.
    if (instructions.length === 0) unscheduled.push({ ...order, dose: undefined });
    let prnListed = false;
    let unscheduledListed = false;
    for (const d of instructions) {
      const dose = doseOf(d);
      if (isAsNeeded(d)) {
        if (prnListed) continue;
        prnListed = true;
        const repeat = at(d, 'timing', 'repeat');
        const maxNum = quantity(at(d, 'maxDosePerPeriod', 'numerator'));
        const maxDen = quantity(at(d, 'maxDosePerPeriod', 'denominator'));
        asNeeded.push({
          ...order,
          dose,
          reason: conceptText(at(d, 'asNeededCodeableConcept')),
          maxPerPeriod: maxNum ? `${maxNum}${maxDen ? ` / ${maxDen}` : ''}` : undefined,
          minIntervalHours:
            str(at(repeat, 'periodUnit')) === 'h' ? num(at(repeat, 'period')) : undefined,
        });
        continue;
      }
      const place = placeInstruction(d, today, timeZone);
      if (place.on === 'not-today') continue;
      if (place.on === 'unscheduled') {
        // Listed once per order: its text says the rest.
        if (!unscheduledListed) unscheduled.push({ ...order, dose });
        unscheduledListed = true;
        continue;
      }
      for (const t of place.times) {
        const key = `${t.kind}:${t.time}`;
        let slot = slots.get(key);
        if (slot === undefined) slots.set(key, (slot = { ...t, doses: [] }));
        slot.doses.push({ ...order, dose });
      }
    }
  }

  const personOrder = (d: RoundOrder) => byPatient.get(d.patient.id)?.k ?? 0;
  const byPerson = (a: RoundOrder, b: RoundOrder) =>
    personOrder(a) - personOrder(b) ||
    (a.medication ?? '').localeCompare(b.medication ?? '', 'sv') ||
    a.requestId.localeCompare(b.requestId);
  return {
    date: today,
    slots: [...slots.values()]
      .sort(
        (a, b) =>
          sortMinutes(a) - sortMinutes(b) ||
          Number(a.kind === 'event') - Number(b.kind === 'event') ||
          a.time.localeCompare(b.time),
      )
      .map((s) => ({ ...s, doses: s.doses.sort(byPerson) })),
    unscheduled: unscheduled.sort(byPerson),
    asNeeded: asNeeded.sort(byPerson),
  };
}
