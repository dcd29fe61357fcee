/**
 * The outbox: what the exporter publishes and stations fetch, laid out for plain static HTTP
 * serving (nginx, any file server, or a shared folder). Nothing in it needs a server that
 * understands Reservjournal.
 *
 *   OUTBOX/heartbeat.json                          the exporter's last run, rewritten every run
 *   OUTBOX/stations/NAME/index.json                the newest snapshot for station NAME
 *   OUTBOX/stations/NAME/snapshots/FILE.rjsnap     the snapshots themselves, never rewritten
 *
 * Publishing order is the invariant that lets a station fetch while the exporter publishes: a
 * snapshot file is written under a new, unique name and flushed first; only then is index.json
 * replaced (write to a temporary name, flush, rename over). A station that read the old index
 * finds the old file still there, because older files are deleted only after the new index is
 * in place and only beyond the retention count. The index names the file's size and SHA-256, so
 * a station can tell a complete download from a cut one before it even opens the file.
 */

export const INDEX_FORMAT = 'reservjournal-outbox-index';
export const HEARTBEAT_FORMAT = 'reservjournal-heartbeat';
export const OUTBOX_FORMAT_VERSION = 1;

/** Station names are path segments in the outbox and in URLs. */
export const STATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface OutboxSnapshotRef {
  readonly sequence: number;
  readonly snapshotId: string;
  /** Relative to the station's folder, e.g. `snapshots/000042-<uuid>.rjsnap`. */
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: string;
  readonly transactionTime: string;
}

export interface OutboxIndex extends OutboxSnapshotRef {
  readonly format: typeof INDEX_FORMAT;
  readonly formatVersion: typeof OUTBOX_FORMAT_VERSION;
  readonly station: string;
  readonly publishedAt: string;
  /** Older snapshots still in the folder, newest first (for people; stations take the newest). */
  readonly retained: readonly OutboxSnapshotRef[];
}

export interface Heartbeat {
  readonly format: typeof HEARTBEAT_FORMAT;
  readonly formatVersion: typeof OUTBOX_FORMAT_VERSION;
  readonly exporter: string;
  /** When this heartbeat was written (end of the last run). */
  readonly at: string;
  /** The cron expression and time zone the exporter runs on. */
  readonly schedule: string;
  readonly timeZone: string;
  /** Longest expected gap between two successful runs, in minutes (from the schedule). */
  readonly expectedIntervalMinutes: number;
  /** How late a run may be before anyone is alerted, in minutes. */
  readonly graceMinutes: number;
  readonly lastRun: {
    readonly startedAt: string;
    readonly finishedAt: string;
    readonly outcome: 'published' | 'failed';
    readonly code?: string;
    readonly message?: string;
    /** Stations whose snapshot could not be built or published in that run (the others were). */
    readonly failedStations?: readonly string[];
  };
  /** The last run that published for every station, or null before the first. */
  readonly lastPublishedAt: string | null;
}
