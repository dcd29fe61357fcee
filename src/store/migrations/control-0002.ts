/**
 * Control database 0002: people and their access.
 *
 * - `user`: personal accounts. The password is stored only as a scrypt hash string; roles are a
 *   closed list; units are a JSON array of unit (Organization) ids. A disabled user keeps their
 *   row, because the audit log names them for years.
 * - `emergency_code`: one-time access codes issued by the on-call unit manager. Only a hash of
 *   the code is kept; the code itself is shown once, to the person who issued it.
 * - `audit_anchor`: the head of the audit chain as last written, kept outside the audit
 *   database so that cutting entries off the end of the audit log (truncation) is detected.
 */
export const sql = `
CREATE TABLE user (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('staff', 'nurse', 'oncall', 'admin', 'auditor')),
  units TEXT NOT NULL DEFAULT '[]',
  hsa_id TEXT,
  password_hash TEXT NOT NULL,
  totp_secret TEXT,
  totp_last_step INTEGER,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  disabled_at TEXT
);

CREATE TABLE emergency_code (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL UNIQUE,
  unit_id TEXT NOT NULL,
  for_person TEXT,
  holder TEXT,
  reason TEXT NOT NULL,
  issued_by TEXT NOT NULL,
  issued_at TEXT NOT NULL,
  valid_until TEXT NOT NULL,
  first_used_at TEXT,
  revoked_at TEXT,
  revoked_by TEXT
);

CREATE TABLE audit_anchor (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
`;
