/**
 * One entry for every kind of source: pull into a Bulk-Data-shaped folder.
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { ReservError } from '../core/errors.ts';
import { readBulkManifest } from './bulk-folder.ts';
import type { PullDeps, PullResult, SourceSpec } from './source.ts';

export async function pullSource(
  spec: SourceSpec,
  outDir: string,
  deps: PullDeps,
): Promise<PullResult> {
  switch (spec.kind) {
    case 'ndjson-folder': {
      const manifest = readBulkManifest(spec.dir);
      mkdirSync(outDir, { recursive: true });
      cpSync(path.join(spec.dir, 'manifest.json'), path.join(outDir, 'manifest.json'));
      for (const o of manifest.output) cpSync(path.join(spec.dir, o.url), path.join(outDir, o.url));
      deps.log.info('pull.folder', { files: manifest.output.length });
      return {
        manifest,
        resources: manifest.output.reduce((n, o) => n + (o.count ?? 0), 0),
        warnings: [],
      };
    }
    default:
      throw new ReservError('USAGE', { details: [`source kind ${spec.kind} is not built yet`] });
  }
}
