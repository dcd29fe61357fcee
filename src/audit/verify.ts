/**
 * Verifying the audit chain (reliability I6, tested by L4).
 *
 * The walk starts at genesis, or at a checkpoint `{seq, hash}` taken from a signed export
 * checkpoint (checkpoint.ts) so that a later check need not re-hash years of entries, and reads
 * the entries in `seq` order one at a time (a statement iterator: memory stays flat however long
 * the log). Each entry must
 * 1. have the next `seq` (a gap means entries were deleted or renumbered),
 * 2. name the previous entry's hash as `prev_hash` (deletion, insertion, reordering),
 * 3. hash to its stored `hash` (any field modified, or the stored hash itself).
 * What the chain alone cannot show is a cut at the end, or a rewrite that recomputes every later
 * hash (the chain has no secret). The anchor, kept in the control database, covers both: the log
 * must reach the anchor's `seq` and hold the anchor's hash there.
 *
 * A log that goes on past the anchor is accepted when those entries chain correctly: the anchor is
 * written just after each commit, so a crash between the two leaves it one append behind. The
 * result says how far (`beyondAnchor`) so a caller can warn when it is more than that.
 */
import type { Db } from '../store/db.ts';
import { entryHash, GENESIS } from './chain.ts';
import { ENTRY_COLUMNS, type AuditRow, type ChainHead } from './entry.ts';

export type VerifyResult =
  | {
      readonly ok: true;
      /** Entries walked (after the checkpoint, when one was given). */
      readonly entries: number;
      readonly head: ChainHead;
      /** Entries after the anchor (0 when none was given). */
      readonly beyondAnchor: number;
    }
  | { readonly ok: false; readonly firstBadSeq: number; readonly problem: string };

export interface VerifyOptions {
  /** Start after this trusted checkpoint instead of at genesis. */
  readonly from?: ChainHead;
}

const bad = (firstBadSeq: number, problem: string): VerifyResult => ({
  ok: false,
  firstBadSeq,
  problem,
});

export function verifyAuditChain(
  db: Db,
  anchor?: ChainHead,
  options: VerifyOptions = {},
): VerifyResult {
  const from = options.from ?? GENESIS;
  let prev: ChainHead = from;
  try {
    const hashAt = db.prepare('SELECT hash FROM audit_entry WHERE seq = ?').pluck();
    // Known points before the walk's start: the checkpoint itself, and an anchor behind it.
    const known = [from, ...(anchor !== undefined && anchor.seq <= from.seq ? [anchor] : [])];
    for (const point of known.sort((a, b) => a.seq - b.seq)) {
      if (point.seq === 0) {
        if (point.hash !== GENESIS.hash) return bad(1, 'the chain does not start from genesis');
        continue;
      }
      const stored = hashAt.get(point.seq);
      if (stored === undefined) return bad(point.seq, `entry ${point.seq} is missing`);
      if (stored !== point.hash)
        return bad(point.seq, `entry ${point.seq} differs from the checkpoint or anchor`);
    }
    const rows = db
      .prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entry WHERE seq > ? ORDER BY seq`)
      .iterate(from.seq) as IterableIterator<AuditRow>;
    let entries = 0;
    for (const row of rows) {
      const expected = prev.seq + 1;
      if (row.seq !== expected)
        return bad(expected, `entry ${expected} is missing (the next one is ${row.seq})`);
      if (row.prev_hash !== prev.hash)
        return bad(row.seq, `entry ${row.seq} does not link to the entry before it`);
      if (entryHash(row) !== row.hash)
        return bad(row.seq, `entry ${row.seq} does not match its hash: it was altered`);
      if (anchor !== undefined && row.seq === anchor.seq && row.hash !== anchor.hash)
        return bad(row.seq, `entry ${row.seq} differs from the anchor`);
      prev = { seq: row.seq, hash: row.hash };
      entries++;
    }
    if (anchor !== undefined && prev.seq < anchor.seq)
      return bad(
        prev.seq + 1,
        `the log ends at entry ${prev.seq} but the anchor names entry ${anchor.seq}: entries were cut off`,
      );
    return {
      ok: true,
      entries,
      head: prev,
      beyondAnchor: anchor === undefined ? 0 : prev.seq - anchor.seq,
    };
  } catch (cause) {
    // An unreadable page in an encrypted file is itself a sign of tampering (or a failing disk).
    const message = cause instanceof Error ? cause.message : String(cause);
    return bad(prev.seq + 1, `the log cannot be read after entry ${prev.seq}: ${message}`);
  }
}
