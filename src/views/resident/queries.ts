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

/** PractitionerRoles whose references name any of these Organizations (at most `limit`). */
export function rolesReferringTo(
  db: Db,
  organizationIds: readonly string[],
  limit = 200,
): string[] {
  if (organizationIds.length === 0) return [];
  const likes = organizationIds.map(
    (u) => `%"Organization/${u.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`,
  );
  return db
    .prepare(
      `SELECT raw FROM resource WHERE type = 'PractitionerRole'
          AND (${likes.map(() => `refs LIKE ? ESCAPE '\\'`).join(' OR ')}) LIMIT ?`,
    )
    .pluck()
    .all(...likes, limit) as string[];
}
