/**
 * The link on a schedule, as `station run` drives it beside the web server: a sync at start,
 * then one every link.intervalMinutes (counted from the end of the previous round, so rounds
 * never overlap), each followed by the audit delivery back to the exporter (when an inbox is
 * configured) and the station's alert checks.
 *
 * "With no network the station keeps serving and says so": nothing a round meets may end the
 * loop or the process. A failed sync is recorded in sync_event (status, status page, alerts);
 * a throw from the audit delivery or the alert checks is logged and the loop goes on. Stopping
 * aborts the network waits and back-off sleeps at once; an import already running is allowed
 * to finish (it is all or nothing either way).
 */
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { toReservError } from '../core/errors.ts';
import { op, stackFrames, type Logger } from '../core/log.ts';
import { checkStationAlerts } from '../monitor/station-alerts.ts';
import type { ImportResult } from '../snapshot/import.ts';
import type { Station } from '../station/station.ts';
import { deliverAudit } from './audit-delivery.ts';
import type { RetryPolicy } from './download.ts';
import { syncOnce, type SyncResult } from './sync.ts';

export interface StationLinkDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly importFile: (file: string) => Promise<ImportResult>;
  /** For a relative outbox folder. */
  readonly cwd: string;
  /** Between rounds; link.intervalMinutes unless a test shortens it. */
  readonly intervalMs?: number;
  readonly retry?: RetryPolicy;
  /** Called after every round (tests and the CLI's status line). */
  readonly onRound?: (result: SyncResult | null) => void;
}

export interface StationLink {
  /** Stop after the current step; resolves when the loop has ended. */
  stop(): Promise<void>;
}

/** A sleep that ends early, without error, when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/** Run `work`; a throw is logged under `event` and swallowed. */
async function guarded(log: Logger, event: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    const e = toReservError(error);
    log.warn(event, { code: op(e.code) });
    if (e.code === 'INTERNAL') log.error(event, { stack: stackFrames(error) });
  }
}

/** One round: sync, then deliver the audit log and check the alerts, whatever the sync did. */
export async function linkRound(
  station: Station,
  config: Config,
  deps: StationLinkDeps & { sleep: (ms: number) => Promise<void>; signal: AbortSignal },
): Promise<SyncResult | null> {
  const { clock, log } = deps;
  let result: SyncResult | null = null;
  const from = config.link.from;
  if (from !== null)
    await guarded(log, 'sync.error', async () => {
      result = await syncOnce(
        station,
        { from, timeoutSeconds: config.link.timeoutSeconds, cwd: deps.cwd },
        {
          clock,
          log,
          sleep: deps.sleep,
          importFile: deps.importFile,
          signal: deps.signal,
          ...(deps.retry ? { retry: deps.retry } : {}),
        },
      );
    });
  if (deps.signal.aborted) return result;
  await afterSync(station, config, { clock, log });
  return result;
}

/**
 * What follows every sync, by `station run` or by a `sync` from cron: deliver the audit log (when
 * an inbox is set) and check the alerts. Neither may stop the other or the caller.
 */
export async function afterSync(
  station: Station,
  config: Config,
  deps: { readonly clock: Clock; readonly log: Logger },
): Promise<void> {
  if (config.link.inbox !== null)
    await guarded(deps.log, 'audit.delivery_error', () => deliverAudit(station, config, deps));
  await guarded(deps.log, 'alerts.check_error', () => checkStationAlerts(station, config, deps));
}

export function startStationLink(
  station: Station,
  config: Config,
  deps: StationLinkDeps,
): StationLink {
  const controller = new AbortController();
  const signal = controller.signal;
  const sleep = (ms: number) => abortableSleep(ms, signal);
  const intervalMs = deps.intervalMs ?? config.link.intervalMinutes * 60_000;
  const loop = (async () => {
    while (!signal.aborted) {
      const result = await linkRound(station, config, { ...deps, sleep, signal });
      deps.onRound?.(result);
      await sleep(intervalMs);
    }
  })();
  return {
    stop: async () => {
      controller.abort();
      await loop;
    },
  };
}
