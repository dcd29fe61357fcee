/**
 * The critical flags shown as icons next to each person on the unit page (domain brief §3,
 * items 3–5): resuscitation decision, allergy, infection, choking risk, palliative care,
 * protected identity, and threat of violence. A flag is read from every place the journal may
 * hold it (a Flag, and the structured resource behind it), so either one alone raises the icon.
 *
 * A resuscitation decision is shown only with its date (domain brief §3.4). A do-not-resuscitate
 * record without any date becomes its own mark, "decision without date: check", never the plain
 * "Ej HLR" icon.
 */
import type { PatientRow } from '../store/queries.ts';
import { at, bool, code, conceptText, list, str } from './fhir-read.ts';
import { localDateOf } from './local-time.ts';
import type { UnitResource } from './unit-load.ts';

export const FLAG_KINDS = [
  'dnr',
  'dnrUndated',
  'allergy',
  'infection',
  'choking',
  'palliative',
  'threat',
  'protected',
] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

export interface FlagMark {
  readonly kind: FlagKind;
  /** Short source texts that say which (allergens, organisms); empty when the kind says it all. */
  readonly details: readonly string[];
  /** For `dnr`: the date of the (latest) decision. */
  readonly decidedOn?: string;
}

/** The resuscitation order: SNOMED CT 89666000 "Cardiopulmonary resuscitation". */
const CPR_SNOMED = '89666000';

/**
 * Flag.code values (the journal's local alert code system, and plain words other systems use)
 * per kind. Matched case-insensitively on the code only: the text is free and may say anything.
 */
const FLAG_CODES: Readonly<Record<string, FlagKind>> = {
  DNR: 'dnr',
  ALLERGY: 'allergy',
  MRSA: 'infection',
  ESBL: 'infection',
  VRE: 'infection',
  CPE: 'infection',
  'ESBL-CARBA': 'infection',
  INFECTION: 'infection',
  CHOKING: 'choking',
  DYSPHAGIA: 'choking',
  PALLIATIVE: 'palliative',
  THREAT: 'threat',
  VIOLENCE: 'threat',
  PROTECTED: 'protected',
};

/** ICD-10-SE codes of Condition that raise a flag: Z51.5 palliative care, R13 dysphagia. */
function conditionKind(icd: string | undefined): FlagKind | undefined {
  if (icd === undefined) return undefined;
  if (icd.startsWith('Z51.5')) return 'palliative';
  if (icd === 'R13' || icd.startsWith('R13.')) return 'choking';
  return undefined;
}

function clinicalStatus(r: UnitResource): string | undefined {
  return code(at(r.json, 'clinicalStatus'));
}

const INACTIVE_CLINICAL = new Set(['inactive', 'resolved', 'remission']);
const NOT_TRUE = new Set(['refuted', 'entered-in-error']);

/** A Flag whose period ended before today is no longer in force, whatever its status says. */
function flagInForce(r: UnitResource, today: string, timeZone: string): boolean {
  if (str(at(r.json, 'status')) !== 'active') return false;
  const end = localDateOf(str(at(r.json, 'period', 'end')), timeZone);
  return end === undefined || end >= today.slice(0, end.length);
}

class Marks {
  private readonly details = new Map<FlagKind, string[]>();
  private readonly dates: string[] = [];

  add(kind: FlagKind, detail?: string): void {
    const list = this.details.get(kind) ?? [];
    if (detail && !list.includes(detail)) list.push(detail);
    this.details.set(kind, list);
  }

  decision(date: string | undefined): void {
    if (date) this.dates.push(date);
    this.add('dnr');
  }

  result(): FlagMark[] {
    const out: FlagMark[] = [];
    for (const kind of FLAG_KINDS) {
      const details = this.details.get(kind);
      if (details === undefined) continue;
      if (kind === 'dnr') {
        const latest = [...this.dates].sort().at(-1);
        out.push(
          latest === undefined
            ? { kind: 'dnrUndated', details }
            : { kind: 'dnr', details, decidedOn: latest },
        );
      } else out.push({ kind, details });
    }
    return out;
  }
}

/** The flags of one person from their current resources (as loaded by loadClinical). */
export function criticalFlags(
  patient: PatientRow,
  resources: readonly UnitResource[],
  today: string,
  timeZone: string,
): FlagMark[] {
  const marks = new Marks();
  if (patient.protected) marks.add('protected');
  for (const r of resources) {
    switch (r.type) {
      case 'Flag': {
        const c = code(at(r.json, 'code'))?.toUpperCase();
        const kind = c === undefined ? undefined : FLAG_CODES[c];
        if (kind === undefined || !flagInForce(r, today, timeZone)) break;
        if (kind === 'dnr') marks.decision(str(at(r.json, 'period', 'start')));
        else marks.add(kind, kind === 'infection' && c !== 'INFECTION' ? c : undefined);
        break;
      }
      case 'AllergyIntolerance': {
        const status = clinicalStatus(r);
        const verification = code(at(r.json, 'verificationStatus'));
        if (status !== undefined && INACTIVE_CLINICAL.has(status)) break;
        if (verification !== undefined && NOT_TRUE.has(verification)) break;
        marks.add('allergy', conceptText(at(r.json, 'code')));
        break;
      }
      case 'Condition': {
        const status = clinicalStatus(r);
        if (status !== undefined && INACTIVE_CLINICAL.has(status)) break;
        const kind = list(at(r.json, 'code', 'coding'))
          .map((c) => conditionKind(str(at(c, 'code'))))
          .find((k) => k !== undefined);
        if (kind) marks.add(kind);
        break;
      }
      case 'ServiceRequest': {
        if (str(at(r.json, 'status')) !== 'active') break;
        if (code(at(r.json, 'code')) !== CPR_SNOMED) break;
        if (bool(at(r.json, 'doNotPerform')) !== true) break;
        marks.decision(str(at(r.json, 'authoredOn')));
        break;
      }
      default:
        break;
    }
  }
  return marks.result();
}
