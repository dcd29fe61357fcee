/**
 * Active medication orders as the list a nurse reads in an outage (domain brief §3, item 1): the
 * dosage text exactly as written next to the structured times and doses, PRN rules with the
 * maximum dose and minimum interval, dose-dispensed, who gives it, and the last documented
 * administration per order. Doses are never re-derived: every number is the source's text.
 */
import { parseExact, type ExactJson } from '../../core/exact-json.ts';
import type { Db } from '../../store/db.ts';
import { getResource } from '../../store/queries.ts';
import { at, bool, conceptText, extension, list, num, quantity, refId, str } from '../fhir-read.ts';
import type { ResidentResources } from './load.ts';

export interface LastAdministration {
  readonly at: string;
  readonly given: boolean;
  readonly dose: string | undefined;
  /** Why a dose was not given, as written (statusReason). */
  readonly reason?: string | undefined;
}

export interface MedicationLine {
  readonly id: string;
  /** Empty when neither the order nor the copy's Medication names the medicine. */
  readonly name: string;
  readonly dosageText: string;
  readonly times: string[];
  readonly days: string[];
  readonly doses: string[];
  readonly route: string | undefined;
  readonly asNeeded: {
    readonly reason: string | undefined;
    readonly maxPerPeriod: string | undefined;
    readonly minIntervalHours: string | undefined;
    /** The minimum interval with its unit when it is not in hours ("30 min"). */
    readonly minInterval?: { readonly value: string; readonly unit: string } | undefined;
  } | null;
  readonly doseDispensed: boolean | undefined;
  readonly performer: string | undefined;
  readonly lastAdministration: LastAdministration | null;
}

function medicationName(db: Db, request: ExactJson): string {
  const display = str(at(request, 'medicationReference', 'display'));
  if (display) return display;
  const inline = conceptText(at(request, 'medicationCodeableConcept'));
  if (inline) return inline;
  const id = refId(at(request, 'medicationReference'), 'Medication');
  const med = id ? getResource(db, 'Medication', id) : undefined;
  if (med) {
    try {
      return conceptText(at(parseExact(med.raw), 'code')) ?? id!;
    } catch {
      return id!;
    }
  }
  return '';
}

function medicationLine(
  db: Db,
  id: string,
  r: ExactJson,
  lastById: ReadonlyMap<string, LastAdministration>,
): MedicationLine {
  const dosages = list(at(r, 'dosageInstruction'));
  const first = dosages[0];
  const times = new Set<string>();
  const days = new Set<string>();
  const doses: string[] = [];
  for (const d of dosages) {
    for (const t of list(at(d, 'timing', 'repeat', 'timeOfDay')))
      times.add((str(t) ?? '').slice(0, 5));
    for (const w of list(at(d, 'timing', 'repeat', 'dayOfWeek'))) days.add(str(w) ?? '');
    for (const dr of list(at(d, 'doseAndRate'))) {
      const q = quantity(at(dr, 'doseQuantity'));
      const low = num(at(dr, 'doseRange', 'low', 'value'));
      const high = quantity(at(dr, 'doseRange', 'high'));
      const rate = quantity(at(dr, 'rateQuantity'));
      const dose = q ?? (low && high ? `${low}–${high}` : undefined);
      if (dose) doses.push(rate ? `${dose} (${rate})` : dose);
    }
  }
  const asNeeded =
    bool(at(first, 'asNeededBoolean')) === true ||
    at(first, 'asNeededCodeableConcept') !== undefined;
  const maxNum = quantity(at(first, 'maxDosePerPeriod', 'numerator'));
  const maxDen = quantity(at(first, 'maxDosePerPeriod', 'denominator'));
  const period = num(at(first, 'timing', 'repeat', 'period'));
  const periodUnit = str(at(first, 'timing', 'repeat', 'periodUnit'));
  return {
    id,
    name: medicationName(db, r),
    // The dosage text is shown exactly as ordered; all instructions share it in our source.
    dosageText: [...new Set(dosages.map((d) => str(at(d, 'text')) ?? ''))]
      .filter(Boolean)
      .join(' / '),
    times: [...times].filter(Boolean).sort(),
    days: [...days].filter(Boolean),
    doses,
    route: conceptText(at(first, 'route')),
    asNeeded: asNeeded
      ? {
          reason: conceptText(at(first, 'asNeededCodeableConcept')),
          maxPerPeriod: maxNum ? `${maxNum}${maxDen ? ` / ${maxDen}` : ''}` : undefined,
          minIntervalHours: periodUnit === 'h' ? period : undefined,
          minInterval:
            period !== undefined && periodUnit !== undefined && periodUnit !== 'h'
              ? { value: period, unit: periodUnit }
              : undefined,
        }
      : null,
    doseDispensed: bool(extension(r, '/dose-dispensed')?.valueBoolean),
    performer: conceptText(at(r, 'performerType')),
    lastAdministration: lastById.get(id) ?? null,
  };
}

/** The newest documented administration per order (the station writes none of its own). */
function lastAdministrations(res: ResidentResources): Map<string, LastAdministration> {
  const lastById = new Map<string, LastAdministration>();
  for (const a of res.byType('MedicationAdministration')) {
    if (str(at(a.json, 'status')) === 'entered-in-error') continue;
    const requestId = refId(at(a.json, 'request'), 'MedicationRequest');
    const when =
      str(at(a.json, 'effectiveDateTime')) ?? str(at(a.json, 'effectivePeriod', 'start'));
    if (!requestId || !when || Number.isNaN(Date.parse(when))) continue;
    const prev = lastById.get(requestId);
    if (!prev || Date.parse(when) > Date.parse(prev.at)) {
      lastById.set(requestId, {
        at: when,
        given: str(at(a.json, 'status')) === 'completed',
        dose: quantity(at(a.json, 'dosage', 'dose')),
        reason:
          list(at(a.json, 'statusReason'))
            .map((c) => conceptText(c))
            .filter(Boolean)
            .join(', ') || undefined,
      });
    }
  }
  return lastById;
}

export function medicationLines(db: Db, res: ResidentResources): MedicationLine[] {
  const lastById = lastAdministrations(res);
  return res
    .byType('MedicationRequest')
    .filter((r) => str(at(r.json, 'status')) === 'active')
    .map((r) => medicationLine(db, r.id, r.json, lastById))
    .sort(
      (a, b) =>
        Number(a.asNeeded !== null) - Number(b.asNeeded !== null) ||
        a.name.localeCompare(b.name, 'sv'),
    );
}

/** Routes that mean an injection: palliative status lists such PRN orders by name. */
const INJECTION_ROUTE =
  /subkutan|subcutan|intramuskul|intravenös|intravenous|injektion|injection|^(s\.?c|i\.?m|i\.?v)\.?$/i;
/** The same said in the dosage text, in words only (abbreviations there are too ambiguous). */
const INJECTION_TEXT = /subkutant|intramuskulärt|intravenöst|subcutaneous|intramuscular|injektion/i;

export function isInjection(line: MedicationLine): boolean {
  return INJECTION_ROUTE.test(line.route?.trim() ?? '') || INJECTION_TEXT.test(line.dosageText);
}
