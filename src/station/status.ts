/**
 * The station's status for people and scripts: the active snapshot, how fresh it is against the
 * expected schedule, the history of snapshots and the last failure.
 */
import { freshness, type FreshnessState } from '../core/freshness.ts';
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
  };
}
