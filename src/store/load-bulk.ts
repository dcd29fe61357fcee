/**
 * Loading a FHIR Bulk Data export folder (manifest.json + NDJSON files) into a new station
 * database. This is the walking skeleton's path; the signed snapshot import replaces it.
 *
 * All or nothing: the database is built in `<target>.building`, checked, and only then renamed
 * over the target. A failure removes the half-built file and leaves the previous database alone.
 * Every resource is kept with its raw text; odd but authentic data (an identity number with a
 * bad check digit) is flagged in `finding`, never dropped.
 */
import { createReadStream, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ReservError } from '../core/errors.ts';
import { foldForSearch } from '../core/fold.ts';
import { op, type Logger } from '../core/log.ts';
import { IDENTIFIER_OIDS, IDENTIFIER_SYSTEMS, parseIdentity } from '../core/personnummer.ts';
import { createForBulkLoad, type Db } from './db.ts';
import { dateOf, patientOf, statusOf } from './index-columns.ts';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const BATCH = 2000;

export interface ManifestOutput {
  type: string;
  url: string;
  count?: number;
}

export interface LoadedManifest {
  transactionTime: string;
  output: ManifestOutput[];
}

export function readManifest(sourceDir: string): LoadedManifest {
  const file = path.join(sourceDir, 'manifest.json');
  if (!existsSync(file))
    throw new ReservError('SOURCE_NOT_FOUND', { details: [`folder: ${sourceDir}`] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ReservError('SOURCE_MANIFEST_INVALID', {
      details: ['manifest.json is not JSON'],
      cause,
    });
  }
  const m = parsed as Partial<LoadedManifest>;
  const problems: string[] = [];
  if (typeof m.transactionTime !== 'string' || Number.isNaN(Date.parse(m.transactionTime)))
    problems.push('transactionTime is missing or not an instant');
  if (!Array.isArray(m.output)) problems.push('output is missing');
  for (const [k, o] of (m.output ?? []).entries()) {
    if (typeof o?.type !== 'string' || typeof o.url !== 'string')
      problems.push(`output[${k}] needs type and url`);
    else if (o.url.includes('/') || o.url.includes('\\') || o.url.startsWith('.'))
      problems.push(`output[${k}].url must be a plain file name in the export folder`);
  }
  if (problems.length > 0) throw new ReservError('SOURCE_MANIFEST_INVALID', { details: problems });
  return m as LoadedManifest;
}

interface Row {
  type: string;
  id: string;
  raw: string;
  json: Record<string, unknown>;
}

function prepare(db: Db) {
  const insertResource = db.prepare(
    'INSERT INTO resource (type, id, patient_id, date, status, raw) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertPatient = db.prepare(`INSERT INTO patient
    (id, unit_id, room_ref, room, family, given, name_display, search_fold, ident_value, ident_norm,
     ident_kind, ident_valid, birth_date, gender, protected)
    VALUES (@id, @unit, @roomRef, @room, @family, @given, @display, @fold, @identValue, @identNorm,
     @identKind, @identValid, @birthDate, @gender, @protected)`);
  const insertUnit = db.prepare(
    'INSERT INTO unit (id, name, kind, parent_id, hsa_id, phone) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertFinding = db.prepare(
    'INSERT INTO finding (type, id, code, detail) VALUES (?, ?, ?, ?)',
  );
  return { insertResource, insertPatient, insertUnit, insertFinding };
}

type Statements = ReturnType<typeof prepare>;
type J = Record<string, unknown>;

const arr = (v: unknown): J[] => (Array.isArray(v) ? (v as J[]) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const refId = (v: unknown, type: string): string | undefined => {
  const r = str((v as J | undefined)?.reference);
  return r?.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
};

function indexPatient(s: Statements, p: J, today: Date): void {
  const id = p.id as string;
  const name = arr(p.name).find((n) => n.use === 'official') ?? arr(p.name)[0] ?? {};
  const given = arr(name.given).map(String).join(' ');
  const family = str(name.family) ?? '';
  const display =
    (str(name.text) ?? `${given} ${family}`).normalize('NFC').trim() || '(namn saknas)';
  const identifiers = arr(p.identifier);
  const known = new Set<string>(Object.values(IDENTIFIER_SYSTEMS));
  const ident =
    identifiers.find((i) => known.has(str(i.system) ?? '') || str(i.system)! in IDENTIFIER_OIDS) ??
    identifiers[0];
  const identValue = str(ident?.value);
  const parsed = identValue ? parseIdentity(identValue, today) : undefined;
  if (parsed && parsed.kind !== 'reservnummer' && !parsed.checksumValid) {
    s.insertFinding.run(
      'Patient',
      id,
      'IDENTITY_CHECKSUM',
      'identity number has a wrong check digit',
    );
  }
  const roomExt = arr(p.extension).find((e) => str(e.url)?.endsWith('/residence-room'));
  const roomRef = refId(roomExt?.valueReference, 'Location');
  const room = str((roomExt?.valueReference as J | undefined)?.display);
  const security = arr((p.meta as J | undefined)?.security);
  const isProtected = security.some((c) => c.code === 'R' || c.code === 'V');
  s.insertPatient.run({
    id,
    unit: refId(p.managingOrganization, 'Organization') ?? null,
    roomRef: roomRef ?? null,
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

function indexUnit(s: Statements, o: J): void {
  const hsa = arr(o.identifier).find((i) => String(i.system).endsWith('1.2.752.29.4.19'));
  const kind = str(arr(arr(o.type)[0]?.coding)[0]?.code);
  const phone = str(arr(o.telecom).find((t) => t.system === 'phone')?.value);
  s.insertUnit.run(
    o.id,
    str(o.name) ?? String(o.id),
    kind ?? null,
    refId(o.partOf, 'Organization') ?? null,
    str(hsa?.value) ?? null,
    phone ?? null,
  );
}

function insertBatch(db: Db, s: Statements, rows: Row[], today: Date): void {
  db.transaction(() => {
    for (const r of rows) {
      s.insertResource.run(
        r.type,
        r.id,
        patientOf(r.json) ?? null,
        dateOf(r.json) ?? null,
        statusOf(r.json) ?? null,
        r.raw,
      );
      if (r.type === 'Patient') indexPatient(s, r.json, today);
      else if (r.type === 'Organization') indexUnit(s, r.json);
    }
  })();
}

async function loadFile(
  db: Db,
  s: Statements,
  sourceDir: string,
  out: ManifestOutput,
  today: Date,
): Promise<number> {
  const file = path.join(sourceDir, out.url);
  if (!existsSync(file))
    throw new ReservError('SOURCE_FILE_INVALID', { details: [`${out.url}: file is missing`] });
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let batch: Row[] = [];
  let lineNo = 0;
  let count = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let json: J;
    try {
      json = JSON.parse(line) as J;
    } catch {
      // The parser's message can quote the line: keep only the position, never the content.
      throw new ReservError('SOURCE_FILE_INVALID', {
        details: [`${out.url} line ${lineNo}: not valid JSON`],
      });
    }
    if (
      json === null ||
      typeof json !== 'object' ||
      Array.isArray(json) ||
      json.resourceType !== out.type
    )
      throw new ReservError('SOURCE_FILE_INVALID', {
        details: [`${out.url} line ${lineNo}: not a ${out.type} resource`],
      });
    if (typeof json.id !== 'string' || !FHIR_ID.test(json.id))
      throw new ReservError('SOURCE_FILE_INVALID', {
        details: [`${out.url} line ${lineNo}: missing or invalid resource id`],
      });
    batch.push({ type: out.type, id: json.id, raw: line, json });
    count++;
    if (batch.length >= BATCH) {
      insertBatch(db, s, batch, today);
      batch = [];
    }
  }
  if (batch.length > 0) insertBatch(db, s, batch, today);
  if (out.count !== undefined && out.count !== count)
    throw new ReservError('SOURCE_FILE_INVALID', {
      details: [`${out.url}: manifest says ${out.count} resources, file has ${count}`],
    });
  return count;
}

export interface LoadResult {
  readonly transactionTime: string;
  readonly resources: number;
  readonly patients: number;
}

export async function loadBulkExport(options: {
  sourceDir: string;
  dbFile: string;
  now: Date;
  log: Logger;
}): Promise<LoadResult> {
  const manifest = readManifest(options.sourceDir);
  const building = `${options.dbFile}.building`;
  rmSync(building, { force: true });
  const db = createForBulkLoad(building);
  try {
    const s = prepare(db);
    let resources = 0;
    for (const out of manifest.output) {
      resources += await loadFile(db, s, options.sourceDir, out, options.now);
    }
    db.transaction(() => {
      // Rooms named only by reference get their Location's name.
      db.exec(`UPDATE patient SET room = (SELECT json_extract(raw, '$.name') FROM resource
                 WHERE type = 'Location' AND id = patient.room_ref)
               WHERE room IS NULL AND room_ref IS NOT NULL`);
      db.exec(`INSERT INTO patient_search (patient_search) VALUES ('rebuild')`);
      const info = db.prepare('INSERT INTO snapshot_info (key, value) VALUES (?, ?)');
      info.run('transactionTime', new Date(manifest.transactionTime).toISOString());
      info.run('loadedAt', options.now.toISOString());
      info.run('resourceCount', String(resources));
    })();
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new ReservError('INTERNAL', { details: ['integrity check failed'] });
    const patients = (db.prepare('SELECT count(*) AS n FROM patient').get() as { n: number }).n;
    db.close();
    renameSync(building, options.dbFile);
    options.log.info('load.done', { resources, patients, file: op(path.basename(options.dbFile)) });
    return { transactionTime: manifest.transactionTime, resources, patients };
  } catch (error) {
    if (db.open) db.close();
    rmSync(building, { force: true });
    throw error;
  }
}
