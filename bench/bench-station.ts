/**
 * What the import and view benchmarks both start from: a generated export, an exporter key, a
 * station that trusts it, and one signed, encrypted snapshot of the export for that station.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createExporterKeys } from '../src/cli/commands/snapshot.ts';
import { systemClock } from '../src/core/clock.ts';
import { generate } from '../src/generate/generate.ts';
import { buildSnapshot } from '../src/snapshot/build.ts';
import { loadPrivateKey, loadPublicKey } from '../src/snapshot/keys.ts';
import { initStation } from '../src/station/station.ts';
import { stationPaths } from '../src/store/station-files.ts';

export interface BenchStation {
  readonly exportDir: string;
  readonly stationDir: string;
  readonly snapshot: string;
  /** Seconds spent building the snapshot (not generating). */
  readonly buildSeconds: number;
}

export async function benchStation(
  work: string,
  people: number,
  seed: string,
): Promise<BenchStation> {
  const exportDir = path.join(work, 'export');
  generate({ people, seed, outDir: exportDir });
  createExporterKeys(path.join(work, 'exporter'));
  const stationDir = path.join(work, 'station');
  initStation({
    dataDir: stationDir,
    trustExporterPem: readFileSync(path.join(work, 'exporter', 'exporter.pub'), 'utf8'),
    clock: systemClock,
  });
  const signKey = loadPrivateKey(path.join(work, 'exporter', 'exporter.key'), 'ed25519');
  const snapshot = path.join(work, 'snapshot.rjsnap');
  const started = performance.now();
  await buildSnapshot({
    sourceDir: exportDir,
    sequence: 1,
    signKey,
    signPublicKey: createPublicKey(signKey),
    recipients: [loadPublicKey(stationPaths(stationDir).stationPub, 'x25519')],
    outFile: snapshot,
    clock: systemClock,
  });
  return { exportDir, stationDir, snapshot, buildSeconds: (performance.now() - started) / 1000 };
}
