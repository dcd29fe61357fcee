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
import { allRoles } from './queries.ts';

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
 * Each unit's nurse, per snapshot database. Snapshot databases are read-only, so the map never
 * goes stale, and a new snapshot comes with a new handle (a new cache entry).
 */
const nurseCache = new WeakMap<Db, Map<string, CareContact>>();

/** The nurse of a unit (or of the nearest unit above it that has one), from the roster. */
function nurseOf(db: Db, unitIds: readonly string[]): CareContact | undefined {
  let nurses = nurseCache.get(db);
  if (!nurses) {
    nurses = nursesByUnit(db);
    nurseCache.set(db, nurses);
  }
  return unitIds.map((u) => nurses.get(u)).find((n) => n !== undefined);
}

/**
 * One pass over the snapshot's PractitionerRoles: for every unit, its first active role coded
 * as nurse. Done once per snapshot database (the roles of a whole municipality), instead of a
 * scan per unit on the first resident page of each unit.
 */
function nursesByUnit(db: Db): Map<string, CareContact> {
  const nurses = new Map<string, CareContact>();
  for (const raw of allRoles(db)) {
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
  return nurses;
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
