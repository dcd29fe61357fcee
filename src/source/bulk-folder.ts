/**
 * A FHIR Bulk Data export folder as written by `reservjournal generate` (and by `pull` later):
 * manifest.json plus one NDJSON file per resource type, named by a plain relative file name.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';

export interface ManifestOutput {
  type: string;
  url: string;
  count?: number;
}

export interface BulkFolderManifest {
  transactionTime: string;
  output: ManifestOutput[];
}

export function readBulkManifest(sourceDir: string): BulkFolderManifest {
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
  const m = parsed as Partial<BulkFolderManifest>;
  const problems: string[] = [];
  if (typeof m.transactionTime !== 'string' || Number.isNaN(Date.parse(m.transactionTime)))
    problems.push('transactionTime is missing or not an instant');
  if (!Array.isArray(m.output)) problems.push('output is missing');
  const types = new Set<string>();
  for (const [k, o] of (m.output ?? []).entries()) {
    if (
      typeof o?.type !== 'string' ||
      typeof o.url !== 'string' ||
      !/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(o.type)
    )
      problems.push(`output[${k}] needs a resource type and a url`);
    else if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(o.url))
      problems.push(`output[${k}].url must be a plain file name in the export folder`);
    else if (types.has(o.type)) problems.push(`output[${k}]: more than one file of type ${o.type}`);
    else types.add(o.type);
  }
  if (problems.length > 0) throw new ReservError('SOURCE_MANIFEST_INVALID', { details: problems });
  return m as BulkFolderManifest;
}
