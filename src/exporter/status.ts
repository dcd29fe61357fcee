/**
 * The exporter's own freshness, from what it published (the heartbeat and each station's index
 * in the outbox), measured against its schedule: the expected interval between runs plus the
 * grace period, both announced in the heartbeat.
 *
 * - critical: the exporter has never published for every station, or not within interval +
 *   grace (it has stopped, or every run since has failed); or some station's newest snapshot is
 *   older than that, or missing. That station's unit is working from stale data.
 * - warning: everything is still within interval + grace, but the last run failed, for the
 *   whole export or for some stations. The next run may mend it; someone should look.
 * - ok: the last run published for every station and nothing is older than interval + grace.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FreshnessState } from '../core/freshness.ts';
import { STATUS_REPORT_FORMAT, type StationReport } from '../link/inbox-format.ts';
import type { Heartbeat } from '../link/outbox-format.ts';
import type { ExporterConfig } from './config.ts';
import { readHeartbeat } from './heartbeat.ts';
import { readOutboxIndex } from './outbox.ts';
import { expectedIntervalMinutes } from './schedule.ts';

export interface StationPublication {
  readonly name: string;
  readonly state: FreshnessState;
  readonly sequence: number | null;
  readonly publishedAt: string | null;
  readonly ageMinutes: number | null;
  readonly file: string | null;
  readonly failedInLastRun: boolean;
  /**
   * What the station last reported to the inbox (only with an inbox): when, its data's state
   * and the sequence it serves. The station's side of "freshness on both sides".
   */
  readonly reported: {
    readonly at: string;
    readonly freshness: FreshnessState;
    readonly activeSequence: number | null;
  } | null;
}

export interface ExporterStatus {
  readonly exporter: string;
  readonly state: FreshnessState;
  /** Why the state is not ok, one sentence each. */
  readonly reasons: readonly string[];
  readonly limitMinutes: number;
  readonly lastRun: Heartbeat['lastRun'] | null;
  readonly lastPublishedAt: string | null;
  readonly lastPublishedAgeMinutes: number | null;
  readonly stations: readonly StationPublication[];
}

function reportOf(inboxDir: string, name: string): StationPublication['reported'] {
  try {
    const r = JSON.parse(
      readFileSync(path.join(inboxDir, name, 'status.json'), 'utf8'),
    ) as StationReport;
    if (r.format !== STATUS_REPORT_FORMAT) return null;
    return {
      at: r.at,
      freshness: r.status.freshness,
      activeSequence: r.status.active?.sequence ?? null,
    };
  } catch {
    // Missing or unreadable: the station monitor alerts about it; here it is just unknown.
    return null;
  }
}

const RANK: Record<FreshnessState, number> = { ok: 0, warning: 1, critical: 2 };

function ageMinutes(at: string | null | undefined, now: Date): number | null {
  const t = at ? Date.parse(at) : NaN;
  return Number.isNaN(t) ? null : Math.floor((now.getTime() - t) / 60_000);
}

export function exporterStatus(config: ExporterConfig, now: Date): ExporterStatus {
  const heartbeat = readHeartbeat(config.outbox);
  const limitMinutes = heartbeat
    ? heartbeat.expectedIntervalMinutes + heartbeat.graceMinutes
    : expectedIntervalMinutes(config.schedule, config.timeZone, now) + config.graceMinutes;
  const reasons: string[] = [];
  let state: FreshnessState = 'ok';
  const raise = (to: FreshnessState, reason: string) => {
    if (RANK[to] > RANK[state]) state = to;
    reasons.push(reason);
  };

  const lastPublishedAge = ageMinutes(heartbeat?.lastPublishedAt, now);
  if (heartbeat === null) raise('critical', 'no heartbeat: the exporter has not completed a run');
  else if (lastPublishedAge === null)
    raise('critical', 'the exporter has never published for every station');
  else if (lastPublishedAge > limitMinutes)
    raise(
      'critical',
      `the last run that published for every station ended ${lastPublishedAge} minutes ago (limit ${limitMinutes})`,
    );
  if (heartbeat?.lastRun.outcome === 'failed')
    raise(
      'warning',
      `the last run failed${heartbeat.lastRun.code ? ` (${heartbeat.lastRun.code})` : ''}`,
    );

  const failedStations = new Set(heartbeat?.lastRun.failedStations ?? []);
  const stations = config.stations.map((s): StationPublication => {
    const index = readOutboxIndex(config.outbox, s.name);
    const age = ageMinutes(index?.publishedAt, now);
    let stationState: FreshnessState = 'ok';
    if (index === null || age === null) {
      stationState = 'critical';
      raise('critical', `station ${s.name} has no snapshot in the outbox`);
    } else if (age > limitMinutes) {
      stationState = 'critical';
      raise('critical', `station ${s.name}'s newest snapshot is ${age} minutes old`);
    } else if (failedStations.has(s.name)) {
      stationState = 'warning';
      raise('warning', `station ${s.name} was not published in the last run`);
    }
    return {
      name: s.name,
      state: stationState,
      sequence: index?.sequence ?? null,
      publishedAt: index?.publishedAt ?? null,
      ageMinutes: age,
      file: index?.file ?? null,
      failedInLastRun: failedStations.has(s.name),
      reported: config.inbox ? reportOf(config.inbox.dir, s.name) : null,
    };
  });

  return {
    exporter: config.name,
    state,
    reasons,
    limitMinutes,
    lastRun: heartbeat?.lastRun ?? null,
    lastPublishedAt: heartbeat?.lastPublishedAt ?? null,
    lastPublishedAgeMinutes: lastPublishedAge,
    stations,
  };
}
