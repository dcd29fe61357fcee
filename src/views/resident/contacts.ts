/**
 * Contacts: next of kin and legal representatives (RelatedPerson, with whether they may receive
 * information), and the people to call about care: the unit's phone, its nurse and the GP
 * practice (domain brief §3, item 7).
 */
import { parseExact } from '../../core/exact-json.ts';
import type { Db } from '../../store/db.ts';
import { getResource, getUnit, type PatientRow } from '../../store/queries.ts';
import { unitFacts } from '../../store/units.ts';
import { at, bool, conceptText, extension, list, refId, str, type Node } from '../fhir-read.ts';
import { humanName, isVoid, type ResidentResources } from './load.ts';
import { rolesReferringTo } from './queries.ts';

export interface ContactItem {
  readonly name: string;
  readonly relationship: string | undefined;
  readonly phone: string | undefined;
  readonly mayReceiveInformation: boolean | undefined;
}

export interface CareContact {
  readonly kind: 'unit' | 'nurse' | 'gp';
  readonly name: string;
  readonly phone: string | undefined;
}

function phoneOf(telecom: Node): string | undefined {
  const phones = list(telecom).filter((t) => (str(at(t, 'system')) ?? 'phone') === 'phone');
  return str(at(phones[0], 'value'));
}

export function relatedContacts(res: ResidentResources): ContactItem[] {
  return res
    .byType('RelatedPerson')
    .filter((r) => at(r.json, 'active') !== false && !isVoid(r.json))
    .map((r) => ({
      name: humanName(at(r.json, 'name')) ?? '',
      relationship:
        list(at(r.json, 'relationship'))
          .map((c) => conceptText(c))
          .filter(Boolean)
          .join(', ') || undefined,
      phone: phoneOf(at(r.json, 'telecom')),
      mayReceiveInformation: bool(extension(r.json, '/may-receive-information')?.valueBoolean),
    }));
}

/**
 * The nurse found for a chain of units, per snapshot database. Snapshot databases are read-only,
 * so an answer never goes stale, and a new snapshot comes with a new handle (a new cache entry).
 * Without it every resident page would scan the roles of the whole municipality.
 */
const nurseCache = new WeakMap<Db, Map<string, CareContact | null>>();

function nurseOf(db: Db, unitIds: readonly string[]): CareContact | undefined {
  let cache = nurseCache.get(db);
  if (!cache) {
    cache = new Map<string, CareContact | null>();
    nurseCache.set(db, cache);
  }
  const key = unitIds.join('\n');
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  const found = findNurse(db, unitIds);
  cache.set(key, found ?? null);
  return found;
}

function findNurse(db: Db, unitIds: readonly string[]): CareContact | undefined {
  // The unit's nurse: a PractitionerRole of the unit (or a unit above it) coded as nurse, the
  // nearest unit first. One pass over the roles whose references name any of these units.
  const nurses = new Map<string, CareContact>();
  for (const raw of rolesReferringTo(db, unitIds)) {
    try {
      const role = parseExact(raw);
      const unit = refId(at(role, 'organization'), 'Organization');
      if (unit === undefined || nurses.has(unit) || at(role, 'active') === false) continue;
      const isNurse = list(at(role, 'code')).some((c) =>
        list(at(c, 'coding')).some((x) => str(at(x, 'code')) === 'nurse'),
      );
      const name = str(at(role, 'practitioner', 'display'));
      if (isNurse && name)
        nurses.set(unit, { kind: 'nurse', name, phone: phoneOf(at(role, 'telecom')) });
    } catch {
      continue;
    }
  }
  return unitIds.map((u) => nurses.get(u)).find((n) => n !== undefined);
}

export function careContacts(db: Db, patient: PatientRow, p: Node): CareContact[] {
  const out: CareContact[] = [];
  const unit = patient.unitId ? getUnit(db, patient.unitId) : undefined;
  if (unit) out.push({ kind: 'unit', name: unit.name, phone: unit.phone ?? undefined });
  if (patient.unitId) {
    const facts = unitFacts(db, patient.unitId);
    const nurse = nurseOf(db, [patient.unitId, ...(facts?.ancestors ?? [])].slice(0, 3));
    if (nurse) out.push(nurse);
  }
  for (const ref of list(at(p, 'generalPractitioner')).slice(0, 2)) {
    const id = refId(ref, 'Organization') ?? refId(ref, 'Practitioner');
    const type = refId(ref, 'Organization') ? 'Organization' : 'Practitioner';
    const found = id ? getResource(db, type, id) : undefined;
    let name = str(at(ref, 'display'));
    let phone: string | undefined;
    if (found) {
      try {
        const json = parseExact(found.raw);
        name = str(at(json, 'name')) ?? humanName(at(json, 'name')) ?? name;
        phone = phoneOf(at(json, 'telecom'));
      } catch {
        // Shown by its display text, if any.
      }
    }
    if (name) out.push({ kind: 'gp', name, phone });
  }
  return out;
}
