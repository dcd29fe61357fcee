/**
 * The exporter as a long-running service: a cycle whenever the schedule says so, never two at
 * once, until asked to stop.
 *
 * No overlap: a run still going when the next one is due is not queued; the due run is skipped
 * and logged (`exporter.run_skipped`), and the next due time starts a fresh run. Queuing would
 * let a slow journal system pile runs up behind each other. The outbox lock refuses a second
 * exporter process as well (EXPORTER_BUSY, logged, the daemon keeps going).
 *
 * Stopping (SIGTERM/SIGINT, or the `stopped` promise in tests) stops the schedule, aborts a pull
 * in progress, lets the station build in progress finish, and returns once the run has ended.
 */
import type { Clock } from '../core/clock.ts';
import { toReservError, type ReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import type { ExporterConfig } from './config.ts';
import { runExporterCycle, type CycleResult } from './run.ts';
import type { Scheduler } from './schedule.ts';

export interface DaemonDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly scheduler: Scheduler;
  /** Resolves when the daemon must stop. */
  readonly stopped: Promise<void>;
  /** The environment, for a source token named by `tokenEnv`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told about every run that ended (a result) or could not start (an error, e.g. EXPORTER_BUSY). */
  readonly onRunEnded?: (outcome: CycleResult | ReservError) => void;
}

export interface DaemonSummary {
  /** Runs started. */
  readonly runs: number;
  /** Due times skipped because a run was still going. */
  readonly skipped: number;
}

export async function runExporterDaemon(
  config: ExporterConfig,
  deps: DaemonDeps,
): Promise<DaemonSummary> {
  const controller = new AbortController();
  // In an object so that the closures' writes are seen where it is read after `await`.
  const current: { run: Promise<void> | null } = { run: null };
  let runs = 0;
  let skipped = 0;

  const runOnce = async (): Promise<CycleResult | ReservError> => {
    try {
      return await runExporterCycle(config, {
        clock: deps.clock,
        log: deps.log,
        signal: controller.signal,
        ...(deps.env && { env: deps.env }),
      });
    } catch (thrown) {
      const error = toReservError(thrown);
      deps.log.error('exporter.run_refused', { code: op(error.code) });
      return error;
    }
  };

  const tick = (): void => {
    if (controller.signal.aborted) return;
    if (current.run !== null) {
      skipped++;
      deps.log.warn('exporter.run_skipped', { reason: op('the previous run is still going') });
      return;
    }
    runs++;
    current.run = runOnce().then((outcome) => {
      // Ready for the next due time before anyone hears that this run ended.
      current.run = null;
      const next = handle.nextRun();
      if (next) deps.log.info('exporter.next_run', { at: op(next.toISOString()) });
      deps.onRunEnded?.(outcome);
    });
  };

  const handle = deps.scheduler.start(tick);
  const next = handle.nextRun();
  deps.log.info('exporter.daemon_started', {
    schedule: op(config.schedule),
    timeZone: op(config.timeZone),
    nextRun: op(next ? next.toISOString() : 'none'),
    stations: config.stations.length,
  });
  await deps.stopped;
  handle.stop();
  controller.abort();
  if (current.run !== null) await current.run;
  deps.log.info('exporter.daemon_stopped', { runs, skipped });
  return { runs, skipped };
}
