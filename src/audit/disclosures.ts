/**
 * Who was disclosed in one unit during a period, person by person: the input of the transfer
 * checklist a unit prints after an outage (src/print/transfer-checklist.ts), so that it knows
 * whose paper to carry back into the journal. One row per patient with any successful `view` or
 * `print` entry of the unit in the period: how many of each, the first and last time, the users,
 * and for the prints which documents (a print entry's `reason` names the document).
 *
 * Denied and failed requests disclosed nothing and are left out; searches name people in a hit
 * list, not their records, and are left out too. Flagged entries (emergency, break-glass) count
 * like the others: they disclosed as much. "The unit" is the entry's `unit` column, the unit the
 * person belonged to when the entry was written. `from` and `to` compare with `at` as text, as
 * in query.ts: UTC ISO 8601, `from` inclusive, `to` exclusive.
 */
import type { Db } from '../store/db.ts';

export interface DisclosureQuery {
  readonly unitId: string;
  readonly from: string;
  readonly to: string;
}

export interface PrintedDocument {
  /** The print entry's reason: which document (null when the entry did not say). */
  readonly reason: string | null;
  readonly count: number;
  readonly first: string;
  readonly last: string;
}

export interface Disclosure {
  readonly patient: string;
  /** The identity number as the latest entry in the period wrote it. */
  readonly patientIdent: string | null;
  readonly views: number;
  readonly prints: number;
  readonly first: string;
  readonly last: string;
  /** First and last `view`; null when there were none. */
  readonly firstView: string | null;
  readonly lastView: string | null;
  /** User names, sorted, each once. */
  readonly users: readonly string[];
  /** The documents printed, in the order each was first printed. */
  readonly documents: readonly PrintedDocument[];
}

const HITS = `SELECT seq, at, user, patient, patient_ident, action, reason FROM audit_entry
  WHERE unit = @unitId AND at >= @from AND at < @to
    AND action IN ('view', 'print') AND outcome = 'success' AND patient IS NOT NULL`;

interface PatientRow {
  patient: string;
  patientIdent: string | null;
  views: number;
  prints: number;
  first: string;
  last: string;
  firstView: string | null;
  lastView: string | null;
  users: string;
}

interface DocumentRow extends PrintedDocument {
  readonly patient: string;
}

export function disclosuresForUnit(db: Db, query: DisclosureQuery): Disclosure[] {
  const params = { unitId: query.unitId, from: query.from, to: query.to };
  const patients = db
    .prepare(
      `WITH hits AS (${HITS})
       SELECT patient,
              (SELECT h.patient_ident FROM hits h
                WHERE h.patient = hits.patient AND h.patient_ident IS NOT NULL
                ORDER BY h.seq DESC LIMIT 1) AS patientIdent,
              sum(action = 'view') AS views,
              sum(action = 'print') AS prints,
              min(at) AS first,
              max(at) AS last,
              min(CASE WHEN action = 'view' THEN at END) AS firstView,
              max(CASE WHEN action = 'view' THEN at END) AS lastView,
              json_group_array(DISTINCT user) FILTER (WHERE user IS NOT NULL) AS users
         FROM hits
        GROUP BY patient
        ORDER BY patient`,
    )
    .all(params) as PatientRow[];
  const documents = db
    .prepare(
      `WITH hits AS (${HITS})
       SELECT patient, reason, count(*) AS count, min(at) AS first, max(at) AS last
         FROM hits
        WHERE action = 'print'
        GROUP BY patient, reason
        ORDER BY patient, min(seq)`,
    )
    .all(params) as DocumentRow[];
  const byPatient = new Map<string, PrintedDocument[]>();
  for (const { patient, ...d } of documents) {
    const list = byPatient.get(patient);
    if (list === undefined) byPatient.set(patient, [d]);
    else list.push(d);
  }
  return patients.map((p) => ({
    ...p,
    users: (JSON.parse(p.users) as string[]).sort(),
    documents: byPatient.get(p.patient) ?? [],
  }));
}
