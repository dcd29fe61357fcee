/**
 * Read queries for "what changed since the previous copy": a few indexed queries per page, never
 * one per resource. Lists of ids travel as one JSON array parameter (`json_each`), so a unit's
 * forty residents cost one query, not forty.
 */
import type { Db } from './db.ts';
import type { RawResource } from './queries.ts';

/** Every resource that belongs to a patient, the Patient itself included (index on patient_id). */
export function resourcesOfPatient(db: Db, patientId: string): RawResource[] {
  return db
    .prepare('SELECT type, id, raw FROM resource WHERE patient_id = ?')
    .all(patientId) as RawResource[];
}

export interface PatientResource extends RawResource {
  readonly patientId: string;
}

/** The resources of one type that belong to any of the given patients. */
export function resourcesOfPatients(
  db: Db,
  patientIds: readonly string[],
  type: string,
): PatientResource[] {
  if (patientIds.length === 0) return [];
  return db
    .prepare(
      `SELECT patient_id AS patientId, type, id, raw FROM resource
        WHERE patient_id IN (SELECT value FROM json_each(?)) AND type = ?`,
    )
    .all(JSON.stringify(patientIds), type) as PatientResource[];
}

/** Medicine names (the Medication's code text, else its first coding's display) by id. */
export function medicationNamesByIds(db: Db, ids: readonly string[]): Map<string, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT id, coalesce(json_extract(raw, '$.code.text'),
                           json_extract(raw, '$.code.coding[0].display')) AS name
         FROM resource WHERE type = 'Medication' AND id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as { id: string; name: string | null }[];
  return new Map(rows.flatMap((r) => (typeof r.name === 'string' ? [[r.id, r.name]] : [])));
}

/** What "what changed" needs to know about a person in one copy. */
export interface PersonRow {
  readonly id: string;
  readonly unitId: string | null;
  readonly unitName: string | null;
  readonly room: string | null;
  readonly name: string;
  readonly identValue: string | null;
  readonly protected: number;
}

const PERSON_COLUMNS = `pt.id, pt.unit_id AS unitId, u.name AS unitName, pt.room,
  pt.name_display AS name, pt.ident_value AS identValue, pt.protected`;

export function personsOfUnit(db: Db, unitId: string): PersonRow[] {
  return db
    .prepare(
      `SELECT ${PERSON_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id
        WHERE pt.unit_id = ? ORDER BY pt.room IS NULL, pt.room, pt.search_fold`,
    )
    .all(unitId) as PersonRow[];
}

export function personsByIds(db: Db, ids: readonly string[]): PersonRow[] {
  if (ids.length === 0) return [];
  return db
    .prepare(
      `SELECT ${PERSON_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id
        WHERE pt.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as PersonRow[];
}
