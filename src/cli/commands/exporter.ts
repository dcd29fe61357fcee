/** `reservjournal exporter run|status --config FILE`: the exporter daemon and its freshness. */
import path from 'node:path';
import { systemClock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { createLogger, type LogLevel } from '../../core/log.ts';
import { loadExporterConfig } from '../../exporter/config.ts';
import { runExporterDaemon } from '../../exporter/daemon.ts';
import { runExporterCycle, type CycleResult } from '../../exporter/run.ts';
import { cronScheduler } from '../../exporter/schedule.ts';
import { exporterStatus } from '../../exporter/status.ts';
import { startInbox } from '../../exporter/inbox.ts';
import { startStationMonitor } from '../../exporter/station-monitor.ts';
import { parse, requireOption } from '../args.ts';
import type { CliIo } from '../io.ts';

const LEVELS = new Set(['debug', 'info', 'warn', 'error', 'silent']);

function describe(result: CycleResult): string {
  const lines = result.stations.map((s) =>
    s.outcome === 'published'
      ? `  ${s.station}: sequence ${s.sequence}, ${s.people} people, ${s.resources} resources, ${s.bytes} bytes`
      : `  ${s.station}: ${s.outcome}${s.code ? ` (${s.code})` : ''}`,
  );
  const published = result.stations.filter((s) => s.outcome === 'published').length;
  return [`Published ${published} of ${result.stations.length} stations:`, ...lines].join('\n');
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string' },
    once: { type: 'boolean' },
    'log-level': { type: 'string' },
  });
  const level = values['log-level'] ?? io.env.RESERVJOURNAL_LOG_LEVEL ?? 'info';
  if (!LEVELS.has(level))
    throw new ReservError('USAGE', {
      details: ['--log-level must be debug, info, warn, error or silent'],
    });
  const file = path.resolve(io.cwd, requireOption(values.config, '--config'));
  const config = loadExporterConfig(file, systemClock.now());
  const log = createLogger({ level: level as LogLevel, sink: (line) => io.stderr(line + '\n') });
  if (values.once) {
    const controller = new AbortController();
    void io.stopped.then(() => controller.abort());
    const result = await runExporterCycle(config, {
      clock: systemClock,
      log,
      signal: controller.signal,
      env: io.env,
    });
    io.stdout(describe(result) + '\n');
    if (result.outcome === 'failed')
      throw new ReservError(result.code ?? 'INTERNAL', {
        details: [...(result.details ?? [])],
      });
    return 0;
  }
  io.stdout(
    `Exporter ${config.name} runs on "${config.schedule}" (${config.timeZone}) for ${config.stations.length} stations; stop with Ctrl-C or SIGTERM.\n`,
  );
  // The inbox and the station monitor run beside the schedule, for as long as the daemon does.
  const inbox = config.inbox
    ? await startInbox(
        {
          host: config.inbox.host,
          port: config.inbox.port,
          dir: config.inbox.dir,
          stations: config.stations.flatMap((s) =>
            s.auditPublicKeyPem ? [{ name: s.name, auditPublicKeyPem: s.auditPublicKeyPem }] : [],
          ),
        },
        { log, clock: systemClock },
      )
    : undefined;
  if (inbox) io.stdout(`Inbox for station deliveries at ${inbox.url}\n`);
  const monitor = config.inbox
    ? startStationMonitor(config, { clock: systemClock, log })
    : undefined;
  try {
    await runExporterDaemon(config, {
      clock: systemClock,
      log,
      scheduler: cronScheduler(config.schedule, config.timeZone),
      stopped: io.stopped,
      env: io.env,
    });
  } finally {
    await monitor?.stop();
    await inbox?.close();
  }
  return 0;
}

function status(args: string[], io: CliIo): number {
  const { values } = parse(args, { config: { type: 'string' }, json: { type: 'boolean' } });
  const file = path.resolve(io.cwd, requireOption(values.config, '--config'));
  const now = systemClock.now();
  const s = exporterStatus(loadExporterConfig(file, now), now);
  if (values.json) {
    io.stdout(JSON.stringify(s, null, 2) + '\n');
    return 0;
  }
  const lines = [
    `Exporter ${s.exporter}: ${s.state} (limit ${s.limitMinutes} minutes between publications)`,
    ...s.reasons.map((r) => `  - ${r}`),
    s.lastRun
      ? `Last run ${s.lastRun.finishedAt}: ${s.lastRun.outcome}${s.lastRun.code ? ` (${s.lastRun.code})` : ''}`
      : 'No run has finished yet.',
    s.lastPublishedAt
      ? `Last published for every station ${s.lastPublishedAt} (${s.lastPublishedAgeMinutes} minutes ago)`
      : 'Never published for every station.',
    'Stations:',
    ...s.stations.map(
      (st) =>
        (st.sequence === null
          ? `  ${st.name}: ${st.state}, nothing published`
          : `  ${st.name}: ${st.state}, sequence ${st.sequence}, published ${st.publishedAt} (${st.ageMinutes} minutes ago)`) +
        (st.reported
          ? `; the station reported at ${st.reported.at}: serving sequence ${st.reported.activeSequence ?? 'none'}, data ${st.reported.freshness}`
          : ''),
    ),
  ];
  io.stdout(lines.join('\n') + '\n');
  return 0;
}

export async function runExporter(args: string[], io: CliIo): Promise<number> {
  const [verb, ...rest] = args;
  if (verb === 'run') return run(rest, io);
  if (verb === 'status') return status(rest, io);
  throw new ReservError('USAGE', {
    details: ['use `reservjournal exporter run --config FILE [--once]` or `exporter status …`'],
  });
}
