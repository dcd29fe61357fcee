/**
 * The SQL the resident views need beyond the shared read queries (store/queries.ts): one type of
 * one person's resources, and the roles that name some units. Read-only, on a snapshot database.
 */
import type { Db } from '../../store/db.ts';
import type { RawResource } from '../../store/queries.ts';

/** One person's resources of one type (the index covers patient_id, type). */
export function patientResourcesOfType(db: Db, patientId: string, type: string): RawResource[] {
  return db
    .prepare(`SELECT type, id, raw FROM resource WHERE patient_id = ? AND type = ? ORDER BY id`)
    .all(patientId, type) as RawResource[];
}

/** Every PractitionerRole's raw text, streamed (the staff roster of the snapshot). */
export function allRoles(db: Db): Iterable<string> {
  return db
    .prepare(`SELECT raw FROM resource WHERE type = 'PractitionerRole'`)
    .pluck()
    .iterate() as Iterable<string>;
}
