/**
 * The station's own alerts, checked after every sync (and by `station run` on its schedule):
 * is the copy too old, was a snapshot refused, has the link failed for long, has the exporter
 * stopped? Each kind is a condition read from the control database and the clock; `alert_state`
 * turns conditions into notices, so a lasting condition does not alert at every check.
 *
 * Per kind, the rules are:
 * - a condition that starts is alerted at once (state `firing`);
 * - while it lasts it is alerted again every `alert.repeatHours`, and at once when it changes
 *   (warning turns critical, another snapshot is refused): its fingerprint differs;
 * - when it clears, one notice with state `resolved` (severity warning, message "Resolved: …");
 * - a condition that cannot be judged now (the exporter's heartbeat when the link is down) leaves
 *   the state as it is: silence is not proof that the exporter is back.
 *
 * The state is recorded only when the alert reached someone (the command or the webhook
 * worked, or no hook is configured and the log line is all there is). When every configured way
 * failed, nothing is recorded and the next check tries again: a broken hook must not swallow an
 * alert. A clock that went back makes a lasting condition repeat at once rather than stay silent.
 *
 * Severities: `station-stale` is a warning past freshness.warningHours and critical past
 * criticalHours (and critical with no snapshot at all); `snapshot-rejected` is critical (a
 * refused snapshot can mean tampering); `sync-failed` and `exporter-stale` are warnings (the
 * station still serves; `station-stale` says when that becomes dangerous).
 */
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { freshness } from '../core/freshness.ts';
import type { Logger } from '../core/log.ts';
import type { Station } from '../station/station.ts';
import type { Db } from '../store/db.ts';
import { sendAlert, type Alert, type AlertKind } from './alert.ts';
import { activeSnapshotTimes, linkState, openRejection } from './link-status.ts';

/** An alert as the station sends it: also whether the condition began (or lasts) or cleared. */
export interface StationAlert extends Alert {
  readonly state: 'firing' | 'resolved';
}

export type Condition =
  | {
      readonly kind: AlertKind;
      readonly active: true;
      readonly severity: Alert['severity'];
      readonly message: string;
      readonly code?: string;
      readonly details?: readonly string[];
      readonly fingerprint: string;
    }
  | { readonly kind: AlertKind; readonly active: false }
  | { readonly kind: AlertKind; readonly active: 'unknown' };

interface AlertStateRow {
  readonly active: number;
  readonly since: string | null;
  readonly lastSentAt: string | null;
  readonly fingerprint: string | null;
}

const HOUR = 3_600_000;
const hours = (ms: number) => `${Math.round((ms / HOUR) * 10) / 10} h`;

/** Every station condition, judged at `now`. */
export function stationConditions(control: Db, config: Config, now: Date): Condition[] {
  return [
    staleCondition(control, config, now),
    rejectedCondition(control),
    syncCondition(control, config, now),
    exporterCondition(control, config, now),
  ];
}

function staleCondition(control: Db, config: Config, now: Date): Condition {
  const kind = 'station-stale';
  const active = activeSnapshotTimes(control);
  if (active === null)
    return {
      kind,
      active: true,
      severity: 'critical',
      message: 'The station holds no accepted snapshot: it has no data to show.',
      fingerprint: 'none',
    };
  const f = freshness(active.transactionTime, now, config.freshness);
  if (f.state === 'ok') return { kind, active: false };
  const limit =
    f.state === 'critical' ? config.freshness.criticalHours : config.freshness.warningHours;
  return {
    kind,
    active: true,
    severity: f.state,
    message: `The station's data is ${hours(f.ageMs)} old (as of ${active.transactionTime}), past the ${f.state} limit of ${limit} h.`,
    details: [`active sequence: ${active.sequence}`, `imported at: ${active.importedAt}`],
    fingerprint: f.state,
  };
}

function rejectedCondition(control: Db): Condition {
  const kind = 'snapshot-rejected';
  const r = openRejection(control);
  if (r === null) return { kind, active: false };
  return {
    kind,
    active: true,
    severity: 'critical',
    message: `The station refused a snapshot${r.sequence === null ? '' : ` (sequence ${r.sequence})`} at ${r.at}; it keeps serving its current data.`,
    ...(r.code ? { code: r.code } : {}),
    details: [
      ...(r.snapshotId ? [`snapshot: ${r.snapshotId}`] : []),
      'nothing has been accepted since',
    ],
    // The same snapshot refused again at the next sync is the same condition (it repeats slowly);
    // another snapshot or another reason is news.
    fingerprint: `${r.code ?? ''} ${r.sequence ?? ''} ${r.snapshotId ?? ''}`,
  };
}

function syncCondition(control: Db, config: Config, now: Date): Condition {
  const kind = 'sync-failed';
  if (config.link.from === null) return { kind, active: false };
  const link = linkState(control);
  if (link.failingSince === null || link.lastAttempt === null) return { kind, active: false };
  const failingMs = now.getTime() - Date.parse(link.failingSince.at);
  const allowedMs = 2 * config.link.intervalMinutes * 60_000;
  if (!(failingMs > allowedMs)) return { kind, active: false };
  return {
    kind,
    active: true,
    severity: 'warning',
    message: `Sync from the exporter has failed since ${link.failingSince.at} (${hours(failingMs)}); last success ${link.lastSuccess?.at ?? 'never'}.`,
    ...(link.lastAttempt.code ? { code: link.lastAttempt.code } : {}),
    details: [`source: ${link.lastAttempt.source}`, `last attempt: ${link.lastAttempt.at}`],
    fingerprint: '',
  };
}

function exporterCondition(control: Db, config: Config, now: Date): Condition {
  const kind = 'exporter-stale';
  if (config.link.from === null) return { kind, active: false };
  const link = linkState(control);
  const seen = link.lastAttempt;
  // Only a sync that read the heartbeat can say the exporter stopped; a down link says nothing.
  if (seen === null || seen.exporterHeartbeatAt === null) return { kind, active: 'unknown' };
  const allowedMinutes =
    seen.exporterExpectedIntervalMinutes !== null
      ? seen.exporterExpectedIntervalMinutes + (seen.exporterGraceMinutes ?? 0)
      : config.freshness.warningHours * 60;
  const ageMs = now.getTime() - Date.parse(seen.exporterHeartbeatAt);
  if (!(ageMs > allowedMinutes * 60_000)) return { kind, active: false };
  return {
    kind,
    active: true,
    severity: 'warning',
    message: `The exporter's last heartbeat is from ${seen.exporterHeartbeatAt} (${hours(ageMs)} ago), past its schedule of ${allowedMinutes} min.`,
    details: [`last published: ${seen.exporterLastPublishedAt ?? 'never'}`, `read at: ${seen.at}`],
    fingerprint: '',
  };
}

/** What to send for one condition given its recorded state, or null for nothing. */
export function nextNotice(
  condition: Condition,
  state: AlertStateRow | undefined,
  now: Date,
  repeatHours: number,
): 'start' | 'change' | 'repeat' | 'resolve' | null {
  const wasActive = state?.active === 1;
  if (condition.active === 'unknown') return null;
  if (condition.active === false) return wasActive ? 'resolve' : null;
  if (!wasActive) return 'start';
  if ((state?.fingerprint ?? '') !== condition.fingerprint) return 'change';
  const last = state?.lastSentAt ? Date.parse(state.lastSentAt) : Number.NaN;
  const elapsed = now.getTime() - last;
  // NaN (never sent) or negative (the clock went back): repeat rather than stay silent.
  return !(elapsed >= 0) || elapsed >= repeatHours * HOUR ? 'repeat' : null;
}

const DESCRIPTION: Record<AlertKind, string> = {
  'station-stale': 'the station data is fresh again',
  'snapshot-rejected': 'a snapshot has been accepted since the refusal',
  'sync-failed': 'sync from the exporter works again',
  'exporter-stale': 'the exporter publishes on schedule again',
  'pull-failed': 'the pull works again',
  'publish-failed': 'publishing works again',
};

export async function checkStationAlerts(
  station: Station,
  config: Config,
  deps: { clock: Clock; log: Logger },
): Promise<Alert[]> {
  const control = station.control;
  const now = deps.clock.now();
  const at = now.toISOString();
  const name = station.row().name;
  const readState = control.prepare(
    `SELECT active, since, last_sent_at AS lastSentAt, fingerprint FROM alert_state WHERE kind = ?`,
  );
  const writeState = control.prepare(
    `INSERT INTO alert_state (kind, active, since, last_sent_at, fingerprint)
     VALUES (@kind, @active, @since, @lastSentAt, @fingerprint)
     ON CONFLICT (kind) DO UPDATE SET active = excluded.active, since = excluded.since,
       last_sent_at = excluded.last_sent_at, fingerprint = excluded.fingerprint`,
  );
  const hook = {
    ...(config.alert.command ? { command: config.alert.command } : {}),
    ...(config.alert.webhook ? { webhook: config.alert.webhook } : {}),
  };
  const sent: StationAlert[] = [];
  for (const condition of stationConditions(control, config, now)) {
    const state = readState.get(condition.kind) as AlertStateRow | undefined;
    const notice = nextNotice(condition, state, now, config.alert.repeatHours);
    if (notice === null) continue;
    const base = { kind: condition.kind, at, side: 'station', name } as const;
    const alert: StationAlert =
      condition.active === true
        ? {
            ...base,
            state: 'firing',
            severity: condition.severity,
            message: condition.message,
            ...(condition.code ? { code: condition.code } : {}),
            details: [
              ...(condition.details ?? []),
              ...(notice === 'start' ? [] : [`since: ${state?.since ?? at}`]),
            ],
          }
        : {
            ...base,
            state: 'resolved',
            severity: 'warning',
            message: `Resolved: ${DESCRIPTION[condition.kind]}.`,
            details: [`since: ${state?.since ?? 'unknown'}`],
          };
    const result = await sendAlert(alert, hook, deps);
    sent.push(alert);
    const ways = [result.command, result.webhook].filter((w) => w !== null);
    // Recorded only when someone heard it (see the module comment).
    if (ways.length > 0 && !ways.includes(true)) continue;
    writeState.run({
      kind: condition.kind,
      active: condition.active === true ? 1 : 0,
      since: condition.active === true ? (notice === 'start' ? at : (state?.since ?? at)) : null,
      lastSentAt: at,
      fingerprint: condition.active === true ? condition.fingerprint : null,
    });
  }
  return sent;
}
