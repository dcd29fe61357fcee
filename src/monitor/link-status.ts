/**
 * What the control database says about the station's link and copy, read in one place for the
 * alert checks, the status page and the status report delivered to the exporter side. Only
 * times, sequences, sizes and error codes: nothing here touches patient data.
 *
 * Sync outcomes fall in three groups: `imported` and `up-to-date` are successes (the outbox was
 * read and the station holds its newest snapshot); `unreachable` and `failed` are link failures;
 * `rejected` means the link worked but the station refused what it got (that is the
 * `snapshot-rejected` alert, not a link failure).
 */
import type { Db } from '../store/db.ts';

export const SYNC_SUCCESS = ['imported', 'up-to-date'] as const;
export const SYNC_FAILURE = ['unreachable', 'failed'] as const;

export interface SyncEventRow {
  readonly pk: number;
  readonly at: string;
  readonly source: string;
  readonly outcome: 'imported' | 'up-to-date' | 'unreachable' | 'failed' | 'rejected';
  readonly code: string | null;
  readonly message: string | null;
  readonly sequence: number | null;
  readonly exporterHeartbeatAt: string | null;
  readonly exporterLastPublishedAt: string | null;
  readonly exporterExpectedIntervalMinutes: number | null;
  readonly exporterGraceMinutes: number | null;
}

export interface LinkState {
  /** The last sync attempt of any outcome. */
  readonly lastAttempt: SyncEventRow | null;
  /** The last sync that read the outbox and ended up with its newest snapshot. */
  readonly lastSuccess: SyncEventRow | null;
  /** The first failed attempt after the last success (when the current failure began). */
  readonly failingSince: SyncEventRow | null;
  /** The last sync that read the exporter's heartbeat. */
  readonly lastHeartbeat: SyncEventRow | null;
}

export interface AuditDeliveryState {
  readonly deliveredThrough: number;
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastError: string | null;
}

const SYNC_COLUMNS = `pk, at, source, outcome, code, message, sequence,
  exporter_heartbeat_at AS exporterHeartbeatAt,
  exporter_last_published_at AS exporterLastPublishedAt,
  exporter_expected_interval_minutes AS exporterExpectedIntervalMinutes,
  exporter_grace_minutes AS exporterGraceMinutes`;

const inList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export function linkState(control: Db): LinkState {
  const one = (where: string) =>
    (control
      .prepare(`SELECT ${SYNC_COLUMNS} FROM sync_event ${where} ORDER BY pk DESC LIMIT 1`)
      .get() as SyncEventRow | undefined) ?? null;
  const lastAttempt = one('');
  const lastSuccess = one(`WHERE outcome IN (${inList(SYNC_SUCCESS)})`);
  const failingSince =
    lastAttempt !== null && (SYNC_FAILURE as readonly string[]).includes(lastAttempt.outcome)
      ? ((control
          .prepare(
            `SELECT ${SYNC_COLUMNS} FROM sync_event
              WHERE outcome IN (${inList(SYNC_FAILURE)}) AND pk > ?
              ORDER BY pk LIMIT 1`,
          )
          .get(lastSuccess?.pk ?? 0) as SyncEventRow | undefined) ?? null)
      : null;
  const lastHeartbeat = one('WHERE exporter_heartbeat_at IS NOT NULL');
  return { lastAttempt, lastSuccess, failingSince, lastHeartbeat };
}

export function auditDeliveryState(control: Db): AuditDeliveryState {
  const row = control
    .prepare(
      `SELECT delivered_through AS deliveredThrough, last_attempt_at AS lastAttemptAt,
              last_success_at AS lastSuccessAt, last_error AS lastError
         FROM audit_delivery WHERE singleton = 1`,
    )
    .get() as AuditDeliveryState | undefined;
  return row ?? { deliveredThrough: 0, lastAttemptAt: null, lastSuccessAt: null, lastError: null };
}

export interface Rejection {
  readonly at: string;
  readonly code: string | null;
  readonly sequence: number | null;
  readonly snapshotId: string | null;
}

/**
 * The newest refusal that nothing accepted has followed: an import rejected after the last
 * accepted import, or a sync rejected after the last sync that imported. Null when the station
 * has accepted something since (or never refused anything).
 */
export function openRejection(control: Db): Rejection | null {
  const fromImport = control
    .prepare(
      `SELECT at, code, sequence, snapshot_id AS snapshotId FROM import_event
        WHERE outcome = 'rejected'
          AND pk > coalesce((SELECT max(pk) FROM import_event WHERE outcome = 'accepted'), 0)
        ORDER BY pk DESC LIMIT 1`,
    )
    .get() as Rejection | undefined;
  const fromSync = control
    .prepare(
      `SELECT at, code, sequence, NULL AS snapshotId FROM sync_event
        WHERE outcome = 'rejected'
          AND pk > coalesce((SELECT max(pk) FROM sync_event WHERE outcome = 'imported'), 0)
        ORDER BY pk DESC LIMIT 1`,
    )
    .get() as Rejection | undefined;
  if (fromImport && fromSync) return fromImport.at >= fromSync.at ? fromImport : fromSync;
  return fromImport ?? fromSync ?? null;
}

/**
 * Every snapshot the station has accepted that could still matter for a chart reaching back to
 * `since`: those imported since, plus the one that was active at `since`. Deleted snapshots
 * count too: their rows stay as history although their files are gone.
 */
export function importHistory(
  control: Db,
  since: string,
): { importedAt: string; transactionTime: string }[] {
  return control
    .prepare(
      `SELECT imported_at AS importedAt, transaction_time AS transactionTime FROM snapshot
        WHERE imported_at >= ?
           OR imported_at = (SELECT max(imported_at) FROM snapshot WHERE imported_at < ?)
        ORDER BY imported_at, sequence`,
    )
    .all(since, since) as { importedAt: string; transactionTime: string }[];
}

/** The active snapshot's times, from the control database. */
export function activeSnapshotTimes(
  control: Db,
): { sequence: number; transactionTime: string; importedAt: string } | null {
  return (
    (control
      .prepare(
        `SELECT s.sequence, s.transaction_time AS transactionTime, s.imported_at AS importedAt
           FROM snapshot s JOIN station st ON st.active_snapshot_id = s.id
          WHERE st.singleton = 1`,
      )
      .get() as { sequence: number; transactionTime: string; importedAt: string } | undefined) ??
    null
  );
}
