/**
 * Station commands that share the configuration: `load` and `serve`, and the pieces the demo
 * reuses (opening the station's snapshot, serving until stopped).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../config/config.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { createLogger, op, type Logger } from '../../core/log.ts';
import { openReadOnly } from '../../store/db.ts';
import { loadBulkExport } from '../../store/load-bulk.ts';
import { snapshotInfo } from '../../store/queries.ts';
import { stationPaths } from '../../store/station-files.ts';
import { createApp, type Snapshot } from '../../web/app.ts';
import { startServer } from '../../web/server.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import type { CliIo } from '../io.ts';

type StationFlags = {
  'data-dir'?: string | undefined;
  config?: string | undefined;
  port?: string | undefined;
  'log-level'?: string | undefined;
};

export function stationConfig(values: StationFlags, io: CliIo, defaultDataDir?: string): Config {
  const dataDir =
    values['data-dir'] ?? (io.env.RESERVJOURNAL_DATA_DIR ? undefined : defaultDataDir);
  return loadConfig({
    cwd: io.cwd,
    env: io.env,
    flags: {
      config: values.config,
      dataDir,
      port: values.port,
      logLevel: values['log-level'],
    },
  });
}

export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new ReservError('DATA_DIR_UNUSABLE', { details: [`folder: ${dir}`], cause });
  }
}

export function openSnapshot(config: Config): Snapshot {
  const file = stationPaths(config.dataDir).database;
  if (!existsSync(file))
    throw new ReservError('STORE_NO_DATA', { details: [`data directory: ${config.dataDir}`] });
  const db = openReadOnly(file);
  return { db, info: snapshotInfo(db) };
}

export function loggerFor(config: Config, io: CliIo): Logger {
  return createLogger({ level: config.logLevel, sink: (line) => io.stderr(line + '\n') });
}

export async function serveUntilStopped(
  config: Config,
  snapshot: Snapshot,
  log: Logger,
  io: CliIo,
  banner: (url: string) => string,
): Promise<number> {
  const app = createApp({
    config,
    clock: systemClock,
    log,
    snapshots: { current: () => snapshot },
  });
  const server = await startServer(app, config.host, config.port);
  log.info('serve.listening', { url: op(server.url) });
  io.stdout(banner(server.url));
  await io.stopped;
  await server.close();
  snapshot.db.close();
  log.info('serve.stopped');
  return 0;
}

export async function runLoad(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...STATION_OPTIONS, source: { type: 'string' } });
  const config = stationConfig(values, io);
  const log = loggerFor(config, io);
  ensureDataDir(config.dataDir);
  const result = await loadBulkExport({
    sourceDir: path.resolve(io.cwd, requireOption(values.source, '--source')),
    dbFile: stationPaths(config.dataDir).database,
    now: systemClock.now(),
    log,
  });
  io.stdout(
    `Loaded ${result.resources} resources (${result.patients} people), data as of ${result.transactionTime}.\n`,
  );
  return 0;
}

export async function runServe(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, STATION_OPTIONS);
  const config = stationConfig(values, io);
  const log = loggerFor(config, io);
  const snapshot = openSnapshot(config);
  return serveUntilStopped(config, snapshot, log, io, (url) => `Reservjournal serves ${url}\n`);
}
