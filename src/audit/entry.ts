/**
 * One audit entry, in the two shapes it has: `AuditRow` exactly as stored in `audit_entry`
 * (snake_case columns, JSON arrays as text, NULL for absent), which is what the chain hashes, and
 * `AuditEntry`, the same facts for code to read.
 */
import type { AuditAction, AuditFlag, AuditOutcome } from './vocabulary.ts';

export interface AuditRow {
  readonly seq: number;
  readonly at: string;
  readonly user: string | null;
  readonly role: string | null;
  readonly unit: string | null;
  readonly patient: string | null;
  readonly patient_ident: string | null;
  readonly action: string;
  /** JSON array of "Type/id", or NULL. */
  readonly resources: string | null;
  readonly snapshot_id: string | null;
  readonly outcome: string;
  readonly reason: string | null;
  /** JSON array of flags, or NULL when there are none. */
  readonly flags: string | null;
  readonly session: string | null;
  readonly prev_hash: string;
  readonly hash: string;
}

export interface AuditEntry {
  readonly seq: number;
  /** UTC, ISO 8601 with milliseconds. */
  readonly at: string;
  readonly user: string | null;
  readonly role: string | null;
  readonly unit: string | null;
  readonly patient: string | null;
  readonly patientIdent: string | null;
  readonly action: AuditAction;
  readonly resources: readonly string[] | null;
  readonly snapshotId: string | null;
  readonly outcome: AuditOutcome;
  readonly reason: string | null;
  readonly flags: readonly AuditFlag[] | null;
  readonly session: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

/** The head of the chain: the last entry's seq and hash (seq 0 and the genesis hash when empty). */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

export const ENTRY_COLUMNS =
  'seq, at, user, role, unit, patient, patient_ident, action, resources, snapshot_id, outcome, reason, flags, session, prev_hash, hash';

/** Read a stored row. The row was validated when written; the chain proves it has not changed. */
export function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    user: row.user,
    role: row.role,
    unit: row.unit,
    patient: row.patient,
    patientIdent: row.patient_ident,
    action: row.action as AuditAction,
    resources: row.resources === null ? null : (JSON.parse(row.resources) as string[]),
    snapshotId: row.snapshot_id,
    outcome: row.outcome as AuditOutcome,
    reason: row.reason,
    flags: row.flags === null ? null : (JSON.parse(row.flags) as AuditFlag[]),
    session: row.session,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
