/**
 * The exporter side's view of its stations, from the status reports they deliver to the inbox
 * (`INBOX/NAME/status.json`, src/link/inbox-format.ts): "a station has accepted nothing for
 * longer than allowed" must be loud at the centre too, because a station that is switched off
 * or cut off cannot send its own alert.
 *
 * A station yields `station-stale` (critical) when its report is missing, unreadable or older
 * than `criticalHours` (by the report's own time, as the station's clock wrote it), or when it
 * reports critical freshness; and `snapshot-rejected` (critical) when it reports a refused
 * snapshot that nothing accepted has followed. A pure check: the caller sends the alerts and
 * keeps them from repeating at every run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isErrno } from '../core/errors.ts';
import { STATUS_REPORT_FORMAT, type StationReport } from '../link/inbox-format.ts';
import type { Alert } from './alert.ts';

const HOUR = 3_600_000;

function readReport(file: string): StationReport | 'missing' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return isErrno(error) && error.code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const report = JSON.parse(text) as StationReport;
    if (report.format !== STATUS_REPORT_FORMAT || Number.isNaN(Date.parse(report.at)))
      return 'unreadable';
    return report;
  } catch {
    return 'unreadable';
  }
}

export function checkStationReports(
  inboxDir: string,
  stations: readonly { readonly name: string }[],
  now: Date,
  limits: { readonly criticalHours: number },
  exporterName = 'exporter',
): Alert[] {
  const at = now.toISOString();
  const alerts: Alert[] = [];
  const alert = (
    station: string,
    kind: Alert['kind'],
    message: string,
    extra: { code?: string | undefined; details?: string[] } = {},
  ) =>
    alerts.push({
      kind,
      severity: 'critical',
      at,
      side: 'exporter',
      name: exporterName,
      message: `Station ${station}: ${message}`,
      ...(extra.code ? { code: extra.code } : {}),
      details: [`station: ${station}`, ...(extra.details ?? [])],
    });
  for (const { name } of stations) {
    const report = readReport(path.join(inboxDir, name, 'status.json'));
    if (report === 'missing') {
      alert(name, 'station-stale', 'no status report has arrived in the inbox.');
      continue;
    }
    if (report === 'unreadable') {
      alert(name, 'station-stale', 'its status report in the inbox cannot be read.');
      continue;
    }
    const silentMs = now.getTime() - Date.parse(report.at);
    if (silentMs > limits.criticalHours * HOUR)
      alert(
        name,
        'station-stale',
        `no status report for ${Math.round(silentMs / HOUR)} h (last ${report.at}).`,
        { details: [`limit: ${limits.criticalHours} h`] },
      );
    else if (report.status.freshness === 'critical')
      alert(
        name,
        'station-stale',
        report.status.active
          ? `its data is ${report.status.ageHours ?? '?'} h old (as of ${report.status.active.transactionTime}).`
          : 'it holds no accepted snapshot.',
        { details: [`reported at: ${report.at}`] },
      );
    const failure = report.status.lastFailure;
    if (failure)
      alert(name, 'snapshot-rejected', `it refused a snapshot at ${failure.time}.`, {
        code: failure.code,
        details: [`reported at: ${report.at}`],
      });
  }
  return alerts;
}
