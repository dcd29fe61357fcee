/**
 * The exporter side watching its stations. A station that is switched off, cut off or broken
 * cannot send its own alert, so the centre must notice its silence: every few minutes the
 * exporter reads the status reports stations deliver to its inbox (checkStationReports) and
 * alerts through its own alert hook.
 *
 * Like the station's alerts, each condition (one kind for one station) alerts once when it
 * starts, again every `inbox.repeatHours` while it lasts, and once more ("resolved") when it
 * clears. What was sent is kept in `stateDir/station-alerts.json`, so a restart of the exporter
 * does not repeat every open alert at once. A condition is marked as sent only when the hook
 * reached someone (or no hook is configured), so a broken hook is tried again next time.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { op, type Logger } from '../core/log.ts';
import { sendAlert, type Alert } from '../monitor/alert.ts';
import { checkStationReports } from '../monitor/station-reports.ts';
import { writeFileAtomic } from './atomic-file.ts';
import type { ExporterConfig } from './config.ts';

export interface ExporterStationAlert extends Alert {
  readonly state: 'firing' | 'resolved';
}

interface Sent {
  readonly since: string;
  readonly lastSentAt: string;
  readonly fingerprint: string;
}

const HOUR = 3_600_000;

function stateFile(config: ExporterConfig): string {
  return path.join(config.stateDir, 'station-alerts.json');
}

function readState(file: string): Record<string, Sent> {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, Sent>) : {};
  } catch {
    // A damaged state file only costs repeated alerts, never a missed one.
    return {};
  }
}

/** One look at every station's report; returns the alerts sent. */
export async function checkStations(
  config: ExporterConfig,
  deps: { readonly clock: Clock; readonly log: Logger },
): Promise<ExporterStationAlert[]> {
  const inbox = config.inbox;
  if (inbox === undefined) return [];
  const now = deps.clock.now();
  const at = now.toISOString();
  const file = stateFile(config);
  const before = readState(file);
  const after: Record<string, Sent> = {};
  const sent: ExporterStationAlert[] = [];
  const hook = config.alert;
  const deliver = async (alert: ExporterStationAlert): Promise<boolean> => {
    sent.push(alert);
    const result = await sendAlert(alert, hook, deps);
    const ways = [result.command, result.webhook].filter((w) => w !== null);
    return ways.length === 0 || ways.includes(true);
  };
  // A station that has never reported is given the same allowance as a silent one, counted
  // from when this exporter first looked for it: a station just set up is not yet "stale".
  const knownFile = path.join(config.stateDir, 'stations-known.json');
  const known = readState(knownFile) as unknown as Record<string, string>;
  for (const s of config.stations) known[s.name] ??= at;
  const waiting = new Set(
    config.stations
      .filter(
        (s) =>
          !existsSync(path.join(inbox.dir, s.name, 'status.json')) &&
          now.getTime() - Date.parse(known[s.name]!) <= inbox.criticalHours * HOUR,
      )
      .map((s) => s.name),
  );
  const current = checkStationReports(
    inbox.dir,
    config.stations.filter((s) => !waiting.has(s.name)),
    now,
    { criticalHours: inbox.criticalHours },
    config.name,
  );
  for (const alert of current) {
    const station = alert.details?.[0] ?? '';
    const key = `${alert.kind}\t${station}`;
    const fingerprint = `${alert.kind}|${alert.code ?? ''}`;
    const old = before[key];
    const due =
      old === undefined ||
      old.fingerprint !== fingerprint ||
      !(now.getTime() - Date.parse(old.lastSentAt) < inbox.repeatHours * HOUR);
    if (!due) {
      after[key] = old;
      continue;
    }
    const since = old?.since ?? at;
    const ok = await deliver({
      ...alert,
      state: 'firing',
      details: [...(alert.details ?? []), ...(old ? [`since: ${old.since}`] : [])],
    });
    after[key] = ok
      ? { since, lastSentAt: at, fingerprint }
      : (old ?? { since, lastSentAt: '', fingerprint });
  }
  for (const [key, old] of Object.entries(before)) {
    if (after[key] !== undefined) continue;
    const [kind, station] = key.split('\t') as [Alert['kind'], string];
    const ok = await deliver({
      kind,
      state: 'resolved',
      severity: 'warning',
      at,
      side: 'exporter',
      name: config.name,
      message: `Resolved: ${station.replace(/^station: /, 'station ')} reports again as expected.`,
      details: [station, `since: ${old.since}`],
    });
    if (!ok) after[key] = old;
  }
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(file, JSON.stringify(after, null, 2) + '\n');
  writeFileAtomic(knownFile, JSON.stringify(known, null, 2) + '\n');
  if (sent.length > 0) deps.log.info('exporter.station_alerts', { sent: sent.length });
  return sent;
}

/** Check now and then every `intervalMs` until stopped; a failing check is logged, never fatal. */
export function startStationMonitor(
  config: ExporterConfig,
  deps: { readonly clock: Clock; readonly log: Logger; readonly intervalMs?: number },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const check = () => {
    running = checkStations(config, deps).catch((error: unknown) =>
      deps.log.error('exporter.station_check_failed', {
        reason: op(error instanceof Error ? error.message.slice(0, 200) : 'unknown'),
      }),
    );
  };
  check();
  const timer = setInterval(check, deps.intervalMs ?? 5 * 60_000);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
