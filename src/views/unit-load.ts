/**
 * The SQL behind the unit page: a few set-wise reads over all residents of one unit, never one
 * query per person. Each read goes through the `resource_patient (patient_id, type)` index by
 * way of `patient_id IN (SELECT id FROM patient WHERE unit_id = ?)`, so a page for a unit of
 * forty people costs the same few statements on a station of 100,000 as on one of 100.
 *
 * Orders are parsed with parseExact (doses keep their digits), the rest with JSON.parse. A
 * resource that cannot be parsed is counted, not thrown: an odd resource must not take the whole unit page down.
 */
import { parseExact, type ExactJson } from '../core/exact-json.ts';
import type { Db } from '../store/db.ts';

export interface UnitResource {
  readonly type: string;
  readonly id: string;
  readonly patientId: string;
  readonly json: ExactJson;
}

/**
 * Types whose numbers the unit views show (doses, strengths): parsed with parseExact so that
 * 0.010 stays 0.010. Everything else the unit views read is text, codes and booleans, so it is
 * parsed with the much faster JSON.parse (see `parse`).
 */
const EXACT_TYPES: ReadonlySet<string> = new Set(['MedicationRequest', 'Medication']);

/** Parses raw resource text, counting what could not be read. */
export class ResourceReader {
  unreadable = 0;

  parse(type: string, raw: string): ExactJson | undefined {
    try {
      if (EXACT_TYPES.has(type)) return parseExact(raw);
      // Sound for these types: their numbers arrive as plain JS numbers, which ExactJson leaves
      // out and fhir-read's num()/quantity() read as absent; no unit view reads them.
      return JSON.parse(raw) as ExactJson;
    } catch {
      this.unreadable++;
      return undefined;
    }
  }

  rows(rows: { type: string; id: string; patientId: string; raw: string }[]): UnitResource[] {
    return rows.flatMap((r) => {
      const json = this.parse(r.type, r.raw);
      return json === undefined ? [] : [{ type: r.type, id: r.id, patientId: r.patientId, json }];
    });
  }
}

const UNIT_PATIENTS = 'SELECT id FROM patient WHERE unit_id = ?';

/**
 * The types the flag icons and the medication round read. All five are current when their
 * `status` is 'active' or when they have no `status` element at all (AllergyIntolerance and
 * Condition carry clinicalStatus instead, checked after parsing), so stopped orders and
 * inactive flags are never read.
 */
export const CLINICAL_TYPES = [
  'AllergyIntolerance',
  'Condition',
  'Flag',
  'MedicationRequest',
  'ServiceRequest',
] as const;

export function loadClinical(db: Db, unitId: string, reader: ResourceReader): UnitResource[] {
  const rows = db
    .prepare(
      `SELECT type, id, patient_id AS patientId, raw FROM resource
        WHERE patient_id IN (${UNIT_PATIENTS})
          AND type IN (${CLINICAL_TYPES.map((t) => `'${t}'`).join(', ')})
          AND coalesce(status, 'active') = 'active'
        ORDER BY patient_id, type, id`,
    )
    .all(unitId) as { type: string; id: string; patientId: string; raw: string }[];
  return reader.rows(rows);
}

/**
 * Appointments of the unit's people indexed with a start between two local dates. The index
 * column holds `start` as written (with its UTC offset), so the bounds are widened by a day on
 * each side and the caller places every visit on the local clock itself.
 */
export function loadAppointments(
  db: Db,
  unitId: string,
  fromDate: string,
  untilDate: string,
  reader: ResourceReader,
): UnitResource[] {
  const rows = db
    .prepare(
      `SELECT type, id, patient_id AS patientId, raw FROM resource
        WHERE type = 'Appointment' AND patient_id IN (${UNIT_PATIENTS})
          AND date >= ? AND date < ?
        ORDER BY date, id`,
    )
    .all(unitId, fromDate, untilDate) as {
    type: string;
    id: string;
    patientId: string;
    raw: string;
  }[];
  return reader.rows(rows);
}

/**
 * The Patient resources of the unit's people, for their addresses. People with protected
 * identity are left out unread: by the patient table's mark, and by `skip` (a Flag says so).
 */
export function loadPatients(
  db: Db,
  unitId: string,
  skip: ReadonlySet<string>,
  reader: ResourceReader,
): Map<string, ExactJson> {
  const rows = db
    .prepare(
      `SELECT id, raw FROM resource
        WHERE type = 'Patient'
          AND patient_id IN (SELECT id FROM patient WHERE unit_id = ? AND protected = 0)`,
    )
    .all(unitId) as { id: string; raw: string }[];
  const out = new Map<string, ExactJson>();
  for (const r of rows) {
    if (skip.has(r.id)) continue;
    const json = reader.parse('Patient', r.raw);
    if (json !== undefined) out.set(r.id, json);
  }
  return out;
}

/** Resources of one type by id, in one statement whatever the number of ids. */
export function loadByIds(
  db: Db,
  type: string,
  ids: Iterable<string>,
  reader: ResourceReader,
): Map<string, ExactJson> {
  const list = [...new Set(ids)];
  const out = new Map<string, ExactJson>();
  if (list.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT id, raw FROM resource
        WHERE type = ? AND id IN (SELECT value FROM json_each(?))`,
    )
    .all(type, JSON.stringify(list)) as { id: string; raw: string }[];
  for (const r of rows) {
    const json = reader.parse(type, r.raw);
    if (json !== undefined) out.set(r.id, json);
  }
  return out;
}
