/**
 * The synthetic data generator: a whole municipality's elderly care written as a FHIR Bulk Data
 * export folder (one NDJSON file per resource type and a manifest.json).
 *
 * Same seed and options give the same bytes: the generator has its own fixed clock (`asOf`,
 * which becomes the manifest's transactionTime) and its own seeded random numbers. People are
 * generated and written one at a time, so memory does not grow with their number.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { createIdentityPool } from './identities.ts';
import { emitMunicipality, planLayout } from './municipality.ts';
import { NdjsonWriter, type WrittenFile } from './ndjson-writer.ts';
import { emitPerson } from './person.ts';
import { emitMedicationCatalogue } from './person-medication.ts';

/** The generator's fixed clock: 06:00 Swedish time on the project's reference day. */
export const DEFAULT_AS_OF = '2026-11-27T05:00:00.000Z';
export const SOURCE_BASE = 'https://journal.exempelby.example/fhir';

export interface GenerateOptions {
  readonly people: number;
  readonly seed: string;
  readonly outDir: string;
  readonly asOf?: string;
  /** Replace the contents of a non-empty output folder. */
  readonly force?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BulkManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string }[];
  extension?: Record<string, unknown>;
}

export interface GenerateResult {
  readonly manifest: BulkManifest;
  readonly files: WrittenFile[];
  readonly resources: number;
}

function prepareOutDir(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0) {
      if (!force) throw new ReservError('GENERATE_OUT_NOT_EMPTY', { details: [`folder: ${dir}`] });
      for (const e of entries) rmSync(path.join(dir, e), { recursive: true, force: true });
    }
  } else {
    mkdirSync(dir, { recursive: true });
  }
}

export function generate(options: GenerateOptions): GenerateResult {
  const asOfText = options.asOf ?? DEFAULT_AS_OF;
  const asOf = new Date(asOfText);
  if (!Number.isInteger(options.people) || options.people < 1)
    throw new ReservError('USAGE', { details: ['--people must be a whole number of at least 1'] });
  if (Number.isNaN(asOf.getTime()))
    throw new ReservError('USAGE', { details: ['--as-of must be an ISO 8601 instant'] });
  prepareOutDir(options.outDir, options.force ?? false);

  const writer = new NdjsonWriter(options.outDir);
  const emit = (r: { resourceType: string }) => writer.write(r);
  const layout = planLayout(options.people);
  const pool = createIdentityPool(options.seed, asOf.getUTCFullYear());
  emitMunicipality(options.seed, layout, asOf.toISOString(), emit);
  emitMedicationCatalogue(emit);
  for (let i = 0; i < options.people; i++) {
    emitPerson({ seed: options.seed, index: i, asOf, pool }, emit);
    if (options.onProgress && (i + 1) % 1000 === 0) options.onProgress(i + 1, options.people);
  }
  const files = writer.close();
  const manifest: BulkManifest = {
    transactionTime: asOf.toISOString(),
    request: `${SOURCE_BASE}/$export`,
    requiresAccessToken: false,
    output: files.map((f) => ({ type: f.type, url: f.file, count: f.count })),
    error: [],
    extension: {
      'http://reservjournal.example/fhir/generator': {
        generator: 'reservjournal generate',
        seed: options.seed,
        people: options.people,
      },
    },
  };
  writeFileSync(
    path.join(options.outDir, 'manifest.json'),
    JSON.stringify(manifest, null, 2) + '\n',
  );
  return { manifest, files, resources: files.reduce((n, f) => n + f.count, 0) };
}
