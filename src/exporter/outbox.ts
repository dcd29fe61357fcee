/**
 * Publishing one station's snapshot into the outbox, in the order src/link/outbox-format.ts
 * makes the invariant: (1) the snapshot is put under its new, unique final name and flushed;
 * (2) only then is the station's index.json replaced atomically, naming that file with its size
 * and SHA-256; (3) only after that are snapshots beyond the retention count deleted, and never
 * the one the new index names nor the one the previous index named. A station that read either
 * index finds its file.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { isErrno, ReservError } from '../core/errors.ts';
import {
  INDEX_FORMAT,
  OUTBOX_FORMAT_VERSION,
  type OutboxIndex,
  type OutboxSnapshotRef,
} from '../link/outbox-format.ts';
import type { SnapshotManifest } from '../snapshot/format.ts';
import { fsyncFile, fsyncFolder, writeFileAtomic } from './atomic-file.ts';

export function stationFolder(outbox: string, station: string): string {
  return path.join(outbox, 'stations', station);
}

/** Any failure to write the outbox becomes OUTBOX_UNUSABLE naming the path (a bug stays a bug). */
export function outboxError(error: unknown): unknown {
  if (error instanceof ReservError || !isErrno(error)) return error;
  if (error.code === 'ENOSPC') return new ReservError('DISK_FULL', { cause: error });
  return new ReservError('OUTBOX_UNUSABLE', {
    details: [`${error.code}${error.path ? `: ${error.path}` : ''}`],
    cause: error,
  });
}

/** The station's current index, or null when there is none or it cannot be read. */
export function readOutboxIndex(outbox: string, station: string): OutboxIndex | null {
  try {
    const index = JSON.parse(
      readFileSync(path.join(stationFolder(outbox, station), 'index.json'), 'utf8'),
    ) as Partial<OutboxIndex>;
    return index.format === INDEX_FORMAT && Number.isSafeInteger(index.sequence)
      ? (index as OutboxIndex)
      : null;
  } catch {
    return null;
  }
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Move a finished file to `target` in the outbox: a rename where possible, else a flushed copy. */
function moveInto(built: string, target: string): void {
  try {
    renameSync(built, target);
    return;
  } catch (error) {
    if (!isErrno(error) || error.code !== 'EXDEV') throw error;
  }
  // Another file system: copy under a temporary name, flush, then rename into place.
  const tmp = `${target}.tmp`;
  copyFileSync(built, tmp);
  fsyncFile(tmp);
  renameSync(tmp, target);
  rmSync(built, { force: true });
}

export interface PublishOptions {
  readonly outbox: string;
  readonly station: string;
  /** The finished snapshot (written and flushed by buildSnapshot); it is moved, not copied. */
  readonly builtFile: string;
  readonly manifest: SnapshotManifest;
  /** How many snapshots stay in the station's folder, the new one included (at least 2). */
  readonly keep: number;
  readonly clock: Clock;
}

export async function publishSnapshot(options: PublishOptions): Promise<OutboxIndex> {
  const { manifest } = options;
  const folder = stationFolder(options.outbox, options.station);
  const snapshots = path.join(folder, 'snapshots');
  const name = `${String(manifest.sequence).padStart(10, '0')}-${manifest.snapshotId}.rjsnap`;
  const target = path.join(snapshots, name);
  try {
    mkdirSync(snapshots, { recursive: true });
    // (1) the new file under its unique name, flushed with its folder entry.
    moveInto(options.builtFile, target);
    fsyncFolder(snapshots);
    const current: OutboxSnapshotRef = {
      sequence: manifest.sequence,
      snapshotId: manifest.snapshotId,
      file: `snapshots/${name}`,
      size: statSync(target).size,
      sha256: await sha256Of(target),
      createdAt: manifest.createdAt,
      transactionTime: manifest.transactionTime,
    };
    // (2) the index, naming the new file and those kept from before (newest first).
    const previous = readOutboxIndex(options.outbox, options.station);
    const known: OutboxSnapshotRef[] = previous
      ? [refOf(previous), ...previous.retained.map(refOf)]
      : [];
    const retained = known
      .filter((r) => r.file !== current.file && existsSync(path.join(folder, r.file)))
      .sort((a, b) => b.sequence - a.sequence)
      .slice(0, Math.max(1, options.keep - 1));
    const index: OutboxIndex = {
      format: INDEX_FORMAT,
      formatVersion: OUTBOX_FORMAT_VERSION,
      station: options.station,
      publishedAt: options.clock.now().toISOString(),
      ...current,
      retained,
    };
    writeFileAtomic(path.join(folder, 'index.json'), JSON.stringify(index, null, 2) + '\n');
    // (3) everything else in the folder: older snapshots, files a crashed run left behind.
    const keepNames = new Set([current.file, ...retained.map((r) => r.file)]);
    for (const entry of readdirSync(snapshots))
      if (!keepNames.has(`snapshots/${entry}`))
        rmSync(path.join(snapshots, entry), { force: true });
    return index;
  } catch (error) {
    throw outboxError(error);
  }
}

function refOf(r: OutboxSnapshotRef): OutboxSnapshotRef {
  return {
    sequence: r.sequence,
    snapshotId: r.snapshotId,
    file: r.file,
    size: r.size,
    sha256: r.sha256,
    createdAt: r.createdAt,
    transactionTime: r.transactionTime,
  };
}
