/**
 * Robust rendering: resources of this person that no section shows — a type the station does
 * not know, or one it has no section for — are listed generically with their type, a date and
 * status if they have one, and a readable text from plain-text elements (`code.text`, `title`,
 * `description`, `note`). Never from `text.div`: the station does not render the journal's
 * markup. A resource labelled very restricted shows only its type and id.
 */
import { at, conceptText, list, str, type Node } from '../fhir-read.ts';
import { isKeyResource } from './keys.ts';
import { noteTexts, veryRestricted, type LoadedResource } from './load.ts';

export interface GenericItem {
  readonly type: string;
  readonly id: string;
  readonly date: string | undefined;
  readonly status: string | undefined;
  /** A readable text, or undefined when the resource has none (the page shows "Type/id"). */
  readonly text: string | undefined;
  readonly restricted: boolean;
}

/** Types a section of the resident page reads (some only in part, by design). */
export const HANDLED_TYPES: ReadonlySet<string> = new Set([
  'AllergyIntolerance',
  'Appointment',
  'CarePlan',
  'Condition',
  'Device',
  'DeviceUseStatement',
  'DocumentReference',
  'Flag',
  'Goal',
  'MedicationAdministration',
  'MedicationRequest',
  'NutritionOrder',
  'Observation',
  'RelatedPerson',
  'RiskAssessment',
  'ServiceRequest',
]);

const DATE_FIELDS = [
  'effectiveDateTime',
  'occurrenceDateTime',
  'authoredOn',
  'recordedDate',
  'date',
  'dateTime',
  'start',
  'created',
  'issued',
  'onsetDateTime',
] as const;

const MAX_TEXT = 500;

function dateOf(json: Node): string | undefined {
  for (const key of DATE_FIELDS) {
    const v = str(at(json, key));
    if (v) return v;
  }
  return str(at(json, 'period', 'start'));
}

function textOf(json: Node): string | undefined {
  const text =
    conceptText(at(json, 'code')) ??
    str(at(json, 'title')) ??
    str(at(json, 'description')) ??
    conceptText(at(json, 'type')) ??
    conceptText(list(at(json, 'type'))[0]) ??
    noteTexts(at(json, 'note')) ??
    (typeof at(json, 'name') === 'string' ? str(at(json, 'name')) : undefined);
  if (text === undefined || text.trim() === '') return undefined;
  const chars = [...text];
  return chars.length > MAX_TEXT ? `${chars.slice(0, MAX_TEXT).join('')}…` : text;
}

export function isHandled(r: LoadedResource): boolean {
  return HANDLED_TYPES.has(r.type) || isKeyResource(r);
}

export function genericItems(all: readonly LoadedResource[]): GenericItem[] {
  return all
    .filter((r) => !isHandled(r))
    .map((r) => {
      const restricted = veryRestricted(r.json);
      return {
        type: r.type,
        id: r.id,
        date: dateOf(r.json),
        status: str(at(r.json, 'status')),
        text: restricted ? undefined : textOf(r.json),
        restricted,
      };
    })
    .sort((a, b) => a.type.localeCompare(b.type) || (b.date ?? '').localeCompare(a.date ?? ''));
}
