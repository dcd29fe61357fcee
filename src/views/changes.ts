/**
 * What changed for one resident since the previous copy of the journal: per page section, the
 * things that are new, gone or different (a new or stopped medication, a new alert, a changed
 * resuscitation decision), named with text taken verbatim from the data. Plain data over two
 * snapshot databases, no HTML: web/pages/changes.ts renders it.
 *
 * Cost: two indexed queries per copy (the person's resources by patient_id, the person's row),
 * plus one for medicine names when orders do not carry them.
 */
import type { ExactJson } from '../core/exact-json.ts';
import {
  medicationNamesByIds,
  personsByIds,
  resourcesOfPatient,
  type PersonRow,
} from '../store/change-queries.ts';
import type { Db } from '../store/db.ts';
import {
  diffResources,
  emptySections,
  medicationIdsToLookUp,
  parseResources,
  sameContent,
  sameValue,
  type ChangeItem,
  type IdentityField,
  type ParsedResource,
  type SectionChanges,
} from './change-diff.ts';
import { CHANGE_SECTIONS } from './change-sections.ts';
import { at } from './fhir-read.ts';

export type { ChangeItem, IdentityField, SectionChanges } from './change-diff.ts';
export { CHANGE_SECTIONS, type ChangeSection } from './change-sections.ts';

export interface ResidentChanges {
  readonly patientId: string;
  /**
   * The person is not in the previous copy at all. Everything about them is then new, so the
   * sections list nothing: the page says "new since the previous copy" once instead.
   */
  readonly newResident: boolean;
  readonly sections: SectionChanges;
  /** Items in all sections together. */
  readonly count: number;
}

function identityChanges(
  now: PersonRow | undefined,
  then: PersonRow,
  patientNow: ParsedResource | undefined,
  patientThen: ParsedResource | undefined,
): ChangeItem[] {
  const label = now?.name ?? then.name;
  const base = { kind: 'changed', type: 'Patient', id: then.id, label } as const;
  if (now === undefined) return [{ ...base, kind: 'removed' }];
  const items: ChangeItem[] = [];
  const shown = (field: IdentityField, before: string | null, after: string | null) => {
    if (before !== after) items.push({ ...base, field, before: before ?? '', after: after ?? '' });
  };
  shown('name', then.name, now.name);
  shown('identifier', then.identValue, now.identValue);
  if (then.unitId !== now.unitId)
    items.push({
      ...base,
      field: 'unit',
      before: then.unitName ?? then.unitId ?? '',
      after: now.unitName ?? now.unitId ?? '',
    });
  shown('room', then.room, now.room);
  // Address and phone are named, never quoted: with protected identity neither may be shown.
  if (then.protected !== now.protected) items.push({ ...base, field: 'protected' });
  const part = (p: ParsedResource | undefined, key: string): ExactJson | undefined =>
    p?.json === undefined ? undefined : at(p.json, key);
  if (!sameValue(part(patientThen, 'address'), part(patientNow, 'address')))
    items.push({ ...base, field: 'address' });
  if (!sameValue(part(patientThen, 'telecom'), part(patientNow, 'telecom')))
    items.push({ ...base, field: 'phone' });
  if (
    items.length === 0 &&
    patientNow !== undefined &&
    patientThen !== undefined &&
    !sameContent(patientNow, patientThen)
  )
    items.push({ ...base, field: 'other' });
  return items;
}

/** What changed for `patientId` between the `previous` copy and the `current` one. */
export function residentChanges(current: Db, previous: Db, patientId: string): ResidentChanges {
  const then = personsByIds(previous, [patientId])[0];
  if (then === undefined)
    return { patientId, newResident: true, sections: emptySections(), count: 0 };
  const now = personsByIds(current, [patientId])[0];
  const resourcesNow = parseResources(resourcesOfPatient(current, patientId));
  const resourcesThen = parseResources(resourcesOfPatient(previous, patientId));
  const sections = diffResources(resourcesNow, resourcesThen, {
    current: medicationNamesByIds(current, medicationIdsToLookUp(resourcesNow)),
    previous: medicationNamesByIds(previous, medicationIdsToLookUp(resourcesThen)),
  });
  const patient = (list: ParsedResource[]) => list.find((r) => r.type === 'Patient');
  sections.identity.push(
    ...identityChanges(now, then, patient(resourcesNow), patient(resourcesThen)),
  );
  const count = CHANGE_SECTIONS.reduce((n, s) => n + sections[s].length, 0);
  return { patientId, newResident: false, sections, count };
}

export { unitChanges, type UnitChanges } from './unit-changes.ts';
