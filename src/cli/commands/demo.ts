/**
 * `reservjournal demo` (what `npm start` runs): the whole pipeline on synthetic data.
 *
 * In the demo folder it creates, on first run, an exporter key pair and a station that trusts
 * it; then for the latest scheduled export time (06:00 or 18:00 Swedish time) it generates a
 * synthetic municipality, builds a signed, encrypted snapshot, imports it into the station and
 * serves the station. A later start in the same export slot reuses what is there.
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config/config.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { generate } from '../../generate/generate.ts';
import { addDays, localInstant, stockholmDate } from '../../generate/time.ts';
import { buildSnapshot } from '../../snapshot/build.ts';
import { loadPrivateKey, loadPublicKey } from '../../snapshot/keys.ts';
import { initStation, openStation } from '../../station/station.ts';
import { stationPaths } from '../../store/station-files.ts';
import { intOption, parse, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { createExporterKeys } from './snapshot.ts';
import { stationSnapshotSource } from '../../station/snapshot-source.ts';
import { demoSignInHelp, ensureDemoAccounts } from './demo-accounts.ts';
import { importFile, loggerFor, serveStation, stationConfig } from './station.ts';
import { runDemoFhirServer } from './demo-fhir.ts';

export const DEMO_SEED = 'reservjournal-demo';

/**
 * Whom to call, for the demo's sign-in page. The numbers are from the range the Swedish
 * regulator reserves for fiction (070-174 06 05 to 070-174 06 99): they reach nobody.
 */
const DEMO_CONTACTS = {
  onCallManager: '070-174 06 05 (demo)',
  nurse: '070-174 06 06 (demo)',
  instructions:
    'Demo: be jourhavande enhetschef om en nödkod för din enhet. Koden gäller i högst 12 timmar.',
};

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

/** Sequence numbers grow with the export slot: hours since 1970. */
export function sequenceForSlot(slot: Date): number {
  return Math.floor(slot.getTime() / 3_600_000);
}

export function demoLayout(root: string) {
  return {
    root,
    exporterDir: path.join(root, 'exporter'),
    stationDir: path.join(root, 'station'),
    exportDir: path.join(root, 'export'),
    outboxDir: path.join(root, 'outbox'),
  };
}

export async function runDemo(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'fhir-server') return runDemoFhirServer(args.slice(1), io);
  const { values } = parse(args, { ...STATION_OPTIONS, people: { type: 'string' } });
  const people = intOption(values.people, '--people', 300);
  if (people < 10)
    throw new ReservError('USAGE', {
      details: ['--people must be at least 10 (the edge cases need ten people)'],
    });
  const config = stationConfig(values, io, '.reservjournal/demo', { contacts: DEMO_CONTACTS });
  const log = loggerFor(config, io);
  const demo = demoLayout(config.dataDir);
  try {
    mkdirSync(demo.root, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ReservError('DATA_DIR_UNUSABLE', { details: [`folder: ${demo.root}`], cause });
  }
  if (!existsSync(path.join(demo.exporterDir, 'exporter.key')))
    createExporterKeys(demo.exporterDir);
  if (!existsSync(stationPaths(demo.stationDir).control)) {
    initStation({
      dataDir: demo.stationDir,
      trustExporterPem: readFileSync(path.join(demo.exporterDir, 'exporter.pub'), 'utf8'),
      name: 'demo',
      clock: systemClock,
    });
  }
  const slot = latestExportSlot(systemClock.now());
  const sequence = sequenceForSlot(slot);
  const station = openStation(demo.stationDir);
  const accepted = station.row().lastAcceptedSequence;
  station.close();
  const stationConfigFor: Config = { ...config, dataDir: demo.stationDir };
  if (accepted < sequence) {
    io.stdout(`Skapar syntetiska demodata för ${people} personer …\n`);
    generate({
      people,
      seed: DEMO_SEED,
      outDir: demo.exportDir,
      asOf: slot.toISOString(),
      force: true,
    });
    mkdirSync(demo.outboxDir, { recursive: true });
    const signKey = loadPrivateKey(path.join(demo.exporterDir, 'exporter.key'), 'ed25519');
    const outFile = path.join(demo.outboxDir, `snapshot-${sequence}.rjsnap`);
    await buildSnapshot({
      sourceDir: demo.exportDir,
      sequence,
      signKey,
      signPublicKey: createPublicKey(signKey),
      recipients: [loadPublicKey(stationPaths(demo.stationDir).stationPub, 'x25519')],
      outFile,
      clock: systemClock,
    });
    await importFile(stationConfigFor, outFile, io, log);
  }
  const opened = openStation(demo.stationDir);
  let signInHelp: string[];
  try {
    const source = stationSnapshotSource(opened);
    const snapshot = source.current();
    try {
      await ensureDemoAccounts(opened.control, snapshot?.db, systemClock);
    } finally {
      snapshot?.release?.();
      source.close();
    }
    signInHelp = demoSignInHelp(opened.control);
  } finally {
    opened.close();
  }
  return serveStation(stationConfigFor, io, log, (url) =>
    [
      '',
      `Reservjournal demo: ${url}`,
      '',
      `Öppna ${url} i webbläsaren (open it in a browser).`,
      ...signInHelp,
      `Data: ${people} syntetiska personer, inga riktiga uppgifter. Demo folder: ${demo.root}`,
      'Stoppa med Ctrl-C.',
      '',
    ].join('\n'),
  );
}
