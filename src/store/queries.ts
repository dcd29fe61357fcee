/**
 * Read queries over a station database: units, residents, one resident's resources, search.
 * Plain SQL in one place, each function taking the database it reads.
 */
import { foldForSearch } from '../core/fold.ts';
import { parseIdentity } from '../core/personnummer.ts';
import type { Db } from './db.ts';

export interface SnapshotInfo {
  readonly snapshotId: string;
  readonly sequence: number;
  readonly transactionTime: string;
  readonly loadedAt: string;
  readonly resourceCount: number;
}

export function snapshotInfo(db: Db): SnapshotInfo {
  const rows = db.prepare('SELECT key, value FROM snapshot_info').all() as {
    key: string;
    value: string;
  }[];
  const map = new Map(rows.map((r) => [r.key, r.value]));
  return {
    snapshotId: map.get('snapshotId') ?? '',
    sequence: Number(map.get('sequence') ?? 0),
    transactionTime: map.get('transactionTime') ?? '',
    loadedAt: map.get('loadedAt') ?? '',
    resourceCount: Number(map.get('resourceCount') ?? 0),
  };
}

export interface UnitRow {
  readonly id: string;
  readonly name: string;
  readonly kind: string | null;
  readonly parentId: string | null;
  readonly parentName: string | null;
  readonly phone: string | null;
  readonly residents: number;
}

/** Units that have residents, grouped by their parent (nursing home) in name order. */
export function listUnits(db: Db): UnitRow[] {
  return db
    .prepare(
      `SELECT u.id, u.name, u.kind, u.parent_id AS parentId, p.name AS parentName, u.phone,
              count(pt.pk) AS residents
         FROM unit u
         JOIN patient pt ON pt.unit_id = u.id
         LEFT JOIN unit p ON p.id = u.parent_id
        GROUP BY u.id
        ORDER BY u.kind = 'home-care-group', coalesce(p.name, u.name), u.name`,
    )
    .all() as UnitRow[];
}

export function getUnit(db: Db, id: string): UnitRow | undefined {
  return db
    .prepare(
      `SELECT u.id, u.name, u.kind, u.parent_id AS parentId, p.name AS parentName, u.phone,
              (SELECT count(*) FROM patient WHERE unit_id = u.id) AS residents
         FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.id = ?`,
    )
    .get(id) as UnitRow | undefined;
}

export interface PatientRow {
  readonly id: string;
  readonly unitId: string | null;
  readonly unitName: string | null;
  readonly room: string | null;
  readonly nameDisplay: string;
  readonly identValue: string | null;
  readonly identNorm: string | null;
  readonly identKind: string | null;
  readonly identValid: number;
  readonly birthDate: string | null;
  readonly gender: string | null;
  readonly protected: number;
}

const PATIENT_COLUMNS = `pt.id, pt.unit_id AS unitId, u.name AS unitName, pt.room,
  pt.name_display AS nameDisplay, pt.ident_value AS identValue, pt.ident_norm AS identNorm,
  pt.ident_kind AS identKind, pt.ident_valid AS identValid, pt.birth_date AS birthDate,
  pt.gender, pt.protected`;

export function listResidents(db: Db, unitId: string): PatientRow[] {
  return db
    .prepare(
      `SELECT ${PATIENT_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id
        WHERE pt.unit_id = ? ORDER BY pt.room IS NULL, pt.room, pt.search_fold`,
    )
    .all(unitId) as PatientRow[];
}

export function getPatient(db: Db, id: string): PatientRow | undefined {
  return db
    .prepare(
      `SELECT ${PATIENT_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id WHERE pt.id = ?`,
    )
    .get(id) as PatientRow | undefined;
}

export interface RawResource {
  readonly type: string;
  readonly id: string;
  readonly raw: string;
}

/** Every resource that belongs to a patient, by type, newest first within a type. */
export function patientResources(db: Db, patientId: string): RawResource[] {
  return db
    .prepare(
      `SELECT type, id, raw FROM resource WHERE patient_id = ? AND type <> 'Patient'
        ORDER BY type, date DESC, id`,
    )
    .all(patientId) as RawResource[];
}

export function getResource(db: Db, type: string, id: string): RawResource | undefined {
  return db
    .prepare('SELECT type, id, raw FROM resource WHERE type = ? AND id = ?')
    .get(type, id) as RawResource | undefined;
}

/**
 * Find residents by identity number (any common written form), name or room. Names and rooms
 * are matched case- and diacritics-insensitively on folded text: "asa" finds "Åsa".
 */
export function searchPatients(db: Db, query: string, today: Date, limit = 50): PatientRow[] {
  const q = query.trim();
  if (q === '') return [];
  const digits = q.replace(/[\s\-+]/g, '');
  if (/^\d{6,12}$/.test(digits)) {
    const parsed = parseIdentity(q, today);
    const exact = db
      .prepare(
        `SELECT ${PATIENT_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id
          WHERE pt.ident_norm = ? OR pt.ident_norm LIKE ? ESCAPE '\\' LIMIT ?`,
      )
      .all(parsed.normalized, `%${digits}%`, limit) as PatientRow[];
    return exact;
  }
  if (/^[0-9]{8}[A-Za-z]/.test(q)) {
    return db
      .prepare(
        `SELECT ${PATIENT_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id
          WHERE pt.ident_norm = ? LIMIT ?`,
      )
      .all(q.toUpperCase(), limit) as PatientRow[];
  }
  const terms = foldForSearch(q)
    .split(' ')
    .filter((t) => t.length > 0);
  if (terms.length === 0) return [];
  const long = terms.filter((t) => t.length >= 3);
  const short = terms.filter((t) => t.length < 3);
  const likeClauses = short.map(() => `pt.search_fold LIKE ? ESCAPE '\\'`);
  const likeArgs = short.map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (long.length > 0) {
    // Trigram full-text match; each term quoted so FTS syntax in input is inert.
    const match = long.map((t) => `"${t.replace(/"/g, '""')}"`).join(' ');
    return db
      .prepare(
        `SELECT ${PATIENT_COLUMNS} FROM patient_search s
           JOIN patient pt ON pt.pk = s.rowid LEFT JOIN unit u ON u.id = pt.unit_id
          WHERE patient_search MATCH ? ${likeClauses.map((c) => `AND ${c}`).join(' ')}
          ORDER BY pt.search_fold LIMIT ?`,
      )
      .all(match, ...likeArgs, limit) as PatientRow[];
  }
  return db
    .prepare(
      `SELECT ${PATIENT_COLUMNS} FROM patient pt LEFT JOIN unit u ON u.id = pt.unit_id
        WHERE ${likeClauses.join(' AND ')} ORDER BY pt.search_fold LIMIT ?`,
    )
    .all(...likeArgs, limit) as PatientRow[];
}
