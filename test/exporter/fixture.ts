/**
 * An exporter set-up for tests, built with the real code on real files: a generated export, an
 * exporter key, real stations initialised under the names the config gives them, a config file,
 * and an alert command (a small script that appends each alert's JSON to a file).
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { createLogger, type Logger } from '../../src/core/log.ts';
import { loadExporterConfig, type ExporterConfig } from '../../src/exporter/config.ts';
import { generate } from '../../src/generate/generate.ts';
import { openStation } from '../../src/station/station.ts';
import { stationSnapshotSource } from '../../src/station/snapshot-source.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { appendCommand } from '../helpers/alert-hooks.ts';
import { CLOCK, makeExporter, makeStation, type TestStationDir } from '../helpers/snapshots.ts';

export interface StationSpec {
  readonly name: string;
  readonly units: readonly string[];
}

export interface ExporterFixture {
  readonly root: string;
  readonly sourceDir: string;
  readonly configFile: string;
  readonly config: ExporterConfig;
  readonly stations: Record<string, TestStationDir>;
  /** Every alert the alert command received, oldest first. */
  alerts(): { kind: string; code?: string; message: string; details?: string[] }[];
}

export function exporterFixture(
  root: string,
  options: {
    stations: readonly StationSpec[];
    people?: number;
    seed?: string;
    /** An existing export to read instead of generating one. */
    sourceDir?: string;
    extra?: Record<string, unknown>;
  },
): ExporterFixture {
  mkdirSync(root, { recursive: true });
  const sourceDir = options.sourceDir ?? path.join(root, 'export');
  if (!options.sourceDir)
    generate({
      people: options.people ?? 120,
      seed: options.seed ?? 'exporter',
      outDir: sourceDir,
    });
  const exporter = makeExporter(path.join(root, 'exporter-keys'));
  const stations: Record<string, TestStationDir> = {};
  for (const s of options.stations)
    stations[s.name] = makeStation(path.join(root, 'stations', s.name), exporter, { name: s.name });
  const hook = appendCommand(root);
  const configFile = path.join(root, 'exporter.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        name: 'central',
        source: { kind: 'ndjson-folder', dir: path.relative(root, sourceDir) },
        signKey: 'exporter-keys/exporter.key',
        outbox: 'outbox',
        stateDir: 'state',
        stations: options.stations.map((s) => ({
          name: s.name,
          publicKey: path.relative(root, stationPaths(stations[s.name]!.dataDir).stationPub),
          units: s.units,
        })),
        alert: { command: hook.command },
        ...options.extra,
      },
      null,
      2,
    ),
  );
  return {
    root,
    sourceDir,
    configFile,
    config: loadExporterConfig(configFile, CLOCK.now()),
    stations,
    alerts: () => hook.received() as ReturnType<ExporterFixture['alerts']>,
  };
}

/** A logger that keeps its lines (JSON objects) for assertions. */
export function recordingLogger(): { log: Logger; events: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  return {
    log: createLogger({ level: 'debug', sink: (l) => lines.push(l), now: () => CLOCK.now() }),
    events: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The resources of one NDJSON file, parsed (an absent file is empty). */
export function readNdjson(file: string): Record<string, unknown>[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** `type` → ids of the station's active snapshot, read from its real database. */
export function stationContents(station: TestStationDir): Map<string, Set<string>> {
  const open = openStation(station.dataDir);
  const source = stationSnapshotSource(open);
  try {
    const snapshot = source.current();
    if (!snapshot) throw new Error('the station has no active snapshot');
    const out = new Map<string, Set<string>>();
    for (const row of snapshot.db.prepare('SELECT type, id FROM resource').iterate() as Iterable<{
      type: string;
      id: string;
    }>) {
      const set = out.get(row.type) ?? new Set<string>();
      set.add(row.id);
      out.set(row.type, set);
    }
    return out;
  } finally {
    source.close();
    open.close();
  }
}
