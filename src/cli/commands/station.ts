/**
 * Station commands: `station init`, `import`, `status` and `serve`, plus the pieces the demo
 * reuses.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../../config/config.ts';
import { systemClock } from '../../core/clock.ts';
import { ReservError, toReservError } from '../../core/errors.ts';
import { createLogger, op, type Logger } from '../../core/log.ts';
import { importSnapshot, type ImportResult } from '../../snapshot/import.ts';
import { stationSnapshotSource } from '../../station/snapshot-source.ts';
import {
  addTrustedKey,
  initStation,
  openStation,
  revokeTrustedKey,
} from '../../station/station.ts';
import { stationStatus } from '../../station/status.ts';
import { createApp } from '../../web/app.ts';
import { stationAccess, stationAudit } from '../../station/access.ts';
import { startServer } from '../../web/server.ts';
import { parse, requireOption, STATION_OPTIONS } from '../args.ts';
import { failpointsFrom } from '../failpoints.ts';
import type { CliIo } from '../io.ts';

type StationFlags = {
  'data-dir'?: string | undefined;
  config?: string | undefined;
  port?: string | undefined;
  'log-level'?: string | undefined;
};

export function stationConfig(
  values: StationFlags,
  io: CliIo,
  defaultDataDir?: string,
  extra: Record<string, unknown> = {},
): Config {
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
      ...extra,
    },
  });
}

export function loggerFor(config: Config, io: CliIo): Logger {
  return createLogger({ level: config.logLevel, sink: (line) => io.stderr(line + '\n') });
}

/** `station trust`: list, add or revoke trusted exporter keys (key rotation). */
export function runStationTrust(args: string[], io: CliIo): number {
  const { values } = parse(args, {
    ...STATION_OPTIONS,
    add: { type: 'string' },
    revoke: { type: 'string' },
  });
  const config = stationConfig(values, io);
  const station = openStation(config.dataDir);
  try {
    if (values.add !== undefined) {
      const file = path.resolve(io.cwd, values.add);
      let pem: string;
      try {
        pem = readFileSync(file, 'utf8');
      } catch (cause) {
        throw new ReservError('KEY_UNREADABLE', { details: [`file: ${file}`], cause });
      }
      io.stdout(
        `Trusting exporter key ${addTrustedKey(station.control, pem, systemClock.now())}\n`,
      );
    }
    if (values.revoke !== undefined) {
      const revoked = revokeTrustedKey(station.control, values.revoke, systemClock.now());
      if (revoked === 'unknown')
        throw new ReservError('USAGE', { details: [`no trusted key with id ${values.revoke}`] });
      if (revoked === 'last')
        throw new ReservError('USAGE', {
          details: [
            `${values.revoke} is the only trusted key: the station would refuse every snapshot`,
            'add the new exporter key in the same command: station trust --add NEW.pub --revoke OLD',
          ],
        });
      io.stdout(`Revoked exporter key ${values.revoke}\n`);
    }
    const rows = station.control
      .prepare(
        'SELECT key_id AS keyId, added_at AS addedAt, revoked_at AS revokedAt FROM trusted_key ORDER BY added_at',
      )
      .all() as { keyId: string; addedAt: string; revokedAt: string | null }[];
    for (const r of rows)
      io.stdout(
        `${r.keyId}  added ${r.addedAt}${r.revokedAt ? `  revoked ${r.revokedAt}` : '  trusted'}\n`,
      );
    return 0;
  } finally {
    station.close();
  }
}

export function runStationInit(args: string[], io: CliIo): number {
  const { values } = parse(args, {
    ...STATION_OPTIONS,
    'trust-exporter': { type: 'string' },
    name: { type: 'string' },
    environment: { type: 'string' },
  });
  const config = stationConfig(values, io);
  const pubFile = path.resolve(io.cwd, requireOption(values['trust-exporter'], '--trust-exporter'));
  let pem: string;
  try {
    pem = readFileSync(pubFile, 'utf8');
  } catch (cause) {
    throw new ReservError('KEY_UNREADABLE', { details: [`file: ${pubFile}`], cause });
  }
  const environment = values.environment ?? 'prod';
  if (environment !== 'prod' && environment !== 'test')
    throw new ReservError('USAGE', { details: ['--environment must be prod or test'] });
  const result = initStation({
    dataDir: config.dataDir,
    trustExporterPem: pem,
    environment,
    clock: systemClock,
    ...(values.name !== undefined ? { name: values.name } : {}),
  });
  io.stdout(
    `Station created in ${config.dataDir}\n  station key id: ${result.keyId} (public key: station.pub)\n  audit signing key: audit.pub (copy it to the exporter with station.pub)\n  trusts exporter key ${result.trustedKeyId}\n`,
  );
  return 0;
}

function progressBar(io: CliIo): ((done: number, total: number) => void) | undefined {
  if (!io.interactive) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    io.stderr(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`);
    if (pct === 100) io.stderr('\n');
  };
}

export async function importFile(
  config: Config,
  file: string,
  io: CliIo,
  log: Logger,
): Promise<ImportResult> {
  const onProgress = progressBar(io);
  try {
    const result = await importSnapshot(config.dataDir, file, {
      clock: systemClock,
      log,
      keep: config.keepSnapshots,
      failpoint: failpointsFrom(io.env.RESERVJOURNAL_FAILPOINTS),
      ...(onProgress ? { onProgress } : {}),
    });
    auditImport(config, log, {
      outcome: 'success',
      snapshotId: result.snapshotId,
      reason: `${result.outcome} sequence ${result.sequence} (${result.resources} resources)`,
    });
    return result;
  } catch (thrown) {
    const error = toReservError(thrown);
    if (error.code !== 'STATION_NOT_INITIALISED' && error.code !== 'IMPORT_IN_PROGRESS')
      auditImport(config, log, { outcome: 'failure', reason: `rejected: ${error.code}` });
    throw thrown;
  }
}

/**
 * Imports go into the audit log too, so a reviewer sees which copy was being served when. The
 * import's own result does not depend on it: a failing audit store is logged as a warning (the
 * import history in the control database keeps the facts).
 */
function auditImport(
  config: Config,
  log: Logger,
  entry: { outcome: 'success' | 'failure'; snapshotId?: string; reason: string },
): void {
  try {
    const station = openStation(config.dataDir);
    try {
      const audit = stationAudit(station, systemClock, log);
      try {
        audit.append([{ action: 'import', user: 'cli', role: 'admin', ...entry }]);
      } finally {
        audit.close();
      }
    } finally {
      station.close();
    }
  } catch (error) {
    log.warn('import.audit_failed', { code: op(toReservError(error).code) });
  }
}

export async function runImport(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ...STATION_OPTIONS, keep: { type: 'string' } }, 1);
  const config = stationConfig(
    values,
    io,
    undefined,
    values.keep !== undefined ? { keepSnapshots: values.keep } : {},
  );
  const file = path.resolve(io.cwd, requireOption(positionals[0], 'the snapshot file'));
  const result = await importFile(config, file, io, loggerFor(config, io));
  io.stdout(
    result.outcome === 'accepted'
      ? `Imported snapshot ${result.snapshotId} (sequence ${result.sequence}, ${result.resources} resources); it is now active.\n`
      : `Snapshot ${result.snapshotId} (sequence ${result.sequence}) is already active; nothing changed.\n`,
  );
  return 0;
}

export function runStatus(args: string[], io: CliIo): number {
  const { values } = parse(args, { ...STATION_OPTIONS, json: { type: 'boolean' } });
  const config = stationConfig(values, io);
  const station = openStation(config.dataDir);
  try {
    const s = stationStatus(station, systemClock.now(), config.freshness);
    if (values.json) {
      io.stdout(JSON.stringify(s, null, 2) + '\n');
      return 0;
    }
    const lines = [
      `Station ${s.station.name} (key ${s.station.keyId}, ${s.station.environment})`,
      s.active
        ? `Active snapshot ${s.active.snapshotId}, sequence ${s.active.sequence}, data as of ${s.active.transactionTime} (${s.ageHours} h old: ${s.freshness})`
        : 'No snapshot imported yet.',
      `Snapshots kept: ${s.history.filter((h) => h.state !== 'deleted').length}`,
      s.lastFailure
        ? `Last failure: ${s.lastFailure.code} at ${s.lastFailure.time}`
        : 'No failed imports.',
      s.link.lastAttemptAt === null
        ? 'Link: no sync yet (fed by hand with `import`, or `station run` has not synced).'
        : `Link: last sync ${s.link.lastAttemptAt} ${s.link.lastOutcome}${s.link.lastCode ? ` (${s.link.lastCode})` : ''}; ` +
          `last good sync ${s.link.lastSuccessAt ?? 'never'}; ` +
          (s.link.exporterHeartbeatAt
            ? `exporter heartbeat ${s.link.exporterHeartbeatAgeHours} h old`
            : 'no exporter heartbeat read'),
    ];
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } finally {
    station.close();
  }
}

/**
 * Serve the station until the process is asked to stop. `background` (used by `station run` for
 * its sync loop) starts once the server listens and is stopped before the server closes.
 */
export async function serveStation(
  config: Config,
  io: CliIo,
  log: Logger,
  banner: (url: string) => string,
  background?: () => { stop(): Promise<void> },
): Promise<number> {
  const station = openStation(config.dataDir);
  const source = stationSnapshotSource(station);
  const access = stationAccess(station, systemClock, log);
  try {
    const app = createApp({ config, clock: systemClock, log, snapshots: source, access });
    const server = await startServer(app, config.host, config.port);
    log.info('serve.listening', { url: op(server.url) });
    io.stdout(banner(server.url));
    const task = background?.();
    await io.stopped;
    await task?.stop();
    await server.close();
    log.info('serve.stopped');
    return 0;
  } finally {
    access.close();
    source.close();
    station.close();
  }
}

export async function runServe(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, STATION_OPTIONS);
  const config = stationConfig(values, io);
  return serveStation(config, io, loggerFor(config, io), (url) => `Reservjournal serves ${url}\n`);
}
