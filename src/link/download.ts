/**
 * Downloading one snapshot file from the outbox into the station's incoming folder, resumably.
 *
 * The bytes go to `incoming/NAME.part`. What is being fetched (file, size, SHA-256, the server's
 * validator) is kept in link_state, so a download cut by a network failure, a timeout or a
 * restart continues from the part file's length with `Range` + `If-Range`. When the server sends
 * the whole file instead (the validator changed, or it ignores ranges), or cannot serve the range
 * (416), the part file starts again from zero.
 *
 * Invariants:
 * - Never more bytes than the index announced are written: one byte more aborts the download as
 *   SYNC_DOWNLOAD_MISMATCH (endless data), and the size announced is itself capped by the index
 *   check.
 * - A file is handed on only when its length and SHA-256, computed over the whole file after the
 *   last byte, equal the index's. Otherwise the part file is removed (a resumed download that
 *   mixed two versions can never pass).
 * - Network failures are retried a bounded number of times with exponential back-off; anything
 *   else fails at once.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, rmSync, statSync } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import { ReservError } from '../core/errors.ts';
import { op, type Logger } from '../core/log.ts';
import type { Db } from '../store/db.ts';
import type { IndexEntry } from './index-check.ts';
import { loadPartial, savePartial } from './link-state.ts';
import type { Transport } from './transport.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** Wait before the second try; doubled before each further one, at most 30 s. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000 };

export interface DownloadDeps {
  readonly log: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal;
}

export type DownloadResult =
  | { readonly kind: 'done'; readonly file: string; readonly transferred: number }
  | { readonly kind: 'not-found' };

export function backoffMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.baseDelayMs * 2 ** (retry - 1), 30_000);
}

/** Run `work` until it succeeds, retrying SYNC_UNREACHABLE with back-off. */
export async function withRetries<T>(
  deps: Pick<DownloadDeps, 'log' | 'sleep' | 'retry' | 'signal'>,
  what: string,
  work: (attempt: number) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      const retryable = error instanceof ReservError && error.code === 'SYNC_UNREACHABLE';
      if (!retryable || attempt >= deps.retry.attempts || deps.signal.aborted) throw error;
      const wait = backoffMs(deps.retry, attempt);
      deps.log.info('sync.retry', { what: op(what), attempt, waitMs: wait });
      await deps.sleep(wait);
    }
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function sizeOf(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * Fetch `entry` (relative to `stationPrefix` in the outbox) into `partFile` and check it. The
 * checked file keeps its `.part` name: the caller imports it from there and removes it, so a
 * crash at any point leaves nothing that looks like a finished download.
 */
export async function downloadSnapshot(
  transport: Transport,
  stationPrefix: string,
  entry: IndexEntry,
  partFile: string,
  db: Db,
  deps: DownloadDeps,
): Promise<DownloadResult> {
  const wanted = { file: entry.file, sha256: entry.sha256, size: entry.size };
  const known = loadPartial(db);
  const same =
    known !== null &&
    known.file === wanted.file &&
    known.sha256 === wanted.sha256 &&
    known.size === wanted.size;
  let have = same ? sizeOf(partFile) : 0;
  let etag = same ? known.etag : null;
  if (!same || have > entry.size) {
    rmSync(partFile, { force: true });
    have = 0;
    savePartial(db, { ...wanted, etag: null });
  }
  let transferred = 0;
  const relative = stationPrefix + entry.file;

  const fetched = await withRetries(deps, relative, async (attempt) => {
    if (have === entry.size) return 'complete' as const;
    if (attempt > 1 || have > 0)
      deps.log.info('sync.download_resume', { offset: have, size: entry.size, attempt });
    let opened = await transport.open(relative, {
      offset: have,
      ifRange: have > 0 ? etag : null,
      signal: deps.signal,
    });
    if (opened.kind === 'range-unsatisfiable' && have > 0) {
      // The part file cannot be continued: start again from zero, once, at once.
      await truncate(partFile, 0);
      have = 0;
      opened = await transport.open(relative, { offset: 0, ifRange: null, signal: deps.signal });
    }
    if (opened.kind === 'not-found') return 'not-found' as const;
    if (opened.kind === 'range-unsatisfiable')
      throw new ReservError('SYNC_DOWNLOAD_MISMATCH', {
        details: [`${relative}: the server refused to send the file from its start`],
      });
    have = opened.offset;
    etag = opened.etag;
    savePartial(db, { ...wanted, etag });
    const handle = await open(partFile, have === 0 ? 'w' : 'r+', 0o600);
    try {
      for await (const chunk of opened.body) {
        if (have + chunk.byteLength > entry.size) {
          throw new ReservError('SYNC_DOWNLOAD_MISMATCH', {
            details: [`${relative}: the server sent more than the ${entry.size} bytes announced`],
          });
        }
        await handle.write(chunk, 0, chunk.byteLength, have);
        have += chunk.byteLength;
        transferred += chunk.byteLength;
      }
    } finally {
      await handle.close();
    }
    if (have < entry.size)
      throw new ReservError('SYNC_UNREACHABLE', {
        details: [`${transport.source}: ${relative}: ended after ${have} of ${entry.size} bytes`],
      });
    return 'complete' as const;
  }).catch((error: unknown) => {
    // Too many bytes is not a cut download: nothing of it can be kept.
    if (error instanceof ReservError && error.code === 'SYNC_DOWNLOAD_MISMATCH') discard();
    throw error;
  });

  function discard(): void {
    rmSync(partFile, { force: true });
    savePartial(db, null);
  }

  if (fetched === 'not-found') {
    discard();
    return { kind: 'not-found' };
  }
  const actual = await sha256Of(partFile);
  const length = sizeOf(partFile);
  if (actual !== entry.sha256 || length !== entry.size) {
    discard();
    throw new ReservError('SYNC_DOWNLOAD_MISMATCH', {
      details: [
        `${relative}: ${length} bytes with SHA-256 ${actual.slice(0, 16)}…, the index announced ${entry.size} bytes with ${entry.sha256.slice(0, 16)}…`,
      ],
    });
  }
  return { kind: 'done', file: partFile, transferred };
}

/** Forget a finished or abandoned download. */
export function clearDownload(db: Db, partFile: string): void {
  rmSync(partFile, { force: true });
  savePartial(db, null);
}
