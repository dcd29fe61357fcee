/**
 * Latest measurements (Observation): weight, glucose and INR first, then any other measured
 * value, the newest per kind with the one before it. Values are shown exactly as the source
 * writes them (0.010 stays 0.010), with their unit and date.
 */
import type { ExactJson } from '../../core/exact-json.ts';
import { at, bool, code, conceptText, list, num, quantity, str, type Node } from '../fhir-read.ts';
import { isVoid, type ResidentResources } from './load.ts';

export type MeasurementKind = 'weight' | 'glucose' | 'inr' | 'other';

export interface Measurement {
  readonly value: string;
  readonly date: string | undefined;
  readonly status: string | undefined;
}

export interface ObservationItem {
  readonly kind: MeasurementKind;
  /** What was measured, as written (Observation.code). */
  readonly label: string;
  readonly latest: Measurement;
  readonly previous: Measurement | undefined;
}

/** LOINC codes (https://loinc.org) of the measurements the night shift asks for first. */
const KINDS: Record<string, MeasurementKind> = {
  '29463-7': 'weight', // Body weight
  '3141-9': 'weight', // Body weight Measured
  '15074-8': 'glucose', // Glucose [Moles/volume] in Blood
  '14743-9': 'glucose', // Glucose [Moles/volume] in Capillary blood by Glucometer
  '2339-0': 'glucose', // Glucose [Mass/volume] in Blood
  '14749-6': 'glucose', // Glucose [Moles/volume] in Serum or Plasma
  '6301-6': 'inr', // INR in Platelet poor plasma by Coagulation assay
  '34714-6': 'inr', // INR in Blood by Coagulation assay
};
const ORDER: readonly MeasurementKind[] = ['weight', 'glucose', 'inr', 'other'];

/** A value exactly as written: a Quantity's digits and unit, a string, a code's text. */
export function valueText(o: Node): string | undefined {
  const q = quantity(at(o, 'valueQuantity'));
  if (q !== undefined) {
    const comparator = str(at(o, 'valueQuantity', 'comparator'));
    return comparator ? `${comparator} ${q}` : q;
  }
  const plain =
    str(at(o, 'valueString')) ??
    conceptText(at(o, 'valueCodeableConcept')) ??
    num(at(o, 'valueInteger')) ??
    (bool(at(o, 'valueBoolean')) === undefined ? undefined : String(bool(at(o, 'valueBoolean')))) ??
    str(at(o, 'valueDateTime')) ??
    str(at(o, 'valueTime'));
  if (plain !== undefined) return plain;
  const components = list(at(o, 'component'))
    .map((c) => quantity(at(c, 'valueQuantity')) ?? str(at(c, 'valueString')))
    .filter((v): v is string => v !== undefined);
  if (components.length > 0) return components.join(' / ');
  return conceptText(at(o, 'dataAbsentReason'));
}

function kindOf(o: ExactJson): MeasurementKind {
  for (const c of list(at(o, 'code', 'coding'))) {
    const kind = (str(at(c, 'system')) ?? '').includes('loinc')
      ? KINDS[str(at(c, 'code')) ?? '']
      : undefined;
    if (kind) return kind;
  }
  return 'other';
}

export function latestObservations(res: ResidentResources): ObservationItem[] {
  const byKey = new Map<string, { kind: MeasurementKind; label: string; all: Measurement[] }>();
  for (const r of res.byType('Observation')) {
    if (isVoid(r.json)) continue;
    const value = valueText(r.json);
    if (value === undefined) continue;
    const label = conceptText(at(r.json, 'code')) ?? code(at(r.json, 'code')) ?? '';
    const kind = kindOf(r.json);
    const key = kind === 'other' ? `other:${code(at(r.json, 'code')) ?? label}` : kind;
    const date =
      str(at(r.json, 'effectiveDateTime')) ??
      str(at(r.json, 'effectivePeriod', 'start')) ??
      str(at(r.json, 'effectiveInstant')) ??
      str(at(r.json, 'issued'));
    const entry = byKey.get(key) ?? { kind, label, all: [] };
    entry.all.push({ value, date, status: str(at(r.json, 'status')) });
    byKey.set(key, entry);
  }
  const time = (m: Measurement) => (m.date ? Date.parse(m.date) || 0 : 0);
  return [...byKey.values()]
    .map((e) => {
      const sorted = e.all.sort((a, b) => time(b) - time(a));
      return { kind: e.kind, label: e.label, latest: sorted[0]!, previous: sorted[1] };
    })
    .sort(
      (a, b) =>
        ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.label.localeCompare(b.label, 'sv'),
    );
}
