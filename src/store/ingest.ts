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
import { prepareRow, SELF_PATIENT_REF } from './prepare-row.ts';
import { BlockPacker, rawLine, type StagedBatch } from './raw-blocks.ts';

// Rows prepared on this thread (by `add`) before they are written.
const BATCH = 20_000;

export type DanglingReference = [type: string, id: string, reference: string];

export interface IngestSummary {
  readonly stored: number;
  readonly identicalDuplicates: number;
}

export class Ingest {
  private readonly packer = new BlockPacker();
  private stored = 0;
  private duplicates = 0;
  private readonly s;
  private readonly writeBatch: (batch: StagedBatch) => void;

  constructor(
    private readonly db: Db,
    private readonly today: Date,
    private readonly errorCode: ErrorCode = 'SNAPSHOT_CONTENT_INVALID',
  ) {
    this.s = {
      resource: db.prepare(
        'INSERT OR IGNORE INTO resource_index (type, id, patient_id, date, status, refs, block, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      block: db.prepare('INSERT INTO resource_block (data) VALUES (?)'),
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
    this.writeBatch = (batch: StagedBatch) => {
      // ONE transaction for the whole load, opened by the first write and committed by
      // `finish`: a commit writes every dirty page (encrypted) to the file, and the index pages
      // are dirtied again by the next batch, so committing per batch wrote them over and over
      // (twice the time of the whole load). The database is new and has no journal: if the
      // load fails, the file is removed, not rolled back.
      if (!db.inTransaction) db.exec('BEGIN');
      const keys = batch.blocks.map((data) => this.s.block.run(data).lastInsertRowid);
      const stored = new Uint8Array(batch.id.length);
      for (let i = 0; i < batch.id.length; i++) stored[i] = this.insert(batch, i, keys) ? 1 : 0;
      for (const x of batch.extras) {
        if (stored[x.row] === 0) continue;
        const type = batch.type[x.row]!;
        const id = batch.id[x.row]!;
        for (const [code, detail] of x.findings) this.s.finding.run(type, id, code, detail);
        if (x.patient) this.s.patient.run(x.patient);
        if (x.unit) this.s.unit.run(x.unit);
      }
    };
  }

  /** Check, prepare and queue one NDJSON line of a file that should hold `type`. */
  add(type: string, line: string, where: string): void {
    if (line.trim() === '') return;
    this.packer.add(prepareRow(type, line, where, this.today, this.errorCode), line);
    if (this.packer.size >= BATCH) this.flush();
  }

  /** Write a batch prepared elsewhere (a worker thread). */
  write(batch: StagedBatch): void {
    this.flush();
    this.writeBatch(batch);
  }

  flush(): void {
    if (this.packer.size === 0) return;
    this.writeBatch(this.packer.take());
  }

  /** Insert row `i` of the batch; false when it repeats a stored resource word for word. */
  private insert(b: StagedBatch, i: number, keys: (number | bigint)[]): boolean {
    const type = b.type[i]!;
    const id = b.id[i]!;
    const line = b.line[i]!;
    const block = b.block[i]!;
    const result = this.s.resource.run(
      type,
      id,
      b.patientId[i],
      b.date[i],
      b.status[i],
      b.refs[i],
      keys[block],
      line,
    );
    if (result.changes === 0) {
      const existing = this.s.existing.get(type, id) as { raw: string };
      if (existing.raw !== rawLine(b.blocks[block]!, line))
        throw new ReservError(this.errorCode, {
          details: [`${type}/${id}: the same id appears twice with different content`],
        });
      this.duplicates++;
      return false;
    }
    this.stored++;
    return true;
  }

  /**
   * References to resources the snapshot does not hold, as [type, id, reference]. Reads only,
   * so the import runs it while another connection checks the database's integrity. Most
   * references point at a few targets again and again (the patient, the unit's staff, the
   * medicine catalogue), so answers are remembered in a bounded cache and only new targets are
   * looked up.
   */
  danglingReferences(): DanglingReference[] {
    const exists = this.db
      .prepare('SELECT 1 FROM resource_index WHERE type = ? AND id = ?')
      .pluck();
    const cache = new Map<string, boolean>();
    const found: [pk: number, ref: string][] = [];
    // Only pk and refs are read for every row; type and id only for the rows that are flagged.
    for (const [pk, patientId, refs] of this.db
      .prepare('SELECT pk, patient_id, refs FROM resource_index WHERE refs IS NOT NULL')
      .raw()
      .iterate() as IterableIterator<[pk: number, patientId: string | null, refs: string]>) {
      let flagged: Set<string> | undefined;
      for (const written of JSON.parse(refs) as string[]) {
        const ref = written === SELF_PATIENT_REF ? `Patient/${patientId}` : written;
        let known = cache.get(ref);
        if (known === undefined) {
          const slash = ref.indexOf('/');
          known = exists.get(ref.slice(0, slash), ref.slice(slash + 1)) !== undefined;
          if (cache.size >= 50_000) cache.clear();
          cache.set(ref, known);
        }
        if (!known && !(flagged ??= new Set()).has(ref)) {
          flagged.add(ref);
          found.push([pk, ref]);
        }
      }
    }
    const row = this.db.prepare('SELECT type, id FROM resource_index WHERE pk = ?').raw();
    return found.map(([pk, ref]) => {
      const [type, id] = row.get(pk) as [string, string];
      return [type, id, ref];
    });
  }

  /** Store what `danglingReferences` found, in one transaction. */
  recordDangling(dangling: readonly DanglingReference[]): void {
    this.db.transaction(() => {
      for (const [type, id, ref] of dangling)
        this.s.finding.run(type, id, 'DANGLING_REFERENCE', ref);
    })();
  }

  /**
   * After the last line: resolve rooms, build the search index, record the snapshot facts and
   * commit the load's transaction. Returns what was stored.
   */
  finishData(info: Record<string, string>): IngestSummary {
    this.flush();
    if (!this.db.inTransaction) this.db.exec('BEGIN');
    this.db.exec(`UPDATE patient SET room = (SELECT json_extract(raw, '$.name') FROM resource
                    WHERE type = 'Location' AND id = patient.room_ref)
                  WHERE room IS NULL AND room_ref IS NOT NULL`);
    this.db.exec(`INSERT INTO patient_search (patient_search) VALUES ('rebuild')`);
    const put = this.db.prepare('INSERT INTO snapshot_info (key, value) VALUES (?, ?)');
    for (const [k, v] of Object.entries({ ...info, resourceCount: String(this.stored) }))
      put.run(k, v);
    this.db.exec('COMMIT');
    return { stored: this.stored, identicalDuplicates: this.duplicates };
  }

  /** Everything after the last line, in order (loading a plain export folder). */
  finish(info: Record<string, string>): IngestSummary {
    const summary = this.finishData(info);
    this.recordDangling(this.danglingReferences());
    return summary;
  }
}
