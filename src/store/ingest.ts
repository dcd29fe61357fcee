/**
 * Writing resources into a new snapshot database: the shared core of `import` (from a signed
 * snapshot) and of loading a plain export folder in tests and benchmarks.
 *
 * Every line is stored with its raw text. Lines are checked (a JSON object of the file's type,
 * a valid id); a repeated id with identical text is counted and skipped, a repeated id with
 * different text rejects the whole snapshot. Odd but authentic data is kept and flagged in
 * `finding`: identity numbers with a wrong check digit, unknown resource types, and (after the
 * last line) references to resources the snapshot does not hold.
 */
import { ReservError, type ErrorCode } from '../core/errors.ts';
import { R4_RESOURCE_TYPES } from '../core/fhir-resource-types.ts';
import { foldForSearch } from '../core/fold.ts';
import { IDENTIFIER_OIDS, IDENTIFIER_SYSTEMS, parseIdentity } from '../core/personnummer.ts';
import type { Db } from './db.ts';
import { dateOf, patientOf, statusOf } from './index-columns.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
// Rows per transaction: large batches write each encrypted page fewer times.
const BATCH = 20_000;
const MAX_DEPTH = 64;

type J = Record<string, unknown>;
const arr = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const refId = (v: unknown, type: string): string | undefined => {
  const r = str((v as J | undefined)?.reference);
  return r?.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
};

interface Row {
  type: string;
  id: string;
  raw: string;
  json: J;
}

export interface IngestSummary {
  readonly stored: number;
  readonly identicalDuplicates: number;
}

/** Collect "Type/id" references anywhere in a resource (relative literal references only). */
function collectReferences(value: unknown, out: [string, string][], depth = 0): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collectReferences(v, out, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value as J)) {
    if (k === 'reference' && typeof v === 'string') {
      const m = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})$/.exec(v);
      if (m) out.push([m[1]!, m[2]!]);
    } else if (typeof v === 'object') collectReferences(v, out, depth + 1);
  }
}

export class Ingest {
  private batch: Row[] = [];
  private stored = 0;
  private duplicates = 0;
  private readonly s;

  constructor(
    private readonly db: Db,
    private readonly today: Date,
    private readonly errorCode: ErrorCode = 'SNAPSHOT_CONTENT_INVALID',
  ) {
    this.s = {
      resource: db.prepare(
        'INSERT OR IGNORE INTO resource (type, id, patient_id, date, status, raw) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      existing: db.prepare('SELECT raw FROM resource WHERE type = ? AND id = ?'),
      patient: db.prepare(`INSERT INTO patient
        (id, unit_id, room_ref, room, family, given, name_display, search_fold, ident_value, ident_norm,
         ident_kind, ident_valid, birth_date, gender, protected)
        VALUES (@id, @unit, @roomRef, @room, @family, @given, @display, @fold, @identValue, @identNorm,
         @identKind, @identValid, @birthDate, @gender, @protected)`),
      unit: db.prepare(
        'INSERT INTO unit (id, name, kind, parent_id, hsa_id, phone) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      finding: db.prepare('INSERT INTO finding (type, id, code, detail) VALUES (?, ?, ?, ?)'),
      reference: db.prepare(
        'INSERT INTO reference (from_type, from_id, target_type, target_id) VALUES (?, ?, ?, ?)',
      ),
    };
  }

  private reject(where: string, what: string): ReservError {
    return new ReservError(this.errorCode, { details: [`${where}: ${what}`] });
  }

  /** Check and queue one NDJSON line of a file that should hold `type`. */
  add(type: string, line: string, where: string): void {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      // The parser's message can quote the line: keep only the position, never the content.
      throw this.reject(where, 'not valid JSON');
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      throw this.reject(where, 'not a JSON object');
    const r = json as J;
    if (r.resourceType !== type) throw this.reject(where, `not a ${type} resource`);
    if (typeof r.id !== 'string' || !FHIR_ID.test(r.id))
      throw this.reject(where, 'missing or invalid resource id');
    this.batch.push({ type, id: r.id, raw: line, json: r });
    if (this.batch.length >= BATCH) this.flush();
  }

  flush(): void {
    if (this.batch.length === 0) return;
    const rows = this.batch;
    this.batch = [];
    this.db.transaction(() => {
      for (const r of rows) this.insert(r);
    })();
  }

  private insert(r: Row): void {
    const result = this.s.resource.run(
      r.type,
      r.id,
      patientOf(r.json) ?? null,
      dateOf(r.json) ?? null,
      statusOf(r.json) ?? null,
      r.raw,
    );
    if (result.changes === 0) {
      const existing = this.s.existing.get(r.type, r.id) as { raw: string };
      if (existing.raw !== r.raw)
        throw this.reject(`${r.type}/${r.id}`, 'the same id appears twice with different content');
      this.duplicates++;
      return;
    }
    this.stored++;
    if (!R4_RESOURCE_TYPES.has(r.type))
      this.s.finding.run(r.type, r.id, 'UNKNOWN_TYPE', 'not a FHIR R4 resource type');
    const refs: [string, string][] = [];
    collectReferences(r.json, refs);
    for (const [t, id] of refs) this.s.reference.run(r.type, r.id, t, id);
    if (r.type === 'Patient') this.indexPatient(r.json);
    else if (r.type === 'Organization') this.indexUnit(r.json);
  }

  private indexPatient(p: J): void {
    const id = p.id as string;
    const name = arr(p.name).find((n) => n.use === 'official') ?? arr(p.name)[0] ?? {};
    const given = arr(name.given).map(String).join(' ');
    const family = str(name.family) ?? '';
    const display =
      (str(name.text) ?? `${given} ${family}`).normalize('NFC').trim() || '(namn saknas)';
    const identifiers = arr(p.identifier);
    const known = new Set<string>(Object.values(IDENTIFIER_SYSTEMS));
    const ident =
      identifiers.find(
        (i) => known.has(str(i.system) ?? '') || (str(i.system) ?? '') in IDENTIFIER_OIDS,
      ) ?? identifiers[0];
    const identValue = str(ident?.value);
    const parsed = identValue ? parseIdentity(identValue, this.today) : undefined;
    if (parsed && parsed.kind !== 'reservnummer' && !parsed.checksumValid)
      this.s.finding.run(
        'Patient',
        id,
        'IDENTITY_CHECKSUM',
        'identity number has a wrong check digit',
      );
    const roomExt = arr(p.extension).find((e) => str(e.url)?.endsWith('/residence-room'));
    const room = str((roomExt?.valueReference as J | undefined)?.display);
    const isProtected = arr((p.meta as J | undefined)?.security).some(
      (c) => c.code === 'R' || c.code === 'V',
    );
    this.s.patient.run({
      id,
      unit: refId(p.managingOrganization, 'Organization') ?? null,
      roomRef: refId(roomExt?.valueReference, 'Location') ?? null,
      room: room ?? null,
      family,
      given,
      display,
      fold: foldForSearch(`${display} ${room ?? ''}`),
      identValue: identValue ?? null,
      identNorm: parsed?.normalized ?? null,
      identKind: parsed?.kind ?? null,
      identValid: parsed?.checksumValid ? 1 : 0,
      birthDate: str(p.birthDate) ?? null,
      gender: str(p.gender) ?? null,
      protected: isProtected ? 1 : 0,
    });
  }

  private indexUnit(o: J): void {
    const hsa = arr(o.identifier).find((i) => String(i.system).endsWith('1.2.752.29.4.19'));
    const kind = str(arr(arr(o.type)[0]?.coding)[0]?.code);
    const phone = str(arr(o.telecom).find((t) => t.system === 'phone')?.value);
    this.s.unit.run(
      o.id,
      str(o.name) ?? String(o.id),
      kind ?? null,
      refId(o.partOf, 'Organization') ?? null,
      str(hsa?.value) ?? null,
      phone ?? null,
    );
  }

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
      this.db.exec(`INSERT INTO finding (type, id, code, detail)
                    SELECT DISTINCT r.from_type, r.from_id, 'DANGLING_REFERENCE', r.target_type || '/' || r.target_id
                      FROM reference r LEFT JOIN resource t ON t.type = r.target_type AND t.id = r.target_id
                     WHERE t.pk IS NULL`);
      this.db.exec(`INSERT INTO patient_search (patient_search) VALUES ('rebuild')`);
      const put = this.db.prepare('INSERT INTO snapshot_info (key, value) VALUES (?, ?)');
      for (const [k, v] of Object.entries({ ...info, resourceCount: String(this.stored) }))
        put.run(k, v);
    })();
    return { stored: this.stored, identicalDuplicates: this.duplicates };
  }
}
