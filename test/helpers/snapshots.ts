/**
 * Exporters, stations and snapshots for tests, built with the real code on real files.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixedClock, type Clock } from '../../src/core/clock.ts';
import type { Failpoint } from '../../src/core/failpoints.ts';
import { silentLogger } from '../../src/core/log.ts';
import { generate } from '../../src/generate/generate.ts';
import { buildSnapshot } from '../../src/snapshot/build.ts';
import type { Environment } from '../../src/snapshot/format.ts';
import { importSnapshot, type ImportResult } from '../../src/snapshot/import.ts';
import { generateKeyPair, loadPrivateKey, loadPublicKey } from '../../src/snapshot/keys.ts';
import { initStation, openStation } from '../../src/station/station.ts';
import { stationStatus, type StationStatus } from '../../src/station/status.ts';
import type { Limits } from '../../src/snapshot/verify.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { writeExport } from './export-fixture.ts';
import { createExporterKeys } from '../../src/cli/commands/snapshot.ts';

export const CLOCK: Clock = fixedClock('2026-11-27T08:00:00Z');

export interface Exporter {
  readonly dir: string;
  readonly signKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly pubFile: string;
}

export function makeExporter(dir: string): Exporter {
  createExporterKeys(dir);
  const signKey = loadPrivateKey(path.join(dir, 'exporter.key'), 'ed25519');
  return {
    dir,
    signKey,
    publicKey: createPublicKey(signKey),
    pubFile: path.join(dir, 'exporter.pub'),
  };
}

export interface TestStationDir {
  readonly dataDir: string;
  readonly publicKey: KeyObject;
  readonly keyId: string;
}

export function makeStation(
  dataDir: string,
  exporter: Exporter,
  options: { name?: string; environment?: Environment } = {},
): TestStationDir {
  const { keyId } = initStation({
    dataDir,
    trustExporterPem: readFileSync(exporter.pubFile, 'utf8'),
    clock: CLOCK,
    ...options,
  });
  return { dataDir, keyId, publicKey: loadPublicKey(stationPaths(dataDir).stationPub, 'x25519') };
}

export interface BuildArgs {
  readonly sourceDir: string;
  readonly sequence: number;
  readonly exporter: Exporter;
  readonly recipients: readonly KeyObject[];
  readonly out: string;
  readonly environment?: Environment;
  readonly targets?: readonly string[];
  readonly checkSource?: boolean;
}

export async function build(args: BuildArgs): Promise<string> {
  await buildSnapshot({
    sourceDir: args.sourceDir,
    sequence: args.sequence,
    signKey: args.exporter.signKey,
    signPublicKey: args.exporter.publicKey,
    recipients: args.recipients,
    outFile: args.out,
    clock: CLOCK,
    ...(args.environment ? { environment: args.environment } : {}),
    ...(args.targets ? { targets: args.targets } : {}),
    ...(args.checkSource === false ? { checkSource: false } : {}),
  });
  return args.out;
}

/** A generated export folder of `people` people. */
export function generatedSource(dir: string, people = 12, seed = 'snap'): string {
  generate({ people, seed, outDir: dir });
  return dir;
}

/** An export folder from inline NDJSON lines per type. */
export function inlineSource(dir: string, files: Record<string, string[]>): string {
  return writeExport(dir, files);
}

export function importInto(
  station: TestStationDir,
  file: string,
  options: { failpoint?: Failpoint; limits?: Limits; keep?: number; clock?: Clock } = {},
): Promise<ImportResult> {
  return importSnapshot(station.dataDir, file, {
    clock: options.clock ?? CLOCK,
    log: silentLogger,
    ...(options.failpoint ? { failpoint: options.failpoint } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.keep ? { keep: options.keep } : {}),
  });
}

export function statusOf(station: TestStationDir): StationStatus {
  const s = openStation(station.dataDir);
  try {
    return stationStatus(s, CLOCK.now(), { warningHours: 14, criticalHours: 26 });
  } finally {
    s.close();
  }
}

/** A failpoint recorder: the names reached, in order. "stage" reached means parsing began. */
export function recorder(): { failpoint: Failpoint; reached: string[] } {
  const reached: string[] = [];
  return { failpoint: (name) => void reached.push(name), reached };
}

/** A fresh X25519 public key of a station that is not ours. */
export function strangerStationKey(): KeyObject {
  return createPublicKey(generateKeyPair('x25519').publicPem);
}
