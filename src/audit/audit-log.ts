/**
 * The station's audit log: the one writer of `audit_entry` (style practice 14).
 *
 * Audit before disclosure (reliability I5): a caller appends the events of a request and sends
 * patient data only if `append` returns. `append` writes the whole batch in one `BEGIN IMMEDIATE`
 * transaction, each entry chained to the one before, or nothing at all; every failure of the store
 * (locked past the busy timeout, disk full, closed handle) becomes AUDIT_UNAVAILABLE. The file is
 * opened with `synchronous = FULL`, so a committed entry survives a power cut (in WAL mode the
 * default NORMAL may lose the last commits, which here would mean a disclosure without its record).
 *
 * The anchor (anchor.ts) is written just after each commit, outside the transaction: the two
 * databases cannot commit atomically together (SQLite does not promise it for WAL files), and the
 * safe order is log first. A crash in between leaves the anchor one append behind, which
 * verify.ts accepts. A failing anchor write does not undo or refuse the committed entries; it is
 * reported through `onAnchorProblem`. If the anchor does not match the log at all (the log file
 * was replaced or cut short), the anchor is never overwritten, so the evidence stays for
 * `verifyAuditChain`, while the station goes on logging, and so serving care.
 */
import { existsSync } from 'node:fs';
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import { noFailpoints, type Failpoint } from '../core/failpoints.ts';
import { migrate, openEncrypted, type Db } from '../store/db.ts';
import type { AuditAnchor } from './anchor.ts';
import { AUDIT_MIGRATIONS } from './audit-schema.ts';
import { entryHash, GENESIS } from './chain.ts';
import { disclosuresForUnit, type Disclosure, type DisclosureQuery } from './disclosures.ts';
import { toEntry, type AuditEntry, type AuditRow, type ChainHead } from './entry.ts';
import { queryAuditEntries, type AuditQuery } from './query.ts';
import { toColumns } from './validate.ts';
import { verifyAuditChain, type VerifyResult } from './verify.ts';
import type { AuditEventInput } from './vocabulary.ts';

export const AUDIT_BUSY_TIMEOUT_MS = 2000;

export interface AuditLogOptions {
  readonly file: string;
  /** The station's database key (64 hex digits), as for the other encrypted databases. */
  readonly dbKey: string;
  readonly clock: Clock;
  readonly anchor: AuditAnchor;
  /** How long a write waits for a lock held by another connection (default 2000 ms). */
  readonly busyTimeoutMs?: number;
  /** Told when the anchor cannot be read or written, or does not match the log. */
  readonly onAnchorProblem?: (problem: string, cause?: unknown) => void;
  /** Test hook: `audit.begin`, `audit.insert` (after each row), `audit.commit`. */
  readonly failpoint?: Failpoint;
}

export interface AuditLog {
  /** Write all events or none; throws AUDIT_UNAVAILABLE when the store fails. */
  append(events: readonly AuditEventInput[]): AuditEntry[];
  head(): ChainHead;
  query(filters?: AuditQuery): AuditEntry[];
  /** Per patient, what of one unit was viewed or printed in a period (the transfer checklist). */
  disclosures(filters: DisclosureQuery): Disclosure[];
  /** Verify the whole chain (or from a checkpoint) against the current anchor. */
  verify(options?: { from?: ChainHead }): VerifyResult;
  close(): void;
}

function unavailable(cause: unknown): ReservError {
  return cause instanceof ReservError && cause.code === 'AUDIT_UNAVAILABLE'
    ? cause
    : new ReservError('AUDIT_UNAVAILABLE', { cause });
}

function openDb(file: string, dbKey: string, busyTimeoutMs: number): Db {
  const create = !existsSync(file);
  let db: Db | undefined;
  try {
    db = openEncrypted(file, dbKey, { create });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, AUDIT_MIGRATIONS);
    return db;
  } catch (cause) {
    db?.close();
    // A wrong key or a newer schema is itself; anything else means the log cannot be written.
    if (cause instanceof ReservError && cause.code !== 'INTERNAL' && cause.code !== 'DISK_FULL')
      throw cause;
    throw unavailable(cause);
  }
}

export function openAuditLog(options: AuditLogOptions): AuditLog {
  const db = openDb(options.file, options.dbKey, options.busyTimeoutMs ?? AUDIT_BUSY_TIMEOUT_MS);
  const fp = options.failpoint ?? noFailpoints;
  const report = options.onAnchorProblem ?? (() => {});

  const selectHead = db.prepare('SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1');
  const selectHash = db.prepare('SELECT hash FROM audit_entry WHERE seq = ?').pluck();
  const insert = db.prepare(
    `INSERT INTO audit_entry (seq, at, user, role, unit, patient, patient_ident, action, resources,
       snapshot_id, outcome, reason, flags, session, prev_hash, hash)
     VALUES (@seq, @at, @user, @role, @unit, @patient, @patient_ident, @action, @resources,
       @snapshot_id, @outcome, @reason, @flags, @session, @prev_hash, @hash)`,
  );

  const readHead = (): ChainHead => (selectHead.get() as ChainHead | undefined) ?? GENESIS;

  /** May the anchor be moved on from `head`? Only when it lies on this log's chain. */
  const anchorFits = (head: ChainHead): boolean => {
    let anchor: ChainHead | undefined;
    try {
      anchor = options.anchor.read();
    } catch (cause) {
      report('the audit anchor cannot be read', cause);
      return false;
    }
    if (anchor === undefined) return true;
    const hashThere = anchor.seq === 0 ? GENESIS.hash : selectHash.get(anchor.seq);
    if (anchor.seq <= head.seq && hashThere === anchor.hash) return true;
    report(
      `the audit anchor (entry ${anchor.seq}) does not match the log (head ${head.seq}); ` +
        'it is left as it is: run the audit verification',
    );
    return false;
  };

  const transaction = db.transaction((columns: ReturnType<typeof toColumns>) => {
    const head = readHead();
    const fits = anchorFits(head);
    const at = options.clock.now().toISOString();
    let prev = head;
    const rows: AuditRow[] = [];
    for (const c of columns) {
      const unhashed = { ...c, seq: prev.seq + 1, at, prev_hash: prev.hash };
      const row: AuditRow = { ...unhashed, hash: entryHash(unhashed) };
      insert.run(row);
      fp('audit.insert');
      rows.push(row);
      prev = row;
    }
    fp('audit.commit');
    return { rows, fits };
  });

  return {
    append(events) {
      const columns = toColumns(events);
      if (columns.length === 0) return [];
      let result: { rows: AuditRow[]; fits: boolean };
      try {
        fp('audit.begin');
        // BEGIN IMMEDIATE: take the write lock first, so the head read is the head we extend.
        result = transaction.immediate(columns);
      } catch (cause) {
        throw unavailable(cause);
      }
      const last = result.rows[result.rows.length - 1]!;
      if (result.fits) {
        try {
          options.anchor.write({ seq: last.seq, hash: last.hash });
        } catch (cause) {
          report('the audit anchor cannot be written', cause);
        }
      }
      return result.rows.map(toEntry);
    },
    head() {
      try {
        return readHead();
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    query(filters) {
      try {
        return queryAuditEntries(db, filters);
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    disclosures(filters) {
      try {
        return disclosuresForUnit(db, filters);
      } catch (cause) {
        throw unavailable(cause);
      }
    },
    verify(verifyOptions) {
      // A closed handle is an unavailable log, not a broken chain.
      if (!db.open) throw new ReservError('AUDIT_UNAVAILABLE');
      return verifyAuditChain(db, options.anchor.read(), verifyOptions);
    },
    close() {
      db.close();
    },
  };
}
