/**
 * The audit database's own migrations (numbered and additive, like the station's others; see
 * src/store/migrations/index.ts). The audit log lives in its own encrypted file so that it can
 * be kept, copied and verified apart from the snapshots, and so that a snapshot import never
 * contends with a disclosure's audit write.
 *
 * `audit_entry` is append-only: one row per event, `seq` 1, 2, 3… with no gaps, each row
 * hash-chained to the one before (chain.ts). The triggers refuse UPDATE and DELETE so that no
 * code path, and no person with an SQL shell, changes the log by accident. Someone who drops the
 * triggers on purpose is caught by the chain and the anchor (verify.ts). The indexes serve the
 * log reviewer's filters: user, patient, unit, time and action.
 */
import type { Migration } from '../store/migrations/index.ts';

const v0001 = `
CREATE TABLE audit_entry (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user TEXT,
  role TEXT,
  unit TEXT,
  patient TEXT,
  patient_ident TEXT,
  action TEXT NOT NULL,
  resources TEXT,
  snapshot_id TEXT,
  outcome TEXT NOT NULL,
  reason TEXT,
  flags TEXT,
  session TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);

CREATE INDEX audit_entry_user ON audit_entry (user, seq);
CREATE INDEX audit_entry_patient ON audit_entry (patient, seq);
CREATE INDEX audit_entry_unit ON audit_entry (unit, seq);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_action ON audit_entry (action, seq);

CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN
  SELECT RAISE(ABORT, 'audit_entry is append-only: entries are never changed');
END;

CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN
  SELECT RAISE(ABORT, 'audit_entry is append-only: entries are never deleted');
END;
`;

export const AUDIT_MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'audit-entry', sql: v0001 },
];
