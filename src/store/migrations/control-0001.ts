/**
 * Control database 0001. The control database is small and holds what must change atomically:
 * which snapshot is active and the last accepted sequence number live in the one `station` row,
 * so switching snapshots is a single transaction (rename is not atomic on Windows, a transaction
 * is). It also holds the trust list and the history of imports.
 */
export const sql = `
CREATE TABLE station (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  name TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('prod', 'test')),
  key_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_accepted_sequence INTEGER NOT NULL DEFAULT 0,
  active_snapshot_id TEXT
);

CREATE TABLE trusted_key (
  key_id TEXT PRIMARY KEY,
  public_pem TEXT NOT NULL,
  added_at TEXT NOT NULL,
  revoked_at TEXT
);

CREATE TABLE snapshot (
  id TEXT PRIMARY KEY,
  sequence INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  transaction_time TEXT NOT NULL,
  manifest_sha256 TEXT NOT NULL,
  resource_count INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  file TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'retained', 'deleted'))
);
CREATE INDEX snapshot_sequence ON snapshot (sequence);

CREATE TABLE import_event (
  pk INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'unchanged')),
  code TEXT,
  message TEXT,
  snapshot_id TEXT,
  sequence INTEGER,
  alert INTEGER NOT NULL DEFAULT 0
);
`;
