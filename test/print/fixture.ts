/**
 * A real station database for the print tests: generated people (with the edge cases of
 * src/generate/person.ts) loaded into real SQLite, plus one planted resource the generator does
 * not write, a resuscitation decision whose date is missing from the copy. A fixed clock, a
 * fixed audit reference and the copy's own transactionTime make every printout repeatable.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SYSTEMS } from '../../src/core/fhir-systems.ts';
import { silentLogger } from '../../src/core/log.ts';
import { DEFAULT_AS_OF, generate, type BulkManifest } from '../../src/generate/generate.ts';
import { sv, type Messages } from '../../src/i18n/messages.ts';
import type { PrintMeta } from '../../src/print/meta.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { snapshotInfo } from '../../src/store/queries.ts';
import { buildResidentView, type ResidentView } from '../../src/views/resident.ts';
import { tempDir } from '../helpers/tmp.ts';

export const NOW = new Date('2026-11-27T08:00:00Z');
export const TIME_ZONE = 'Europe/Stockholm';
/** The hash of "the audit entry that recorded this print" in these tests. */
export const AUDIT_HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

export interface PrintStation {
  readonly db: Db;
  readonly sourceDir: string;
  /** Patient ids in generator order: person i is line i of Patient.ndjson. */
  readonly patientIds: readonly string[];
  /** The person given an undated resuscitation decision (and no dated one). */
  readonly undatedHlr: string;
  lines(type: string): string[];
  view(id: string): ResidentView;
  meta(overrides?: Partial<PrintMeta> & { m?: Messages }): PrintMeta;
}

export async function printStation(prefix: string, people = 60): Promise<PrintStation> {
  const dir = tempDir(prefix);
  const sourceDir = path.join(dir, 'export');
  generate({ people, seed: 'print', outDir: sourceDir });
  const lines = (type: string): string[] => {
    try {
      return readFileSync(path.join(sourceDir, `${type}.ndjson`), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
    } catch {
      return [];
    }
  };
  const patientIds = lines('Patient').map((l) => (JSON.parse(l) as { id: string }).id);
  const hasHlr = (id: string) =>
    lines('ServiceRequest').some((l) => l.includes(`"Patient/${id}"`) && l.includes('89666000'));
  // Past the edge cases, someone with no decision of their own.
  const undatedHlr = patientIds.slice(12).find((id) => !hasHlr(id))!;
  const file = path.join(sourceDir, 'ServiceRequest.ndjson');
  appendFileSync(
    file,
    `{"resourceType":"ServiceRequest","id":"plant-hlr-undated","status":"active","intent":"order","doNotPerform":true,"code":{"coding":[{"system":"${SYSTEMS.snomed}","code":"89666000"}],"text":"HLR"},"subject":{"reference":"Patient/${undatedHlr}"},"requester":{"display":"Doktor Odaterad"}}\n`,
  );
  const manifestFile = path.join(sourceDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BulkManifest;
  const out = manifest.output.find((o) => o.type === 'ServiceRequest')!;
  (out as { count: number }).count += 1;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

  await loadBulkExport({
    sourceDir,
    dbFile: path.join(dir, 'station.sqlite'),
    now: new Date(DEFAULT_AS_OF),
    log: silentLogger,
  });
  const db = openReadOnly(path.join(dir, 'station.sqlite'));
  const transactionTime = snapshotInfo(db).transactionTime;
  return {
    db,
    sourceDir,
    patientIds,
    undatedHlr,
    lines,
    view(id) {
      const v = buildResidentView(db, id, { now: NOW, timeZone: TIME_ZONE });
      if (!v) throw new Error(`no resident ${id}`);
      return v;
    },
    meta: (overrides = {}) => ({
      m: sv,
      timeZone: TIME_ZONE,
      transactionTime,
      printedBy: 'ssk.anna',
      printedAt: NOW,
      auditRef: AUDIT_HASH.slice(0, 12),
      ...overrides,
    }),
  };
}
