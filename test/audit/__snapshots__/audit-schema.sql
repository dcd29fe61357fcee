CREATE INDEX audit_entry_action ON audit_entry (action, seq);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_patient ON audit_entry (patient, seq);
CREATE INDEX audit_entry_unit ON audit_entry (unit, seq);
CREATE INDEX audit_entry_user ON audit_entry (user, seq);
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
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN
  SELECT RAISE(ABORT, 'audit_entry is append-only: entries are never deleted');
END;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN
  SELECT RAISE(ABORT, 'audit_entry is append-only: entries are never changed');
END;
