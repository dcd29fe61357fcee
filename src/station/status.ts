/**
 * The station's status for people and scripts: the active snapshot, how fresh it is against the
 * expected schedule, the history of snapshots, the last failure, and the link to the exporter
 * (the last sync attempts as `sync` and `station run` recorded them in sync_event).
 */
import { freshness, type FreshnessState } from '../core/freshness.ts';
import { linkState } from '../monitor/link-status.ts';
import type { Station } from './station.ts';

export interface SnapshotSummary {
  snapshotId: string;
  sequence: number;
  createdAt: string;
  transactionTime: string;
  importedAt: string;
  resourceCount: number;
}

export interface StationStatus {
  readonly station: { name: string; keyId: string; environment: string };
  readonly active: SnapshotSummary | null;
  readonly freshness: FreshnessState;
  readonly ageHours: number | null;
  readonly lastAcceptedSequence: number;
  readonly history: (SnapshotSummary & { state: string })[];
  readonly lastFailure: { code: string; message: string; time: string; alert: boolean } | null;
  readonly link: LinkStatus;
}

/**
 * The link as the station last saw it. `lastSuccessAt` is the last sync that reached the outbox
 * and ended well (imported, or nothing newer there); the heartbeat fields come from the last sync
 * that could read the exporter's heartbeat, so "link down" (old lastAttempt success, no fresh
 * heartbeat) and "exporter stopped" (fresh reads of an old heartbeat) can be told apart.
 */
export interface LinkStatus {
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastOutcome: 'imported' | 'up-to-date' | 'unreachable' | 'failed' | 'rejected' | null;
  readonly lastCode: string | null;
  readonly lastMessage: string | null;
  /** The outbox address or folder of the last attempt (without any user:password part). */
  readonly source: string | null;
  readonly exporterHeartbeatAt: string | null;
  readonly exporterHeartbeatAgeHours: number | null;
  readonly exporterLastPublishedAt: string | null;
}

function linkStatus(station: Station, now: Date): LinkStatus {
  const { lastAttempt, lastSuccess, lastHeartbeat } = linkState(station.control);
  const beatMs = Date.parse(lastHeartbeat?.exporterHeartbeatAt ?? '');
  return {
    lastAttemptAt: lastAttempt?.at ?? null,
    lastSuccessAt: lastSuccess?.at ?? null,
    lastOutcome: lastAttempt?.outcome ?? null,
    lastCode: lastAttempt?.code ?? null,
    lastMessage: lastAttempt?.message ?? null,
    source: lastAttempt?.source ?? null,
    exporterHeartbeatAt: lastHeartbeat?.exporterHeartbeatAt ?? null,
    exporterHeartbeatAgeHours: Number.isNaN(beatMs)
      ? null
      : Math.round(((now.getTime() - beatMs) / 3_600_000) * 10) / 10,
    exporterLastPublishedAt: lastHeartbeat?.exporterLastPublishedAt ?? null,
  };
}

export function stationStatus(
  station: Station,
  now: Date,
  limits: { warningHours: number; criticalHours: number },
): StationStatus {
  const row = station.row();
  const history = station.control
    .prepare(
      `SELECT id AS snapshotId, sequence, created_at AS createdAt, transaction_time AS transactionTime,
              imported_at AS importedAt, resource_count AS resourceCount, state
         FROM snapshot ORDER BY sequence DESC`,
    )
    .all() as StationStatus['history'];
  const active = history.find((h) => h.state === 'active');
  const failure = station.control
    .prepare(
      // The last failure since the last accepted snapshot: an old, mended failure is history.
      `SELECT code, message, at AS time, alert FROM import_event
        WHERE outcome = 'rejected'
          AND pk > coalesce((SELECT max(pk) FROM import_event WHERE outcome = 'accepted'), 0)
        ORDER BY pk DESC LIMIT 1`,
    )
    .get() as { code: string; message: string; time: string; alert: number } | undefined;
  const fresh = active ? freshness(active.transactionTime, now, limits) : undefined;
  return {
    station: { name: row.name, keyId: row.keyId, environment: row.environment },
    active: active ? (({ state: _state, ...summary }) => summary)(active) : null,
    freshness: fresh?.state ?? 'critical',
    ageHours: fresh ? Math.round((fresh.ageMs / 3_600_000) * 10) / 10 : null,
    lastAcceptedSequence: row.lastAcceptedSequence,
    history,
    lastFailure: failure
      ? {
          code: failure.code,
          message: failure.message,
          time: failure.time,
          alert: failure.alert === 1,
        }
      : null,
    link: linkStatus(station, now),
  };
}
