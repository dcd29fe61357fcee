/**
 * Medication orders and the last administrations before the export for one synthetic person.
 * The structured dosage (times, doses, PRN rules) always agrees with the verbatim text.
 */
import { EXTENSIONS, SYSTEMS } from '../core/fhir-systems.ts';
import {
  INSULIN_TEMPLATES,
  MEDICATIONS,
  ORDER_TEMPLATES,
  PALLIATIVE_TEMPLATES,
  PATCH_TEMPLATE,
  WARFARIN_TEMPLATE,
  WARFARIN_WEEKEND,
  type OrderTemplate,
} from './catalog/medications.ts';
import type { Emit, FhirResource } from './municipality.ts';
import type { Rng } from './random.ts';
import { addDays, localInstant, stockholmDate, weekday } from './time.ts';

/** A placeholder the NDJSON writer turns into a bare JSON number with exactly these digits. */
export function exactDecimal(digits: string): string {
  return `@@decimal:${digits}@@`;
}

export interface MedicationContext {
  readonly rng: Rng;
  readonly patientId: string;
  readonly asOf: Date;
  readonly physician: { id: string; name: string };
  readonly nurseId: string;
  readonly staffIds: readonly string[];
  readonly diabetic: boolean;
  readonly anticoagulated: boolean;
  readonly palliative: boolean;
  readonly exactPatch: boolean;
  readonly danglingRequester: boolean;
  readonly none: boolean;
}

function medicationRef(key: string) {
  const item = MEDICATIONS.find((m) => m.key === key)!;
  return { reference: `Medication/lm-${key}`, display: item.name };
}

function dosage(t: OrderTemplate, exactPatch: boolean) {
  const route = { text: t.route };
  if (t.prn) {
    const unitQ = (value: number) => ({ value, unit: t.prn!.dose.unit });
    return [
      {
        sequence: 1,
        text: t.text,
        timing: { repeat: { frequency: 1, period: t.prn.minIntervalHours, periodUnit: 'h' } },
        asNeededCodeableConcept: { text: t.prn.reason },
        route,
        doseAndRate: [
          t.prn.dose.low === t.prn.dose.high
            ? { doseQuantity: unitQ(t.prn.dose.low) }
            : { doseRange: { low: unitQ(t.prn.dose.low), high: unitQ(t.prn.dose.high) } },
        ],
        maxDosePerPeriod: {
          // Rounded: 6 × 0.1 ml must be written 0.6, not 0.6000000000000001.
          numerator: unitQ(Math.round(t.prn.maxPerDay * t.prn.dose.high * 1000) / 1000),
          denominator: { value: 1, unit: 'dygn', system: SYSTEMS.ucum, code: 'd' },
        },
      },
    ];
  }
  return (t.doses ?? []).map((d, k) => ({
    sequence: k + 1,
    text: t.text,
    timing: {
      repeat: {
        ...(t.days ? { dayOfWeek: t.days } : {}),
        timeOfDay: [`${d.time}:00`],
        ...(t.kind === 'patch' ? { frequency: 1, period: 1, periodUnit: 'wk' } : {}),
      },
    },
    asNeededBoolean: false,
    route,
    doseAndRate: [
      {
        doseQuantity: {
          value: d.value,
          unit: d.unit,
          ...(d.ucum ? { system: SYSTEMS.ucum, code: d.ucum } : {}),
        },
        ...(t.kind === 'patch'
          ? {
              rateQuantity: {
                // 10 micrograms per hour, written as the source system writes it.
                value: exactPatch ? exactDecimal('0.010') : 0.01,
                unit: 'mg/h',
                system: SYSTEMS.ucum,
                code: 'mg/h',
              },
            }
          : {}),
      },
    ],
  }));
}

function chooseTemplates(ctx: MedicationContext): OrderTemplate[] {
  if (ctx.none) return [];
  const { rng } = ctx;
  const regular = ORDER_TEMPLATES.filter((t) => !t.prn);
  const prn = ORDER_TEMPLATES.filter((t) => t.prn);
  const chosen = [...rng.sample(regular, rng.int(2, 6)), ...rng.sample(prn, rng.int(0, 2))];
  if (ctx.diabetic) chosen.push(...rng.sample(INSULIN_TEMPLATES, rng.int(1, 2)));
  if (ctx.anticoagulated) chosen.push(WARFARIN_TEMPLATE, WARFARIN_WEEKEND);
  if (ctx.exactPatch || rng.chance(0.06)) chosen.push(PATCH_TEMPLATE);
  if (ctx.palliative) chosen.push(...PALLIATIVE_TEMPLATES);
  return chosen;
}

/** The latest scheduled dose instants strictly before the export, newest first. */
function lastDoseTimes(t: OrderTemplate, asOf: Date, count: number): string[] {
  const out: string[] = [];
  const today = stockholmDate(asOf);
  for (let back = 0; back < 14 && out.length < count; back++) {
    const date = addDays(today, -back);
    if (t.days && !t.days.includes(weekday(date))) continue;
    const times = [...(t.doses ?? [])]
      .map((d) => d.time)
      .sort()
      .reverse();
    for (const time of times) {
      const instant = localInstant(date, time);
      if (new Date(instant) < asOf && out.length < count) out.push(instant);
    }
  }
  return out;
}

export function emitMedication(ctx: MedicationContext, emit: Emit): number {
  const { rng, patientId, asOf } = ctx;
  const templates = chooseTemplates(ctx);
  const authored = (daysBack: number) => addDays(stockholmDate(asOf), -daysBack);
  let orders = 0;
  templates.forEach((t, k) => {
    const id = rng.uuid();
    const requester =
      ctx.danglingRequester && k === 0
        ? {
            reference: 'Practitioner/lakare-slutat-2019',
            display: 'Läkare som inte finns i exporten',
          }
        : { reference: `Practitioner/${ctx.physician.id}`, display: ctx.physician.name };
    const request: FhirResource = {
      resourceType: 'MedicationRequest',
      id,
      ...(t.doseDispensable
        ? { extension: [{ url: EXTENSIONS.doseDispensed, valueBoolean: rng.chance(0.6) }] }
        : {}),
      status: 'active',
      intent: 'order',
      category: [{ text: t.prn ? 'Vid behov' : 'Stående' }],
      medicationReference: medicationRef(t.medication),
      subject: { reference: `Patient/${patientId}` },
      authoredOn: authored(rng.int(3, 400)),
      requester,
      performerType: {
        text: t.performer === 'nurse' ? 'Sjuksköterska' : 'Omvårdnadspersonal med delegering',
      },
      dosageInstruction: dosage(t, ctx.exactPatch),
    };
    emit(request);
    orders++;
    const doseCount = t.prn ? (rng.chance(0.3) ? 1 : 0) : 2;
    const times = t.prn
      ? doseCount > 0
        ? [new Date(asOf.getTime() - rng.int(1, 20) * 3600_000).toISOString()]
        : []
      : lastDoseTimes(t, asOf, doseCount);
    for (const when of times) {
      const refused = rng.chance(0.02);
      const staff = t.performer === 'nurse' ? ctx.nurseId : rng.pick(ctx.staffIds);
      const firstDose = t.prn ? { value: t.prn.dose.low, unit: t.prn.dose.unit } : t.doses?.[0];
      emit({
        resourceType: 'MedicationAdministration',
        id: rng.uuid(),
        status: refused ? 'not-done' : 'completed',
        ...(refused ? { statusReason: [{ text: 'Vägrade ta läkemedlet' }] } : {}),
        medicationReference: medicationRef(t.medication),
        subject: { reference: `Patient/${patientId}` },
        effectiveDateTime: when,
        performer: [{ actor: { reference: `Practitioner/${staff}` } }],
        request: { reference: `MedicationRequest/${id}` },
        ...(firstDose
          ? { dosage: { dose: { value: firstDose.value, unit: firstDose.unit } } }
          : {}),
      });
    }
  });
  // An order stopped in the last weeks: the history the station shows as a change.
  if (!ctx.none && rng.chance(0.15)) {
    const t = rng.pick(ORDER_TEMPLATES.filter((o) => !o.prn));
    emit({
      resourceType: 'MedicationRequest',
      id: rng.uuid(),
      status: 'stopped',
      intent: 'order',
      medicationReference: medicationRef(t.medication),
      subject: { reference: `Patient/${patientId}` },
      authoredOn: authored(rng.int(60, 300)),
      requester: { reference: `Practitioner/${ctx.physician.id}`, display: ctx.physician.name },
      dosageInstruction: dosage(t, false),
      note: [{ text: `Utsatt ${authored(rng.int(1, 20))} efter läkemedelsgenomgång.` }],
    });
    orders++;
  }
  return orders;
}

/** The medicine catalogue as Medication resources (written once per data set). */
export function emitMedicationCatalogue(emit: Emit): void {
  for (const m of MEDICATIONS) {
    emit({
      resourceType: 'Medication',
      id: `lm-${m.key}`,
      code: { coding: [{ system: SYSTEMS.atc, code: m.atc }], text: m.name },
      form: { text: m.form },
    });
  }
}
