/**
 * What changed in one unit since the previous copy: who is new (new in the journal or moved in
 * from another unit), who has left (moved elsewhere or no longer in the export), and whose
 * medication orders changed. Plain data over two snapshot databases; web/pages/changes.ts
 * renders it.
 *
 * Cost: a fixed handful of indexed queries per copy whatever the unit's size (ids travel as one
 * JSON array), then the comparison in memory.
 *
 * Protected identity: the unit a protected person came from or went to is never named (it
 * would tell where they live); only that they moved.
 */
import {
  medicationNamesByIds,
  personsByIds,
  personsOfUnit,
  resourcesOfPatients,
  type PersonRow,
} from '../store/change-queries.ts';
import type { Db } from '../store/db.ts';
import {
  diffResources,
  medicationIdsToLookUp,
  parseResources,
  type ChangeItem,
  type ParsedResource,
} from './change-diff.ts';

export interface UnitPerson {
  readonly id: string;
  readonly name: string;
  readonly room: string | null;
}

export interface ArrivedResident extends UnitPerson {
  /** New in the journal, or moved here from another unit. */
  readonly from: 'new' | 'moved';
  /** The unit they came from; never given for protected identity. */
  readonly fromUnit?: string;
}

export interface DepartedResident extends UnitPerson {
  /** Moved to another unit, or no longer in this copy at all. */
  readonly to: 'moved' | 'gone';
  /** The unit they moved to; never given for protected identity. */
  readonly toUnit?: string;
}

export interface ResidentMedicationChanges extends UnitPerson {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly items: readonly ChangeItem[];
}

export interface UnitChanges {
  readonly unitId: string;
  readonly newResidents: readonly ArrivedResident[];
  readonly departedResidents: readonly DepartedResident[];
  /** Residents (here now, and in the previous copy) whose medication orders changed. */
  readonly medication: readonly ResidentMedicationChanges[];
  /** New + departed + residents with medication changes. */
  readonly count: number;
}

function person(p: PersonRow): UnitPerson {
  return { id: p.id, name: p.name, room: p.room };
}

/** The name of the other unit, unless either copy marks the person's identity protected. */
function otherUnit(here: PersonRow, there: PersonRow): { unit?: string } {
  if (here.protected || there.protected) return {};
  const name = there.unitName ?? there.unitId;
  return name === null ? {} : { unit: name };
}

function byPatient<T extends { readonly patientId: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(r.patientId);
    if (list) list.push(r);
    else map.set(r.patientId, [r]);
  }
  return map;
}

/** What changed in unit `unitId` between the `previous` copy and the `current` one. */
export function unitChanges(current: Db, previous: Db, unitId: string): UnitChanges {
  const now = personsOfUnit(current, unitId);
  const then = personsOfUnit(previous, unitId);
  const nowIds = new Set(now.map((p) => p.id));
  const thenIds = new Set(then.map((p) => p.id));
  const arrived = now.filter((p) => !thenIds.has(p.id));
  const departed = then.filter((p) => !nowIds.has(p.id));
  const arrivedBefore = new Map(
    personsByIds(
      previous,
      arrived.map((p) => p.id),
    ).map((p) => [p.id, p]),
  );
  const departedAfter = new Map(
    personsByIds(
      current,
      departed.map((p) => p.id),
    ).map((p) => [p.id, p]),
  );

  const newResidents = arrived.map((p): ArrivedResident => {
    const before = arrivedBefore.get(p.id);
    if (before === undefined) return { ...person(p), from: 'new' };
    const { unit } = otherUnit(p, before);
    return { ...person(p), from: 'moved', ...(unit !== undefined ? { fromUnit: unit } : {}) };
  });
  const departedResidents = departed.map((p): DepartedResident => {
    const after = departedAfter.get(p.id);
    if (after === undefined) return { ...person(p), to: 'gone' };
    const { unit } = otherUnit(p, after);
    return { ...person(p), to: 'moved', ...(unit !== undefined ? { toUnit: unit } : {}) };
  });

  // Medication: everyone here now who is in the previous copy too (a new person's orders are
  // all new; the "new resident" line says that once).
  const known = now.filter((p) => thenIds.has(p.id) || arrivedBefore.has(p.id));
  const ids = known.map((p) => p.id);
  const ordersNow = parseResources(resourcesOfPatients(current, ids, 'MedicationRequest'));
  const ordersThen = parseResources(resourcesOfPatients(previous, ids, 'MedicationRequest'));
  const names = {
    current: medicationNamesByIds(current, medicationIdsToLookUp(ordersNow)),
    previous: medicationNamesByIds(previous, medicationIdsToLookUp(ordersThen)),
  };
  const groupNow = byPatient(ordersNow);
  const groupThen = byPatient(ordersThen);
  const none: ParsedResource[] = [];
  const medication = known.flatMap((p): ResidentMedicationChanges[] => {
    const items = diffResources(
      groupNow.get(p.id) ?? none,
      groupThen.get(p.id) ?? none,
      names,
    ).medication;
    if (items.length === 0) return [];
    const countOf = (kind: ChangeItem['kind']) => items.filter((i) => i.kind === kind).length;
    return [
      {
        ...person(p),
        added: countOf('added'),
        removed: countOf('removed'),
        changed: countOf('changed'),
        items,
      },
    ];
  });

  return {
    unitId,
    newResidents,
    departedResidents,
    medication,
    count: newResidents.length + departedResidents.length + medication.length,
  };
}
