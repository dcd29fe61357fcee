/**
 * One resident's stored resources, parsed for display with the exact-number parser, plus the
 * small readers every section shares. A resource the display parser cannot read (nested deeper
 * than it follows, say) is counted, not fatal: one odd line must not take the whole page down.
 */
import { parseExact, type ExactJson } from '../../core/exact-json.ts';
import type { Db } from '../../store/db.ts';
import { getResource, patientResources } from '../../store/queries.ts';
import { at, conceptText, list, obj, str, type Node } from '../fhir-read.ts';

export interface LoadedResource {
  readonly type: string;
  readonly id: string;
  readonly json: ExactJson;
}

export interface ResidentResources {
  readonly patient: ExactJson | null;
  readonly all: readonly LoadedResource[];
  byType(type: string): LoadedResource[];
  readonly unreadable: number;
}

export function loadResidentResources(db: Db, patientId: string): ResidentResources {
  let unreadable = 0;
  const tryParse = (raw: string): ExactJson | undefined => {
    try {
      return parseExact(raw);
    } catch {
      unreadable++;
      return undefined;
    }
  };
  const rawPatient = getResource(db, 'Patient', patientId);
  const patient = rawPatient ? (tryParse(rawPatient.raw) ?? null) : null;
  const all = patientResources(db, patientId).flatMap((r) => {
    const json = tryParse(r.raw);
    return json === undefined ? [] : [{ type: r.type, id: r.id, json }];
  });
  const byTypeMap = new Map<string, LoadedResource[]>();
  for (const r of all) {
    const bucket = byTypeMap.get(r.type);
    if (bucket) bucket.push(r);
    else byTypeMap.set(r.type, [r]);
  }
  return { patient, all, byType: (type) => byTypeMap.get(type) ?? [], unreadable };
}

/** The texts of a list of CodeableConcepts (or strings), joined; undefined when none. */
export function conceptTexts(v: Node, separator = ', '): string | undefined {
  const texts = list(v)
    .map((c) => (typeof c === 'string' ? c : conceptText(c)))
    .filter((t): t is string => t !== undefined && t !== '');
  return texts.length > 0 ? texts.join(separator) : undefined;
}

/** The texts of an Annotation list (`note`), joined by line breaks. */
export function noteTexts(v: Node): string | undefined {
  const texts = list(v)
    .map((n) => str(at(n, 'text')))
    .filter((t): t is string => t !== undefined && t !== '');
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/**
 * SoL (social care) or HSL (health care): the code of a record-regime coding, else a coding of
 * any system whose code is SoL or HSL.
 */
export function regimeOf(categories: Node): string | undefined {
  let loose: string | undefined;
  for (const c of list(categories)) {
    for (const coding of list(obj(c)?.coding)) {
      const system = str(at(coding, 'system')) ?? '';
      const value = str(at(coding, 'code'));
      if (system.endsWith('/record-regime')) return value;
      if (loose === undefined && value !== undefined && /^(sol|hsl)$/i.test(value))
        loose = value.toUpperCase() === 'SOL' ? 'SoL' : 'HSL';
    }
  }
  return loose;
}

/** True when the resource carries a confidentiality label of "very restricted". */
export function veryRestricted(resource: Node): boolean {
  return list(at(resource, 'meta', 'security')).some(
    (s) =>
      str(at(s, 'code')) === 'V' && (str(at(s, 'system')) ?? '').endsWith('/v3-Confidentiality'),
  );
}

/** A status-like code that means the record should not be acted on. */
export function isVoid(resource: Node): boolean {
  const status = str(at(resource, 'status'));
  return status === 'entered-in-error' || status === 'cancelled' || status === 'revoked';
}

/** "Practitioner/abc" → the referenced resource's display name, if the copy holds it. */
export function referenceName(
  db: Db,
  ref: Node,
  cache: Map<string, string | undefined>,
): string | undefined {
  const display = str(at(ref, 'display'));
  if (display) return display;
  const reference = str(at(ref, 'reference'));
  if (reference === undefined) return undefined;
  const m =
    /^(Practitioner|PractitionerRole|Organization|RelatedPerson)\/([A-Za-z0-9\-.]{1,64})$/.exec(
      reference,
    );
  if (!m) return undefined;
  if (cache.has(reference)) return cache.get(reference);
  const found = getResource(db, m[1]!, m[2]!);
  let name: string | undefined;
  if (found) {
    try {
      const json = parseExact(found.raw);
      name =
        str(at(json, 'name')) ??
        humanName(at(json, 'name')) ??
        str(at(json, 'practitioner', 'display'));
    } catch {
      name = undefined;
    }
  }
  cache.set(reference, name);
  return name;
}

/** The first HumanName of a list as "Given Family" (or its text), NFC-normalised. */
export function humanName(v: Node): string | undefined {
  const n = obj(list(v)[0]);
  if (!n) return undefined;
  const given = list(n.given)
    .map((g) => str(g) ?? '')
    .join(' ');
  const text = (str(n.text) ?? `${given} ${str(n.family) ?? ''}`).normalize('NFC').trim();
  return text === '' ? undefined : text;
}

/** The first coding's code of a CodeableConcept, from a given system suffix when given. */
export function codeFrom(v: Node, systemSuffix: string): string | undefined {
  for (const c of list(obj(v)?.coding)) {
    if ((str(at(c, 'system')) ?? '').endsWith(systemSuffix)) return str(at(c, 'code'));
  }
  return undefined;
}
