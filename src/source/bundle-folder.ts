/**
 * A folder of FHIR Bundle JSON files (each `*.json` directly in the folder, in name order) as a
 * source: the resources of `collection`, `transaction`, `batch`, `searchset` and `document`
 * Bundles, search entries other than `match` left out, requests without a resource (DELETE)
 * skipped. The copy's transactionTime is the latest Bundle.timestamp; when no Bundle has one
 * the pull time is used, with a warning, since nothing better says how old the data is.
 *
 * A Bundle file is read whole (it is one JSON document); files above MAX_BUNDLE_BYTES are refused
 * so one stray file cannot exhaust memory. `history` Bundles are refused: they hold several
 * versions and deletions of a resource, not one current copy.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import { parseBundle } from './bundle-entries.ts';
import type { FolderWriter } from './folder-writer.ts';

export const MAX_BUNDLE_BYTES = 256 * 1024 * 1024;
const ACCEPTED = new Set(['collection', 'transaction', 'batch', 'searchset', 'document']);

function invalid(file: string, what: string): ReservError {
  return new ReservError('SOURCE_FILE_INVALID', { details: [`${file}: ${what}`] });
}

export function pullBundleFolder(
  dir: string,
  writer: FolderWriter,
  clock: Clock,
): { transactionTime: string; request: string; warnings: string[]; skipped: number } {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.toLowerCase().endsWith('.json'))
      .sort();
  } catch (cause) {
    throw new ReservError('SOURCE_NOT_FOUND', { details: [`folder: ${dir}`], cause });
  }
  if (names.length === 0)
    throw new ReservError('SOURCE_FILE_INVALID', {
      details: [`${dir} holds no .json Bundle files`],
    });
  let latest: number | undefined;
  let latestText: string | undefined;
  let skipped = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    if (statSync(file).size > MAX_BUNDLE_BYTES)
      throw invalid(name, `larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MiB`);
    let bundle;
    try {
      bundle = parseBundle(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    } catch (cause) {
      throw new ReservError('SOURCE_FILE_INVALID', {
        details: [
          `${name}: ${cause instanceof SyntaxError ? 'not valid JSON' : 'not a FHIR Bundle'}`,
        ],
        cause,
      });
    }
    if (bundle.type === undefined || !ACCEPTED.has(bundle.type))
      throw invalid(
        name,
        `a ${bundle.type ?? 'untyped'} Bundle cannot be read as a copy (use collection, transaction, batch, searchset or document)`,
      );
    for (const [i, r] of bundle.resources.entries())
      writer.addResource(r.resourceType, r.id, r.text, `${name} entry ${i + 1}`);
    skipped += bundle.skipped;
    if (bundle.timestamp !== undefined) {
      const t = Date.parse(bundle.timestamp);
      if (Number.isNaN(t)) throw invalid(name, 'Bundle.timestamp is not an instant');
      if (latest === undefined || t > latest) {
        latest = t;
        latestText = bundle.timestamp;
      }
    }
  }
  const warnings: string[] = [];
  if (latestText === undefined)
    warnings.push('no Bundle has a timestamp: the copy is dated by the time of this pull');
  return {
    transactionTime:
      latestText !== undefined ? new Date(latest!).toISOString() : clock.now().toISOString(),
    request: `bundle folder ${path.basename(dir)} (${names.length} files)`,
    warnings,
    skipped,
  };
}
