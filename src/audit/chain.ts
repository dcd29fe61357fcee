/**
 * The audit chain: each entry's hash covers the previous entry's hash and every field of the
 * entry itself, so that changing, removing, adding or moving any entry changes a hash that a
 * later entry (or the anchor, or a signed checkpoint) has already fixed.
 *
 *   hash = sha256hex(prev_hash + "\n" + canonicalJson(the stored row without `hash`))
 *   genesis: the first entry's prev_hash is 64 zeros.
 *
 * The row is hashed exactly as stored (column names, JSON arrays as their stored text, NULL as
 * null), so verification needs no parsing or re-serialising and any change to the bytes on disk
 * shows, even one that would mean the same after parsing. canonicalJson sorts keys, so the column
 * order of a query does not matter.
 *
 * Why each field is covered:
 * - `seq`: the position. Without it, entries could be renumbered (an entry moved, or a gap closed
 *   after a deletion) without changing any hash.
 * - `prev_hash`: the link. It is both the prefix and a field; either alone would do, the prefix
 *   keeps the formula readable ("this entry, given everything before it").
 * - `at`: when. Backdating an access, or moving it out of a reviewed window, must show.
 * - `user`, `role`, `unit`: who, acting as what and where. The law requires the user's identity
 *   and unit; role decides whether the access was allowed, so it is evidence too.
 * - `patient`, `patient_ident`: whose record. A patient may ask for a log extract (domain §7): an
 *   entry re-pointed to another patient would hide an access from the right person.
 * - `action`, `outcome`: what happened and whether it worked. A "view" turned into "denied" (or
 *   the reverse) changes the story entirely.
 * - `resources`, `snapshot_id`: exactly what was disclosed, and from which copy of the journal.
 * - `reason`, `flags`: the justification of emergency and break-glass access, which reviewers
 *   must check; removing a flag would take an entry off the reviewer's first page.
 * - `session`: ties the entries of one sign-in together, so a session cannot be split or merged.
 *
 * The chain has no secret: whoever can open the encrypted database can recompute every hash
 * after an edit. The anchor kept in the control database (anchor.ts) and the signed checkpoints
 * (checkpoint.ts) are what make such a rewrite show; see verify.ts.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../snapshot/format.ts';
import type { AuditRow, ChainHead } from './entry.ts';

export const GENESIS_HASH = '0'.repeat(64);

export const GENESIS: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** The hash of a stored row; its own `hash` field, if present, is ignored. */
export function entryHash(row: Omit<AuditRow, 'hash'> & { hash?: string }): string {
  const fields: Omit<AuditRow, 'hash'> = {
    seq: row.seq,
    at: row.at,
    user: row.user,
    role: row.role,
    unit: row.unit,
    patient: row.patient,
    patient_ident: row.patient_ident,
    action: row.action,
    resources: row.resources,
    snapshot_id: row.snapshot_id,
    outcome: row.outcome,
    reason: row.reason,
    flags: row.flags,
    session: row.session,
    prev_hash: row.prev_hash,
  };
  return createHash('sha256')
    .update(row.prev_hash + '\n' + canonicalJson(fields))
    .digest('hex');
}
