/**
 * Writing resources into a new snapshot database: the shared core of `import` (from a signed
 * snapshot) and of loading a plain export folder in tests and benchmarks.
 *
 * Lines are checked and prepared by `prepareRow` (possibly on a worker thread); this class only
 * writes. A repeated id with identical text is counted and skipped, a repeated id with different
 * text rejects the whole snapshot. Odd but authentic data is kept and flagged in `finding`:
 * identity numbers with a wrong check digit, unknown resource types, and (after the last line)
 * references to resources the snapshot does not hold.
 */
import { ReservError, type ErrorCode } from '../core/errors.ts';
import type { Db } from './db.ts';
import { prepareRow, type PreparedRow } from './prepare-row.ts';

// Rows per transaction: large batches write each encrypted page fewer times.
const BATCH = 20_000;

export interface IngestSummary {
  readonly stored: number;
  readonly identicalDuplicates: number;
}

export class Ingest {
  private batch: PreparedRow[] = [];
  private stored = 0;
  private duplicates = 0;
  private readonly s;
  private readonly writeRows: (rows: PreparedRow[]) => void;

  constructor(
    private readonly db: Db,
    private readonly today: Date,
    private readonly errorCode: ErrorCode = 'SNAPSHOT_CONTENT_INVALID',
  ) {
    this.s = {
      resource: db.prepare(
        'INSERT OR IGNORE INTO resource_index (type, id, patient_id, date, status, refs) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      raw: db.prepare('INSERT INTO resource_raw (pk, raw) VALUES (?, ?)'),
      existing: db.prepare('SELECT raw FROM resource WHERE type = ? AND id = ?'),
      patient: db.prepare(`INSERT INTO patient
        (id, unit_id, room_ref, room, family, given, name_display, search_fold, ident_value, ident_norm,
         ident_kind, ident_valid, birth_date, gender, protected)
        VALUES (@id, @unit, @roomRef, @room, @family, @given, @display, @fold, @identValue, @identNorm,
         @identKind, @identValid, @birthDate, @gender, @protected)`),
      unit: db.prepare(
        'INSERT INTO unit (id, name, kind, parent_id, hsa_id, phone) VALUES (@id, @name, @kind, @parentId, @hsaId, @phone)',
      ),
      finding: db.prepare('INSERT INTO finding (type, id, code, detail) VALUES (?, ?, ?, ?)'),
    };
    this.writeRows = db.transaction((rows: PreparedRow[]) => {
      for (const r of rows) this.insert(r);
    });
  }

  /** Check, prepare and queue one NDJSON line of a file that should hold `type`. */
  add(type: string, line: string, where: string): void {
    if (line.trim() === '') return;
    this.batch.push(prepareRow(type, line, where, this.today, this.errorCode));
    if (this.batch.length >= BATCH) this.flush();
  }

  /** Write rows prepared elsewhere (a worker thread), in one transaction. */
  write(rows: PreparedRow[]): void {
    this.flush();
    this.writeRows(rows);
  }

  flush(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.writeRows(rows);
  }

  private insert(r: PreparedRow): void {
    const result = this.s.resource.run(r.type, r.id, r.patientId, r.date, r.status, r.refs);
    if (result.changes === 0) {
      const existing = this.s.existing.get(r.type, r.id) as { raw: string };
      if (existing.raw !== r.raw)
        throw new ReservError(this.errorCode, {
          details: [`${r.type}/${r.id}: the same id appears twice with different content`],
        });
      this.duplicates++;
      return;
    }
    this.s.raw.run(result.lastInsertRowid, r.raw);
    this.stored++;
    for (const [code, detail] of r.findings) this.s.finding.run(r.type, r.id, code, detail);
    if (r.patient) this.s.patient.run(r.patient);
    if (r.unit) this.s.unit.run(r.unit);
  }

  /**
   * Flag references to resources the snapshot does not hold. Most references point at a few
   * targets again and again (the patient, the unit's staff, the medicine catalogue), so answers
   * are remembered in a bounded cache and only new targets are looked up.
   */
  private flagDanglingReferences(): void {
    const exists = this.db
      .prepare('SELECT 1 FROM resource_index WHERE type = ? AND id = ?')
      .pluck();
    const cache = new Map<string, boolean>();
    for (const row of this.db
      .prepare('SELECT type, id, refs FROM resource_index WHERE refs IS NOT NULL')
      .iterate() as IterableIterator<{
      type: string;
      id: string;
      refs: string;
    }>) {
      const flagged = new Set<string>();
      for (const ref of JSON.parse(row.refs) as string[]) {
        let found = cache.get(ref);
        if (found === undefined) {
          const slash = ref.indexOf('/');
          found = exists.get(ref.slice(0, slash), ref.slice(slash + 1)) !== undefined;
          if (cache.size >= 50_000) cache.clear();
          cache.set(ref, found);
        }
        if (!found && !flagged.has(ref)) {
          flagged.add(ref);
          this.pendingFindings.push([row.type, row.id, ref]);
        }
      }
    }
    for (const [type, id, ref] of this.pendingFindings)
      this.s.finding.run(type, id, 'DANGLING_REFERENCE', ref);
    this.pendingFindings = [];
  }

  private pendingFindings: [string, string, string][] = [];

  /**
   * After the last line: resolve rooms, flag dangling references, build the search index and
   * record the snapshot facts. Returns what was stored.
   */
  finish(info: Record<string, string>): IngestSummary {
    this.flush();
    this.db.transaction(() => {
      this.db.exec(`UPDATE patient SET room = (SELECT json_extract(raw, '$.name') FROM resource
                      WHERE type = 'Location' AND id = patient.room_ref)
                    WHERE room IS NULL AND room_ref IS NOT NULL`);
      this.flagDanglingReferences();
      this.db.exec(`INSERT INTO patient_search (patient_search) VALUES ('rebuild')`);
      const put = this.db.prepare('INSERT INTO snapshot_info (key, value) VALUES (?, ?)');
      for (const [k, v] of Object.entries({ ...info, resourceCount: String(this.stored) }))
        put.run(k, v);
    })();
    return { stored: this.stored, identicalDuplicates: this.duplicates };
  }
}
