/**
 * Importing a snapshot into a station, all or nothing.
 *
 * Order (each step a named failpoint, see docs/snapshot-format.md):
 *   open → verify-signature → policy → hash → unwrap → stage (per file) → index → check →
 *   rename → commit → retention
 *
 * Invariants, and where they are kept:
 * - I3 verify, then parse: nothing is decrypted or parsed before `verifyPayload` has matched
 *   every file's size and SHA-256 against the signed manifest.
 * - I1/I2 one complete snapshot, monotonic trust: the snapshot is built in a staging database
 *   that no reader knows about. The commit point is ONE transaction of the control database
 *   that marks the new snapshot active, the previous one retained, and raises the last accepted
 *   sequence. Before it, the old snapshot is active; after it, the new one is. A file rename is
 *   never the commit point (it is not atomic on Windows).
 * - I7 last good snapshot: on any failure the staging file is removed and the control database
 *   is untouched except for the failure record; after a crash, `recoverStation` removes
 *   leftovers. Retention never deletes the active snapshot or the newest previous one.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../core/clock.ts';
import { ReservError, toReservError } from '../core/errors.ts';
import { noFailpoints, type Failpoint } from '../core/failpoints.ts';
import { op, type Logger } from '../core/log.ts';
import { acquireImportLock } from '../station/lock.ts';
import { openStation, trustedKeys, type Station } from '../station/station.ts';
import { migrate, openEncrypted, type Db } from '../store/db.ts';
import { Ingest, type DanglingReference } from '../store/ingest.ts';
import { MIGRATIONS } from '../store/migrations/index.ts';
import { unwrapContentKey } from './envelope.ts';
import type { SnapshotManifest } from './format.ts';
import { integrityChecker } from './integrity-check.ts';
import { stageFiles } from './stage.ts';
import {
  checkPolicy,
  DEFAULT_LIMITS,
  readHeader,
  verifyHeader,
  verifyPayload,
  type Limits,
  type SnapshotHeader,
} from './verify.ts';

export const IMPORT_FAILPOINTS = [
  'open',
  'verify-signature',
  'policy',
  'hash',
  'unwrap',
  'stage',
  'stage-file',
  'index',
  'check',
  'rename',
  'commit',
  'retention',
] as const;

export interface ImportDeps {
  readonly clock: Clock;
  readonly log: Logger;
  readonly failpoint?: Failpoint;
  readonly limits?: Limits;
  readonly keep?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ImportResult {
  readonly outcome: 'accepted' | 'unchanged';
  readonly snapshotId: string;
  readonly sequence: number;
  readonly resources: number;
  readonly deleted: readonly string[];
}

/** Remove what a crashed import may have left: staging files and unreferenced snapshot files. */
export function recoverStation(station: Station): string[] {
  const dir = station.paths.snapshotsDir;
  if (!existsSync(dir)) return [];
  const known = new Set(
    (
      station.control.prepare(`SELECT id FROM snapshot WHERE state <> 'deleted'`).all() as {
        id: string;
      }[]
    ).map((r) => r.id),
  );
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^(.+)\.sqlite(\.staging)?(-journal|-wal|-shm)?$/.exec(name);
    const orphan = m === null || m[2] !== undefined || !known.has(m[1]!);
    if (orphan) {
      rmSync(path.join(dir, name), { force: true });
      removed.push(name);
    }
  }
  return removed;
}

function manifestHash(header: SnapshotHeader): string {
  return createHash('sha256').update(header.manifestBytes).digest('hex');
}

/** Page size of snapshot databases (see where the staging database is created). */
export const SNAPSHOT_PAGE_SIZE = 16_384;

function applyRetention(station: Station, keep: number): string[] {
  const rows = station.control
    .prepare(`SELECT id, file, state FROM snapshot WHERE state <> 'deleted' ORDER BY sequence DESC`)
    .all() as { id: string; file: string; state: string }[];
  const deleted: string[] = [];
  // The active snapshot and the newest previous one are never deleted (I7), whatever `keep` says.
  const floor = Math.max(keep, 2);
  for (const row of rows.slice(floor)) {
    if (row.state === 'active') continue;
    station.control.prepare(`UPDATE snapshot SET state = 'deleted' WHERE id = ?`).run(row.id);
    try {
      rmSync(path.join(station.paths.snapshotsDir, row.file), { force: true });
    } catch {
      // A reader may still hold it open (Windows); recoverStation removes it next time.
    }
    deleted.push(row.id);
  }
  return deleted;
}

function recordFailure(
  station: Station,
  error: ReservError,
  at: Date,
  manifest: SnapshotManifest | undefined,
): void {
  try {
    station.control
      .prepare(
        `INSERT INTO import_event (at, outcome, code, message, snapshot_id, sequence, alert) VALUES (?, 'rejected', ?, ?, ?, ?, ?)`,
      )
      .run(
        at.toISOString(),
        error.code,
        error.message,
        manifest?.snapshotId ?? null,
        manifest?.sequence ?? null,
        error.code === 'SNAPSHOT_FORK' ? 1 : 0,
      );
  } catch {
    // Recording is best effort: a full disk must not hide the original error.
  }
}

export async function importSnapshot(
  dataDir: string,
  file: string,
  deps: ImportDeps,
): Promise<ImportResult> {
  const fp = deps.failpoint ?? noFailpoints;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const station = openStation(dataDir);
  let releaseLock: () => void;
  try {
    releaseLock = acquireImportLock(dataDir);
  } catch (e) {
    station.close();
    throw e;
  }
  let manifest: SnapshotManifest | undefined;
  let staging: string | undefined;
  let stagingDb: Db | undefined;
  let committed = false;
  let checker: ReturnType<typeof integrityChecker> | undefined;
  try {
    recoverStation(station);
    fp('open');
    const header = readHeader(file);
    fp('verify-signature');
    manifest = verifyHeader(header, trustedKeys(station.control));
    const m = manifest;
    fp('policy');
    const hash = manifestHash(header);
    const row = station.row();
    const accepted = station.control.prepare(
      'SELECT id AS snapshotId, manifest_sha256 AS manifestSha256, state FROM snapshot WHERE sequence = ?',
    );
    const knownId = station.control.prepare('SELECT 1 FROM snapshot WHERE id = ?').pluck();
    const policy = checkPolicy(
      m,
      hash,
      {
        name: row.name,
        keyId: row.keyId,
        environment: row.environment,
        lastAcceptedSequence: row.lastAcceptedSequence,
        acceptedWithSequence: (seq) =>
          accepted.get(seq) as
            { snapshotId: string; manifestSha256: string; state: string } | undefined,
        knownSnapshotId: (id) => knownId.get(id) !== undefined,
      },
      limits,
    );
    if (policy.kind === 'already-active') {
      station.control
        .prepare(
          `INSERT INTO import_event (at, outcome, snapshot_id, sequence) VALUES (?, 'unchanged', ?, ?)`,
        )
        .run(deps.clock.now().toISOString(), m.snapshotId, m.sequence);
      return {
        outcome: 'unchanged',
        snapshotId: m.snapshotId,
        sequence: m.sequence,
        resources: m.totals.resources,
        deleted: [],
      };
    }
    fp('hash');
    await verifyPayload(file, header, m);
    fp('unwrap');
    const wrapped = m.encryption.recipients.find((r) => r.keyId === row.keyId)!;
    const contentKey = unwrapContentKey(
      wrapped,
      station.privateKey,
      station.publicKey,
      m.snapshotId,
    );

    fp('stage');
    staging = station.paths.staging(m.snapshotId);
    rmSync(staging, { force: true });
    stagingDb = openEncrypted(staging, station.dbKey, { create: true });
    // 16 KB pages (SQLite's default is 4 KB): a quarter of the pages to encrypt, split and
    // check; measured on the 10,000-person snapshot, inserts 18 % and the integrity check 20 %
    // faster. Set before the first table is created, so it is the file's page size.
    stagingDb.pragma(`page_size = ${SNAPSHOT_PAGE_SIZE}`);
    stagingDb.pragma('journal_mode = OFF');
    stagingDb.pragma('synchronous = OFF');
    // 32 MB of page cache: within the 300 MB budget with two parsing workers beside it.
    stagingDb.pragma('cache_size = -32768');
    migrate(stagingDb, MIGRATIONS);
    const ingest = new Ingest(stagingDb, deps.clock.now());
    let done = 0;
    await stageFiles(file, header, m, contentKey, ingest, deps.clock.now(), (f) => {
      fp('stage-file');
      done += f.count;
      deps.onProgress?.(done, m.totals.resources);
    });
    fp('index');
    // Started now, not with the staging: its start-up overlaps the work below, and its memory
    // is not held while the parsing workers need theirs.
    checker = integrityChecker(staging, station.dbKey);
    const summary = ingest.finishData({
      snapshotId: m.snapshotId,
      sequence: String(m.sequence),
      transactionTime: m.transactionTime,
      createdAt: m.createdAt,
      importedAt: deps.clock.now().toISOString(),
    });
    fp('check');
    // The full integrity check runs on a second connection in a worker while this thread looks
    // for dangling references; both only read. The findings are written afterwards and their
    // table and index, the only things written after the full check, are checked on their own.
    const checking = checker.run();
    let dangling: DanglingReference[];
    try {
      dangling = ingest.danglingReferences();
    } catch (error) {
      // Let the worker finish with the file before the staging database is removed.
      await checking.catch(() => undefined);
      throw error;
    }
    const integrityResult = await checking;
    ingest.recordDangling(dangling);
    const findingCheck = stagingDb.pragma('integrity_check(finding)', { simple: true });
    const integrity =
      integrityResult === 'ok' && findingCheck === 'ok'
        ? 'ok'
        : `${integrityResult}; ${String(findingCheck)}`;
    const stored = (
      stagingDb.prepare('SELECT count(*) AS n FROM resource_index').get() as { n: number }
    ).n;
    if (
      integrity !== 'ok' ||
      stored !== summary.stored ||
      stored + summary.identicalDuplicates !== m.totals.resources
    )
      throw new ReservError('SNAPSHOT_CHECK_FAILED', {
        details: [
          `integrity ${integrity}, ${stored} stored + ${summary.identicalDuplicates} repeated, manifest ${m.totals.resources}`,
        ],
      });
    stagingDb.pragma('journal_mode = DELETE');
    stagingDb.close();
    stagingDb = undefined;

    fp('rename');
    const finalName = path.basename(station.paths.snapshot(m.snapshotId));
    renameSync(staging, station.paths.snapshot(m.snapshotId));
    staging = station.paths.snapshot(m.snapshotId);

    fp('commit');
    const now = deps.clock.now().toISOString();
    station.control.transaction(() => {
      station.control
        .prepare(`UPDATE snapshot SET state = 'retained' WHERE state = 'active'`)
        .run();
      station.control
        .prepare(
          `INSERT INTO snapshot (id, sequence, created_at, transaction_time, manifest_sha256, resource_count, imported_at, file, state)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'active')`,
        )
        .run(
          m.snapshotId,
          m.sequence,
          m.createdAt,
          m.transactionTime,
          hash,
          stored,
          now,
          finalName,
        );
      station.control
        .prepare(
          'UPDATE station SET active_snapshot_id = ?, last_accepted_sequence = ? WHERE singleton = 1',
        )
        .run(m.snapshotId, m.sequence);
      station.control
        .prepare(
          `INSERT INTO import_event (at, outcome, snapshot_id, sequence) VALUES (?, 'accepted', ?, ?)`,
        )
        .run(now, m.snapshotId, m.sequence);
    })();
    committed = true;
    deps.log.info('import.accepted', { sequence: m.sequence, resources: stored });

    fp('retention');
    const deleted = applyRetention(station, deps.keep ?? 4);
    return {
      outcome: 'accepted',
      snapshotId: m.snapshotId,
      sequence: m.sequence,
      resources: stored,
      deleted,
    };
  } catch (thrown) {
    const error = toReservError(thrown);
    // The check worker may hold the staging file open; it must let go before the file is removed.
    await checker?.stop();
    if (stagingDb?.open) stagingDb.close();
    if (!committed && staging !== undefined) rmSync(staging, { force: true });
    if (!committed) recordFailure(station, error, deps.clock.now(), manifest);
    deps.log.warn('import.rejected', { code: op(error.code) });
    throw error;
  } finally {
    await checker?.stop();
    station.close();
    releaseLock();
  }
}
