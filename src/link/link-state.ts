/**
 * The link's memory in the control database (tables from control-0003, heartbeat schedule columns
 * from control-0004): the validators of the
 * last index the station fully dealt with, the download being resumed, and the history of sync
 * attempts. Nothing here holds patient data: only sequences, sizes, hashes, codes and times.
 *
 * Invariant: the index validators are stored only after the index they belong to was dealt with
 * (its snapshot imported, or found no newer than the one accepted). A sync that read an index
 * and then failed leaves the old validators, so the next sync reads the index in full again
 * instead of being told "not modified" about a snapshot it never got.
 */
import type { Db } from '../store/db.ts';
import type { Validators } from './transport.ts';

export type SyncOutcome = 'imported' | 'up-to-date' | 'unreachable' | 'failed' | 'rejected';

export interface PartialDownload {
  /** The index's `file`, e.g. `snapshots/000042-….rjsnap`. */
  readonly file: string;
  readonly etag: string | null;
  readonly sha256: string;
  readonly size: number;
}

interface Row {
  index_etag: string | null;
  index_last_modified: string | null;
  partial_file: string | null;
  partial_etag: string | null;
  partial_sha256: string | null;
  partial_size: number | null;
}

function row(db: Db): Row | undefined {
  return db.prepare('SELECT * FROM link_state WHERE singleton = 1').get() as Row | undefined;
}

function ensureRow(db: Db): void {
  db.prepare('INSERT OR IGNORE INTO link_state (singleton) VALUES (1)').run();
}

/**
 * The validators for a conditional index request, only when the last good sync read the same
 * outbox: another outbox's ETag proves nothing about this one.
 */
export function indexValidators(db: Db, source: string): Validators {
  const lastGood = db
    .prepare(
      `SELECT source FROM sync_event WHERE outcome IN ('imported', 'up-to-date') ORDER BY pk DESC LIMIT 1`,
    )
    .pluck()
    .get() as string | undefined;
  const r = row(db);
  if (lastGood !== source || r === undefined) return { etag: null, lastModified: null };
  return { etag: r.index_etag, lastModified: r.index_last_modified };
}

export function saveIndexValidators(db: Db, validators: Validators): void {
  ensureRow(db);
  db.prepare(
    'UPDATE link_state SET index_etag = ?, index_last_modified = ? WHERE singleton = 1',
  ).run(validators.etag, validators.lastModified);
}

export function loadPartial(db: Db): PartialDownload | null {
  const r = row(db);
  if (!r || r.partial_file === null || r.partial_sha256 === null || r.partial_size === null)
    return null;
  return {
    file: r.partial_file,
    etag: r.partial_etag,
    sha256: r.partial_sha256,
    size: r.partial_size,
  };
}

export function savePartial(db: Db, partial: PartialDownload | null): void {
  ensureRow(db);
  db.prepare(
    `UPDATE link_state SET partial_file = ?, partial_etag = ?, partial_sha256 = ?, partial_size = ?
      WHERE singleton = 1`,
  ).run(
    partial?.file ?? null,
    partial?.etag ?? null,
    partial?.sha256 ?? null,
    partial?.size ?? null,
  );
}

export interface NewSyncEvent {
  readonly at: string;
  readonly source: string;
  readonly outcome: SyncOutcome;
  readonly code: string | null;
  readonly message: string | null;
  readonly sequence: number | null;
  readonly bytes: number | null;
  readonly heartbeatAt: string | null;
  readonly lastPublishedAt: string | null;
  readonly expectedIntervalMinutes: number | null;
  readonly graceMinutes: number | null;
}

/** How long sync history is kept: a sync every 15 minutes is 35,000 rows a year otherwise. */
export const SYNC_HISTORY_DAYS = 90;

/**
 * Record one sync, and forget history older than SYNC_HISTORY_DAYS, except the newest good sync
 * and the newest heartbeat read: the status page and the alert checks ask "since when" of both,
 * and a link that has been down for months must still say since when.
 */
export function recordSyncEvent(db: Db, e: NewSyncEvent): void {
  db.transaction(() => {
    insertSyncEvent(db, e);
    const cutoff = new Date(Date.parse(e.at) - SYNC_HISTORY_DAYS * 86_400_000).toISOString();
    db.prepare(
      `DELETE FROM sync_event
        WHERE at < ?
          AND pk <> coalesce((SELECT max(pk) FROM sync_event
                               WHERE outcome IN ('imported', 'up-to-date')), 0)
          AND pk <> coalesce((SELECT max(pk) FROM sync_event
                               WHERE exporter_heartbeat_at IS NOT NULL), 0)`,
    ).run(cutoff);
  })();
}

function insertSyncEvent(db: Db, e: NewSyncEvent): void {
  db.prepare(
    `INSERT INTO sync_event (at, source, outcome, code, message, sequence, bytes,
                             exporter_heartbeat_at, exporter_last_published_at,
                             exporter_expected_interval_minutes, exporter_grace_minutes)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    e.at,
    e.source,
    e.outcome,
    e.code,
    e.message,
    e.sequence,
    e.bytes,
    e.heartbeatAt,
    e.lastPublishedAt,
    e.expectedIntervalMinutes,
    e.graceMinutes,
  );
}
