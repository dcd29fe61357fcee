/**
 * One sync: fetch the newest snapshot the exporter published for this station, import it, and
 * record what came of it. `reservjournal sync` runs it once; `station run` runs it on a schedule.
 *
 * Steps: read `stations/NAME/index.json` (conditionally: "not modified" means nothing new) →
 * check it strictly → if its sequence is not above the last accepted one, stop (a station never
 * fetches an older snapshot) → read the heartbeat (best effort) → download resumably into
 * `incoming/` → check size and SHA-256 against the index → import all or nothing → remove the
 * download → record a sync_event row.
 *
 * Why an outbox being published while the station fetches never yields a bad import: snapshot
 * files are immutable and uniquely named, and the index names the file with its size and hash.
 * Whatever index a station read, the file it names is either complete (and checked end to end)
 * or gone; a file that vanished between reading the index and downloading it (the exporter
 * deleted it beyond retention) makes the station read the index once more and fetch what it
 * names now. And the import itself verifies the signature and every payload hash before the
 * station switches, in one transaction.
 *
 * A sync never throws for what the outbox or the network did: it returns a result that names
 * the ReservError, and the same facts are in sync_event for `status` and the status page.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { ReservError, toReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import type { ImportResult } from '../snapshot/import.ts';
import type { Station } from '../station/station.ts';
import {
  clearDownload,
  DEFAULT_RETRY,
  downloadSnapshot,
  withRetries,
  type RetryPolicy,
} from './download.ts';
import {
  checkIndex,
  MAX_HEARTBEAT_BYTES,
  MAX_INDEX_BYTES,
  readHeartbeat,
  type HeartbeatSeen,
  type IndexEntry,
} from './index-check.ts';
import {
  indexValidators,
  recordSyncEvent,
  saveIndexValidators,
  type SyncOutcome,
} from './link-state.ts';
import { STATION_NAME } from './outbox-format.ts';
import { acquireSyncLock } from './sync-lock.ts';
import { NO_VALIDATORS, transportFor, type Transport, type Validators } from './transport.ts';

export interface SyncSettings {
  /** The outbox: an http(s) address of its root, or a folder. */
  readonly from: string;
  /** The stall limit for every wait on the network or the share. */
  readonly timeoutSeconds: number;
  /** For a relative folder in `from`. */
  readonly cwd: string;
}

export interface SyncDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  /** Imports a verified download, all or nothing (the CLI passes its audited importFile). */
  readonly importFile: (file: string) => Promise<ImportResult>;
  /** Aborts network waits and retries when the service stops. */
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
}

export interface SyncResult {
  /** `stopped`: the service stopped during the sync; nothing is recorded, the download resumes. */
  readonly outcome: SyncOutcome | 'stopped';
  readonly source: string;
  /** The sequence imported, or the newest one the outbox announced. */
  readonly sequence: number | null;
  /** Bytes downloaded in this sync (a resumed download counts only the rest). */
  readonly bytes: number;
  readonly error: ReservError | null;
  readonly heartbeat: HeartbeatSeen | null;
}

function outcomeOf(error: ReservError): SyncOutcome {
  if (error.code === 'SYNC_UNREACHABLE') return 'unreachable';
  if (error.code.startsWith('SNAPSHOT_')) return 'rejected';
  return 'failed';
}

/** The record's message: the stable text plus its operational details, never patient data. */
function describe(error: ReservError): string {
  return [error.message, ...error.details].join(' ').slice(0, 500);
}

export async function syncOnce(
  station: Station,
  settings: SyncSettings,
  deps: SyncDeps,
): Promise<SyncResult> {
  const db = station.control;
  const name = station.row().name;
  const signal = deps.signal ?? new AbortController().signal;
  const transport = transportFor(settings.from, settings.cwd, {
    timeoutMs: settings.timeoutSeconds * 1000,
    signal,
  });
  const incoming = path.join(station.paths.dataDir, 'incoming');
  mkdirSync(incoming, { recursive: true, mode: 0o700 });
  const release = acquireSyncLock(incoming);
  let heartbeat: HeartbeatSeen | null = null;
  let sequence: number | null = null;
  let bytes = 0;

  const finish = (outcome: SyncOutcome, error: ReservError | null): SyncResult => {
    const result = { outcome, source: transport.source, sequence, bytes, error, heartbeat };
    if (signal.aborted && error !== null) {
      deps.log.info('sync.stopped');
      return { ...result, outcome: 'stopped' };
    }
    recordSyncEvent(db, {
      at: deps.clock.now().toISOString(),
      source: transport.source,
      outcome,
      code: error?.code ?? null,
      message: error ? describe(error) : null,
      sequence,
      bytes,
      heartbeatAt: heartbeat?.at ?? null,
      lastPublishedAt: heartbeat?.lastPublishedAt ?? null,
      expectedIntervalMinutes: heartbeat?.expectedIntervalMinutes ?? null,
      graceMinutes: heartbeat?.graceMinutes ?? null,
    });
    if (error === null) deps.log.info(`sync.${outcome}`, { sequence, bytes });
    else deps.log.warn('sync.failed', { outcome: op(outcome), code: op(error.code), sequence });
    return result;
  };

  try {
    if (!STATION_NAME.test(name))
      throw new ReservError('SYNC_INDEX_INVALID', {
        details: [
          `this station's name cannot be part of an outbox path (letters, digits, . _ - only): rename it or set up the station with --name`,
        ],
      });
    const prefix = `stations/${name}/`;
    const retryDeps = {
      log: deps.log,
      sleep: deps.sleep,
      retry: deps.retry ?? DEFAULT_RETRY,
      signal,
    };
    const partial = tidyIncoming(station, incoming);

    const readIndex = async (validators: Validators) => {
      const got = await withRetries(retryDeps, `${prefix}index.json`, () =>
        transport.get(`${prefix}index.json`, validators, MAX_INDEX_BYTES),
      );
      if (got.kind === 'not-found')
        throw new ReservError('SYNC_INDEX_INVALID', {
          details: [
            `${transport.source}: no ${prefix}index.json: does the exporter publish for a station named "${name}"?`,
          ],
        });
      return got;
    };

    const first = await readIndex(indexValidators(db, transport.source));
    heartbeat = await readHeartbeatBestEffort(transport, deps.log);
    if (first.kind === 'not-modified') {
      sequence = station.row().lastAcceptedSequence || null;
      return finish('up-to-date', null);
    }
    let index = first;
    let entry = checkIndex(index.body, name);
    for (let reread = 0; ; reread++) {
      sequence = entry.sequence;
      if (!isNewer(station, entry)) {
        saveIndexValidators(db, index.validators);
        return finish('up-to-date', null);
      }
      const part = path.join(incoming, `${path.posix.basename(entry.file)}.part`);
      if (partial !== null && partial !== part) rmSync(partial, { force: true });
      const got = await downloadSnapshot(transport, prefix, entry, part, db, {
        ...retryDeps,
        signal,
      });
      if (got.kind === 'not-found') {
        // Deleted beyond retention after we read the index: the index has moved on. Once.
        if (reread >= 1)
          throw new ReservError('SYNC_INDEX_INVALID', {
            details: [`${transport.source}: the index names ${entry.file}, which is not there`],
          });
        deps.log.info('sync.index_reread', { sequence: entry.sequence });
        const again = await readIndex(NO_VALIDATORS);
        if (again.kind !== 'ok') throw new Error('an unconditional read answered not-modified');
        index = again;
        entry = checkIndex(index.body, name);
        continue;
      }
      bytes = got.transferred;
      try {
        const imported = await deps.importFile(got.file);
        sequence = imported.sequence;
        saveIndexValidators(db, index.validators);
        return finish(imported.outcome === 'accepted' ? 'imported' : 'up-to-date', null);
      } finally {
        clearDownload(db, got.file);
      }
    }
  } catch (thrown) {
    const error = toReservError(thrown);
    return finish(outcomeOf(error), error);
  } finally {
    release();
  }
}

/**
 * Is the announced snapshot worth fetching? Only when its sequence is above the last accepted
 * one, or equal to it with another snapshot id: that is a fork (two different snapshots with
 * one sequence), and importing it lets the import refuse it loudly as SNAPSHOT_FORK.
 */
function isNewer(station: Station, entry: IndexEntry): boolean {
  const last = station.row().lastAcceptedSequence;
  if (entry.sequence > last) return true;
  if (entry.sequence < last) return false;
  const id = station.control
    .prepare(`SELECT id FROM snapshot WHERE sequence = ?`)
    .pluck()
    .get(entry.sequence) as string | undefined;
  return id !== undefined && id !== entry.snapshotId;
}

/**
 * Remove leftovers of earlier syncs (a download finished but not imported when the power went)
 * except the partial download being resumed; returns that one's path, or null.
 */
function tidyIncoming(station: Station, incoming: string): string | null {
  const row = station.control
    .prepare('SELECT partial_file FROM link_state WHERE singleton = 1')
    .pluck()
    .get() as string | null | undefined;
  const keep = row ? `${path.posix.basename(row)}.part` : null;
  for (const file of readdirSync(incoming)) {
    if (file === keep || file.startsWith('sync.lock')) continue;
    rmSync(path.join(incoming, file), { force: true, recursive: true });
  }
  return keep === null ? null : path.join(incoming, keep);
}

async function readHeartbeatBestEffort(
  transport: Transport,
  log: Logger,
): Promise<HeartbeatSeen | null> {
  try {
    const got = await transport.get('heartbeat.json', NO_VALIDATORS, MAX_HEARTBEAT_BYTES);
    const seen = got.kind === 'ok' ? readHeartbeat(got.body) : null;
    if (seen === null) log.info('sync.no_heartbeat');
    return seen;
  } catch (error) {
    log.info('sync.no_heartbeat', { code: op(toReservError(error).code) });
    return null;
  }
}
