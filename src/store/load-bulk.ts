/**
 * Loading a FHIR Bulk Data export folder straight into an (unencrypted) station database. The
 * station itself only imports signed snapshots (src/snapshot/import.ts); this path serves tests
 * and benchmarks, and shares the ingest core with the import.
 *
 * All or nothing: the database is built in `<target>.building` and renamed over the target only
 * when complete; a failure removes the half-built file and leaves the previous one alone.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { lineFailure, LineSplitter } from '../core/lines.ts';
import { op, type Logger } from '../core/log.ts';
import { readBulkManifest, type ManifestOutput } from '../source/bulk-folder.ts';
import { createForBulkLoad, type Db } from './db.ts';
import { Ingest } from './ingest.ts';

const MAX_LINE_CHARS = 64 * 1024 * 1024;

async function loadFile(ingest: Ingest, sourceDir: string, out: ManifestOutput): Promise<number> {
  const file = path.join(sourceDir, out.url);
  if (!existsSync(file))
    throw new ReservError('SOURCE_FILE_INVALID', { details: [`${out.url}: file is missing`] });
  let count = 0;
  const splitter = new LineSplitter(MAX_LINE_CHARS, (line, lineNo) => {
    if (line.trim() === '') return;
    ingest.add(out.type, line, `${out.url} line ${lineNo}`);
    count++;
  });
  try {
    for await (const chunk of createReadStream(file)) splitter.push(chunk as Buffer);
    splitter.end();
  } catch (e) {
    throw lineFailure(e, out.url, 'SOURCE_FILE_INVALID');
  }
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
  const manifest = readBulkManifest(options.sourceDir);
  const building = `${options.dbFile}.building`;
  rmSync(building, { force: true });
  const db: Db = createForBulkLoad(building);
  try {
    const ingest = new Ingest(db, options.now, 'SOURCE_FILE_INVALID');
    for (const out of manifest.output) await loadFile(ingest, options.sourceDir, out);
    const summary = ingest.finish({
      // Not a signed snapshot, but every database names the copy it holds (the audit log and
      // the X-Reservjournal-Snapshot header use it).
      snapshotId: `bulk-${createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16)}`,
      transactionTime: new Date(manifest.transactionTime).toISOString(),
      loadedAt: options.now.toISOString(),
    });
    if (db.pragma('integrity_check', { simple: true }) !== 'ok')
      throw new ReservError('SNAPSHOT_CHECK_FAILED', { details: ['integrity check failed'] });
    const patients = (db.prepare('SELECT count(*) AS n FROM patient').get() as { n: number }).n;
    db.close();
    renameSync(building, options.dbFile);
    options.log.info('load.done', {
      resources: summary.stored,
      patients,
      file: op(path.basename(options.dbFile)),
    });
    return { transactionTime: manifest.transactionTime, resources: summary.stored, patients };
  } catch (error) {
    if (db.open) db.close();
    rmSync(building, { force: true });
    throw error;
  }
}
