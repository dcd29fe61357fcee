/**
 * Which section of the resident page a resource belongs to, whether it is in force (shown on the
 * page), and the short text that names it in a "changed since the previous copy" list. The rules
 * mirror the resident view (views/resident/*.ts): an allergy flag is shown through its
 * AllergyIntolerance, so it is not compared twice; a medication order counts while it is active.
 * One deliberate difference: the resuscitation flag (DNR) counts for the resuscitation section,
 * where a changed decision is looked for, together with its ServiceRequest and any other
 * "do not perform" order (limits of treatment).
 *
 * Some resources are never compared: doses given (MedicationAdministration) and notes
 * (DocumentReference) are new in every copy and the page shows them by date already; key and
 * door information (Basic, and anything labelled very restricted) is never summarised.
 */
import type { ExactJson } from '../core/exact-json.ts';
import { at, bool, code, conceptText, list, num, obj, quantity, refId, str } from './fhir-read.ts';

/** The page sections a change can be shown on, in page order. */
export const CHANGE_SECTIONS = [
  'identity',
  'alerts',
  'resuscitation',
  'medication',
  'diagnoses',
  'risks',
  'carePlans',
  'contacts',
  'devices',
  'visits',
  'observations',
  'other',
] as const;
export type ChangeSection = (typeof CHANGE_SECTIONS)[number];

/** What a resource is, for comparing it with its version in another copy. */
export interface Classified {
  readonly section: ChangeSection;
  /** Shown on the page as current (an active order, an active alert). */
  readonly inForce: boolean;
  /** A short text from the data that names it (a medicine, an alert's text). */
  readonly label: string;
  /** The text whose change matters most, when it is not the label (a dosage text). */
  readonly detail?: string;
  /** A date that tells like items apart (a visit's start, an observation's time). */
  readonly date?: string;
}

const NOT_COMPARED = new Set(['MedicationAdministration', 'DocumentReference', 'Basic']);

/** SNOMED CT 89666000 "cardiopulmonary resuscitation", the code the resident view reads. */
const CPR = '89666000';

/** Statuses (FHIR `status` or a clinicalStatus code) of things that are no longer in force. */
const ENDED = new Set([
  'entered-in-error',
  'inactive',
  'resolved',
  'remission',
  'refuted',
  'stopped',
  'cancelled',
  'completed',
  'revoked',
  'ended',
  'not-done',
  'fulfilled',
  'noshow',
]);

const SECTION_OF_TYPE: Readonly<Record<string, ChangeSection>> = {
  AllergyIntolerance: 'alerts',
  Flag: 'alerts',
  MedicationRequest: 'medication',
  Condition: 'diagnoses',
  RiskAssessment: 'risks',
  CarePlan: 'carePlans',
  Goal: 'carePlans',
  NutritionOrder: 'carePlans',
  ServiceRequest: 'carePlans',
  RelatedPerson: 'contacts',
  Consent: 'contacts',
  Device: 'devices',
  DeviceUseStatement: 'devices',
  Appointment: 'visits',
  Observation: 'observations',
};

/** Medicine names by Medication id, for orders that only reference their medicine. */
export type MedicationNames = ReadonlyMap<string, string>;

/** The Medication ids an order names without a display text (to be looked up in one query). */
export function medicationIdToLookUp(
  type: string,
  json: ExactJson | undefined,
): string | undefined {
  if (type !== 'MedicationRequest') return undefined;
  if (str(at(json, 'medicationReference', 'display'))) return undefined;
  if (conceptText(at(json, 'medicationCodeableConcept'))) return undefined;
  return refId(at(json, 'medicationReference'), 'Medication');
}

function medicationName(json: ExactJson, names: MedicationNames): string {
  const id = refId(at(json, 'medicationReference'), 'Medication');
  return (
    str(at(json, 'medicationReference', 'display')) ??
    conceptText(at(json, 'medicationCodeableConcept')) ??
    (id !== undefined ? (names.get(id) ?? id) : '')
  );
}

function isVeryRestricted(json: ExactJson): boolean {
  return list(at(json, 'meta', 'security')).some((c) => str(at(c, 'code')) === 'V');
}

function isResuscitation(type: string, json: ExactJson): boolean {
  if (type === 'ServiceRequest')
    return code(at(json, 'code')) === CPR || bool(at(json, 'doNotPerform')) === true;
  if (type === 'Flag') return code(at(json, 'code')) === 'DNR';
  return false;
}

function inForce(type: string, json: ExactJson): boolean {
  const status = str(at(json, 'status'));
  switch (type) {
    case 'MedicationRequest':
    case 'Flag':
    case 'ServiceRequest':
      return status === 'active';
    case 'AllergyIntolerance':
      return (
        !['inactive', 'resolved'].includes(code(at(json, 'clinicalStatus')) ?? '') &&
        code(at(json, 'verificationStatus')) !== 'refuted' &&
        !ENDED.has(status ?? '')
      );
    default:
      return (
        !ENDED.has(status ?? '') &&
        !ENDED.has(code(at(json, 'clinicalStatus')) ?? '') &&
        code(at(json, 'verificationStatus')) !== 'refuted'
      );
  }
}

function firstText(...values: (string | undefined)[]): string {
  return values.find((v) => v !== undefined && v !== '') ?? '';
}

function labelOf(type: string, json: ExactJson, names: MedicationNames): string {
  switch (type) {
    case 'MedicationRequest':
      return medicationName(json, names);
    case 'CarePlan':
      return firstText(str(at(json, 'title')), conceptText(list(at(json, 'category')).at(-1)));
    case 'Goal':
      return firstText(conceptText(at(json, 'description')));
    case 'NutritionOrder':
      return firstText(conceptText(at(json, 'oralDiet', 'type', 0)));
    case 'RelatedPerson': {
      const n = obj(list(at(json, 'name'))[0]);
      const given = list(n?.given)
        .map((g) => str(g) ?? '')
        .join(' ');
      return firstText(str(n?.text), `${given} ${str(n?.family) ?? ''}`.trim());
    }
    case 'Consent':
      return firstText(conceptText(list(at(json, 'category'))[0]), conceptText(at(json, 'scope')));
    case 'Device':
      return firstText(str(at(json, 'deviceName', 0, 'name')), conceptText(at(json, 'type')));
    case 'DeviceUseStatement':
      return firstText(str(at(json, 'device', 'display')), str(at(json, 'note', 0, 'text')));
    case 'Appointment':
      return firstText(str(at(json, 'description')), conceptText(list(at(json, 'serviceType'))[0]));
    case 'Observation': {
      const value =
        quantity(at(json, 'valueQuantity')) ??
        str(at(json, 'valueString')) ??
        conceptText(at(json, 'valueCodeableConcept')) ??
        num(at(json, 'valueInteger'));
      const name = conceptText(at(json, 'code')) ?? '';
      return value !== undefined ? `${name}: ${value}` : name;
    }
    default:
      return firstText(conceptText(at(json, 'code')));
  }
}

function dateOf(type: string, json: ExactJson): string | undefined {
  switch (type) {
    case 'Appointment':
      return str(at(json, 'start'));
    case 'Observation':
      return str(at(json, 'effectiveDateTime')) ?? str(at(json, 'effectivePeriod', 'start'));
    case 'ServiceRequest':
      return str(at(json, 'authoredOn'));
    default:
      return undefined;
  }
}

/** The dosage text exactly as ordered; several instructions sharing one text show it once. */
function dosageText(json: ExactJson): string {
  return [...new Set(list(at(json, 'dosageInstruction')).map((d) => str(at(d, 'text')) ?? ''))]
    .filter(Boolean)
    .join(' / ');
}

/**
 * Classify one of a resident's resources (not the Patient itself). Undefined: never compared.
 * `json` is undefined when the resource could not be parsed: it is compared by its text alone.
 */
export function classify(
  type: string,
  json: ExactJson | undefined,
  names: MedicationNames,
): Classified | undefined {
  if (type === 'Patient' || NOT_COMPARED.has(type)) return undefined;
  const section = SECTION_OF_TYPE[type] ?? 'other';
  if (json === undefined) return { section, inForce: true, label: '' };
  if (isVeryRestricted(json)) return undefined;
  // An allergy is shown (and compared) through its AllergyIntolerance, not its flag.
  if (type === 'Flag' && code(at(json, 'code')) === 'ALLERGY') return undefined;
  const label = labelOf(type, json, names);
  const date = dateOf(type, json);
  return {
    section: isResuscitation(type, json) ? 'resuscitation' : section,
    inForce: inForce(type, json),
    label,
    ...(type === 'MedicationRequest' ? { detail: dosageText(json) } : {}),
    ...(date !== undefined ? { date } : {}),
  };
}
