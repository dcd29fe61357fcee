/**
 * `reservjournal demo` (what `npm start` runs): synthetic data for a whole municipality,
 * generated into the data directory, loaded and served. The export time is the latest scheduled
 * export (06:00 or 18:00 Swedish time), so the demo looks like a station that received its copy
 * on schedule; data from an earlier slot is generated anew.
 */
import { existsSync, readFileSync } from 'node:fs';
import { systemClock } from '../../core/clock.ts';
import { generate } from '../../generate/generate.ts';
import { addDays, localInstant, stockholmDate } from '../../generate/time.ts';
import { openReadOnly } from '../../store/db.ts';
import { loadBulkExport } from '../../store/load-bulk.ts';
import { snapshotInfo } from '../../store/queries.ts';
import { stationPaths } from '../../store/station-files.ts';
import { intOption, parse, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import {
  ensureDataDir,
  loggerFor,
  openSnapshot,
  serveUntilStopped,
  stationConfig,
} from './station.ts';

export const DEMO_SEED = 'reservjournal-demo';

/** The latest 06:00 or 18:00 in Stockholm at or before `now`. */
export function latestExportSlot(now: Date): Date {
  const today = stockholmDate(now);
  const candidates = [
    localInstant(today, '18:00'),
    localInstant(today, '06:00'),
    localInstant(addDays(today, -1), '18:00'),
  ].map((s) => new Date(s));
  return candidates.find((c) => c.getTime() <= now.getTime()) ?? candidates[2]!;
}

function manifestMatches(file: string, asOf: string, people: number): boolean {
  if (!existsSync(file)) return false;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as {
      transactionTime?: string;
      extension?: Record<string, { people?: number; seed?: string }>;
    };
    const gen = Object.values(m.extension ?? {})[0];
    return m.transactionTime === asOf && gen?.people === people && gen.seed === DEMO_SEED;
  } catch {
    return false;
  }
}

export async function runDemo(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...STATION_OPTIONS, people: { type: 'string' } });
  const people = intOption(values.people, '--people', 300);
  const config = stationConfig(values, io, '.reservjournal/demo');
  const log = loggerFor(config, io);
  const paths = stationPaths(config.dataDir);
  ensureDataDir(config.dataDir);
  const asOf = latestExportSlot(systemClock.now()).toISOString();

  const exportFresh = manifestMatches(`${paths.demoExport}/manifest.json`, asOf, people);
  if (!exportFresh) {
    io.stdout(`Skapar syntetiska demodata för ${people} personer …\n`);
    generate({ people, seed: DEMO_SEED, outDir: paths.demoExport, asOf, force: true });
  }
  let loaded = false;
  if (exportFresh && existsSync(paths.database)) {
    const db = openReadOnly(paths.database);
    loaded = snapshotInfo(db).transactionTime === asOf;
    db.close();
  }
  if (!loaded) {
    await loadBulkExport({
      sourceDir: paths.demoExport,
      dbFile: paths.database,
      now: systemClock.now(),
      log,
    });
  }
  const snapshot = openSnapshot(config);
  return serveUntilStopped(config, snapshot, log, io, (url) =>
    [
      '',
      `Reservjournal demo: ${url}`,
      '',
      `Öppna ${url} i webbläsaren (open it in a browser).`,
      'Inloggning: demon har ännu ingen inloggning – personliga konton och nödåtkomst kommer i nästa version.',
      '(Sign-in: the demo has no sign-in yet; personal accounts and emergency codes come next.)',
      `Data: ${people} syntetiska personer, inga riktiga uppgifter. Data directory: ${config.dataDir}`,
      'Stoppa med Ctrl-C.',
      '',
    ].join('\n'),
  );
}
