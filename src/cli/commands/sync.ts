/**
 * The link commands: `sync` (one sync from the outbox, then exit) and `station run` (serve the
 * station and sync on its own schedule). Both import through `importFile`, so a synced snapshot
 * is audited exactly like one imported by hand.
 *
 * Test hooks: RESERVJOURNAL_SYNC_INTERVAL_MS shortens `station run`'s interval below the one
 * minute that link.intervalMinutes allows, and RESERVJOURNAL_SYNC_RETRY_MS the first back-off
 * wait of both commands, so end-to-end tests can watch several rounds and failures quickly.
 * Unset (always, outside tests) they do nothing.
 */
import type { Config } from '../../config/config.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../../link/download.ts';
import { afterSync, startStationLink } from '../../link/station-link.ts';
import { syncOnce, type SyncResult } from '../../link/sync.ts';
import { shownOutbox } from '../../link/transport.ts';
import { openStation } from '../../station/station.ts';
import { parse, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';
import { importFile, loggerFor, serveStation, stationConfig } from './station.ts';

const LINK_OPTIONS = { ...STATION_OPTIONS, from: { type: 'string' } } as const;

function linkConfig(args: string[], io: CliIo): Config {
  const { values } = parse(args, LINK_OPTIONS);
  return stationConfig(
    values,
    io,
    undefined,
    values.from !== undefined ? { link: { from: values.from } } : {},
  );
}

function requireFrom(config: Config): string {
  if (config.link.from === null)
    throw new ReservError('USAGE', {
      details: [
        'no outbox to sync from: give --from URL|DIR, or set link.from in the configuration (or RESERVJOURNAL_SYNC_FROM)',
      ],
    });
  return config.link.from;
}

/** Imports run without a progress bar here: `station run` writes to a service log. */
function importer(config: Config, io: CliIo, log: Logger) {
  const quiet: CliIo = { ...io, interactive: false };
  return (file: string) => importFile(config, file, quiet, log);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function testHook(io: CliIo, name: string): number | undefined {
  const value = Number(io.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function retryFor(io: CliIo): { retry?: RetryPolicy } {
  const base = testHook(io, 'RESERVJOURNAL_SYNC_RETRY_MS');
  return base === undefined ? {} : { retry: { ...DEFAULT_RETRY, baseDelayMs: base } };
}

export function describeResult(result: SyncResult): string {
  if (result.outcome === 'imported')
    return `Imported snapshot sequence ${result.sequence} from ${result.source} (${result.bytes} bytes downloaded); it is now active.`;
  if (result.outcome === 'up-to-date')
    return `Up to date: sequence ${result.sequence ?? 'none'} is the newest in ${result.source}.`;
  return `Sync from ${result.source} ended: ${result.error?.code ?? result.outcome}.`;
}

export async function runSync(args: string[], io: CliIo): Promise<number> {
  const config = linkConfig(args, io);
  const from = requireFrom(config);
  const log = loggerFor(config, io);
  const station = openStation(config.dataDir);
  try {
    const result = await syncOnce(
      station,
      { from, timeoutSeconds: config.link.timeoutSeconds, cwd: io.cwd },
      { clock: systemClock, log, sleep, importFile: importer(config, io, log), ...retryFor(io) },
    );
    // A sync run from cron instead of `station run` delivers and alerts all the same.
    await afterSync(station, config, { clock: systemClock, log });
    // A failure is the command's error: main prints it with its next step and exit code.
    if (result.error !== null) throw result.error;
    io.stdout(describeResult(result) + '\n');
    return 0;
  } finally {
    station.close();
  }
}

export async function runStationRun(args: string[], io: CliIo): Promise<number> {
  const config = linkConfig(args, io);
  const from = requireFrom(config);
  const log = loggerFor(config, io);
  const intervalMs = testHook(io, 'RESERVJOURNAL_SYNC_INTERVAL_MS');
  return serveStation(
    config,
    io,
    log,
    (url) =>
      `Reservjournal serves ${url} and syncs from ${shownOutbox(from)} every ${config.link.intervalMinutes} min\n`,
    () => {
      const station = openStation(config.dataDir);
      const link = startStationLink(station, config, {
        clock: systemClock,
        log,
        cwd: io.cwd,
        importFile: importer(config, io, log),
        ...(intervalMs === undefined ? {} : { intervalMs }),
        ...retryFor(io),
      });
      return {
        stop: async () => {
          await link.stop();
          station.close();
        },
      };
    },
  );
}
