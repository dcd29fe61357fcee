/**
 * Checking what a station reads from the outbox before it acts on it.
 *
 * The index is the only thing that tells a station which file to fetch, so it is checked
 * strictly: a wrong format, another station's name, a path that could leave the station's
 * folder, an absurd size or a malformed hash is refused as SYNC_INDEX_INVALID before any
 * download starts. The index is not signed (the snapshot inside is), so these checks guard the
 * station's disk and bandwidth, not authenticity: a forged index can at worst name a file that
 * the import then refuses.
 *
 * The heartbeat is read for information only (is the exporter alive?); a bad heartbeat is
 * ignored, never an error.
 */
import { ReservError } from '../core/errors.ts';
import { MAX_MANIFEST_BYTES, PREAMBLE_BYTES, SIGNATURE_BYTES } from '../snapshot/format.ts';
import { DEFAULT_LIMITS } from '../snapshot/verify.ts';
import {
  HEARTBEAT_FORMAT,
  INDEX_FORMAT,
  OUTBOX_FORMAT_VERSION,
  STATION_NAME,
  type OutboxIndex,
} from './outbox-format.ts';

/**
 * The largest snapshot file a station downloads: the largest payload the import accepts plus the
 * largest header (preamble, manifest, signature). Anything bigger would be refused by the import
 * anyway, so it is never fetched.
 */
export const MAX_SNAPSHOT_FILE_BYTES =
  DEFAULT_LIMITS.maxPayloadBytes + PREAMBLE_BYTES + MAX_MANIFEST_BYTES + SIGNATURE_BYTES;

/** index.json is a few hundred bytes; more than this is not an index. */
export const MAX_INDEX_BYTES = 256 * 1024;
export const MAX_HEARTBEAT_BYTES = 64 * 1024;

/** `snapshots/NAME` with one plain file name: no folders, no `..`, no leading dot. */
const SNAPSHOT_FILE = /^snapshots\/[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** What a station needs from the index, after checking. */
export interface IndexEntry {
  readonly sequence: number;
  readonly snapshotId: string;
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
  readonly publishedAt: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse and check index.json for the station `stationName`; throws SYNC_INDEX_INVALID. */
export function checkIndex(body: Buffer, stationName: string): IndexEntry {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ReservError('SYNC_INDEX_INVALID', { details: ['index.json is not JSON'] });
  }
  if (!isRecord(raw))
    throw new ReservError('SYNC_INDEX_INVALID', { details: ['index.json is not a JSON object'] });
  const index = raw as Partial<Record<keyof OutboxIndex, unknown>>;
  if (index.format !== INDEX_FORMAT) problems.push(`format is not "${INDEX_FORMAT}"`);
  if (index.formatVersion !== OUTBOX_FORMAT_VERSION)
    problems.push(
      `formatVersion is ${JSON.stringify(index.formatVersion)}, this station reads ${OUTBOX_FORMAT_VERSION}`,
    );
  if (index.station !== stationName)
    problems.push(
      typeof index.station === 'string' && STATION_NAME.test(index.station)
        ? `the index is for station "${index.station}", this station is "${stationName}"`
        : `the index names no valid station; this station is "${stationName}"`,
    );
  const { sequence, size, file, sha256, snapshotId, publishedAt } = index;
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1)
    problems.push('sequence is not a positive whole number');
  if (typeof file !== 'string' || !SNAPSHOT_FILE.test(file))
    problems.push('file is not a plain file name under snapshots/');
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 1)
    problems.push('size is not a positive whole number of bytes');
  else if (size > MAX_SNAPSHOT_FILE_BYTES)
    problems.push(`size ${size} is above the largest snapshot a station accepts`);
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256))
    problems.push('sha256 is not 64 lower-case hex digits');
  if (typeof snapshotId !== 'string' || snapshotId.length === 0 || snapshotId.length > 100)
    problems.push('snapshotId is missing');
  if (problems.length > 0) throw new ReservError('SYNC_INDEX_INVALID', { details: problems });
  return {
    sequence: sequence as number,
    snapshotId: snapshotId as string,
    file: file as string,
    size: size as number,
    sha256: sha256 as string,
    publishedAt: typeof publishedAt === 'string' ? publishedAt : '',
  };
}

export interface HeartbeatSeen {
  readonly at: string;
  readonly lastPublishedAt: string | null;
  /** The exporter's own promise: how long between runs, and how late one may be. */
  readonly expectedIntervalMinutes: number | null;
  readonly graceMinutes: number | null;
}

function minutes(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

function instant(value: unknown): string | null {
  return typeof value === 'string' && value.length <= 40 && !Number.isNaN(Date.parse(value))
    ? value
    : null;
}

/** The facts a station records from heartbeat.json, or null when it is not a heartbeat. */
export function readHeartbeat(body: Buffer): HeartbeatSeen | null {
  let raw: unknown;
  try {
    raw = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw.format !== HEARTBEAT_FORMAT) return null;
  const at = instant(raw.at);
  if (at === null) return null;
  return {
    at,
    lastPublishedAt: instant(raw.lastPublishedAt),
    expectedIntervalMinutes: minutes(raw.expectedIntervalMinutes),
    graceMinutes: minutes(raw.graceMinutes),
  };
}
