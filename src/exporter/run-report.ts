/**
 * The end of an exporter cycle: the result for the CLI and tests, the heartbeat (written whether
 * the run published or failed), and the alert when nothing could be published. The heartbeat's
 * `lastPublishedAt` moves only when every station was published, so a station left behind keeps
 * the exporter's own status from reading "ok".
 */
import type { Clock } from '../core/clock.ts';
import { toReservError, type ErrorCode, type ReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import { HEARTBEAT_FORMAT, OUTBOX_FORMAT_VERSION } from '../link/outbox-format.ts';
import { sendAlert, type AlertKind } from '../monitor/alert.ts';
import type { ExporterConfig } from './config.ts';
import { readHeartbeat, writeHeartbeat } from './heartbeat.ts';
import { expectedIntervalMinutes } from './schedule.ts';

export interface CycleDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Stops the run (the daemon shutting down). */
  readonly signal?: AbortSignal;
  /** Waiting between polls of the source; tests pass a fast one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The environment, for a source token named by `tokenEnv`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface StationOutcome {
  readonly station: string;
  readonly outcome: 'published' | 'failed' | 'skipped';
  readonly people?: number;
  readonly resources?: number;
  readonly sequence?: number;
  readonly snapshotId?: string;
  /** Relative to the station's outbox folder. */
  readonly file?: string;
  readonly bytes?: number;
  readonly code?: ErrorCode;
  readonly details?: readonly string[];
}

export interface CycleResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly outcome: 'published' | 'failed';
  readonly code?: ErrorCode;
  readonly message?: string;
  readonly details?: readonly string[];
  readonly stations: readonly StationOutcome[];
}

/** What the pull and the stations came to, before the heartbeat. */
export type Prepared =
  | { readonly ok: true; readonly stations: StationOutcome[] }
  | { readonly ok: false; readonly error: ReservError; readonly kind: AlertKind };

export async function finishRun(
  config: ExporterConfig,
  deps: CycleDeps,
  started: Date,
  prepared: Prepared,
): Promise<CycleResult> {
  const finished = deps.clock.now();
  const stations = prepared.ok ? prepared.stations : [];
  const failed = stations.filter((s) => s.outcome !== 'published');
  const firstFailure = failed.find((s) => s.code !== undefined);
  let result: CycleResult = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    stations,
    ...(!prepared.ok
      ? {
          outcome: 'failed',
          code: prepared.error.code,
          message: prepared.error.message,
          details: prepared.error.details,
        }
      : failed.length > 0
        ? {
            outcome: 'failed',
            ...(firstFailure?.code !== undefined && { code: firstFailure.code }),
            message: firstFailure
              ? `${failed.length} of ${stations.length} stations were not published.`
              : 'The exporter was stopped before every station was published.',
            details: failed.map((s) => `station ${s.station}: ${s.code ?? 'skipped (stopping)'}`),
          }
        : { outcome: 'published' }),
  };
  const stopping = deps.signal?.aborted === true;
  if (!prepared.ok) {
    deps.log.error('exporter.run_failed', { code: op(prepared.error.code), stopping });
    if (!stopping)
      await sendAlert(
        {
          kind: prepared.kind,
          severity: 'critical',
          at: finished.toISOString(),
          side: 'exporter',
          name: config.name,
          code: prepared.error.code,
          message: `Exporter ${config.name} published nothing: ${prepared.error.message} Every station keeps its previous snapshot.`,
          details: prepared.error.details,
        },
        config.alert,
        deps,
      );
  }
  const previous = readHeartbeat(config.outbox);
  try {
    writeHeartbeat(config.outbox, {
      format: HEARTBEAT_FORMAT,
      formatVersion: OUTBOX_FORMAT_VERSION,
      exporter: config.name,
      at: finished.toISOString(),
      schedule: config.schedule,
      timeZone: config.timeZone,
      expectedIntervalMinutes: expectedIntervalMinutes(config.schedule, config.timeZone, finished),
      graceMinutes: config.graceMinutes,
      lastRun: {
        startedAt: result.startedAt,
        finishedAt: result.finishedAt,
        outcome: result.outcome,
        ...(result.code !== undefined && { code: result.code }),
        ...(result.message !== undefined && { message: result.message }),
        ...(failed.length > 0 && { failedStations: failed.map((s) => s.station) }),
      },
      lastPublishedAt:
        result.outcome === 'published' ? result.finishedAt : (previous?.lastPublishedAt ?? null),
    });
  } catch (thrown) {
    const error = toReservError(thrown);
    deps.log.error('exporter.heartbeat_failed', { code: op(error.code) });
    await sendAlert(
      {
        kind: 'publish-failed',
        severity: 'critical',
        at: finished.toISOString(),
        side: 'exporter',
        name: config.name,
        code: error.code,
        message: `Exporter ${config.name} could not write its heartbeat: ${error.message}`,
        details: error.details,
      },
      config.alert,
      deps,
    );
    result = {
      ...result,
      outcome: 'failed',
      code: result.code ?? error.code,
      message: result.message ?? error.message,
      details: [...(result.details ?? []), ...error.details],
    };
  }
  deps.log.info('exporter.run_finished', {
    outcome: op(result.outcome),
    published: stations.filter((s) => s.outcome === 'published').length,
    failed: failed.length,
  });
  return result;
}
