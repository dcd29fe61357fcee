CREATE INDEX snapshot_sequence ON snapshot (sequence);
CREATE TABLE alert_state (
  kind TEXT PRIMARY KEY,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  since TEXT,
  last_sent_at TEXT
, fingerprint TEXT);
CREATE TABLE audit_anchor (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE audit_delivery (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  delivered_through INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error TEXT
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
CREATE TABLE link_state (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  index_etag TEXT,
  index_last_modified TEXT,
  partial_file TEXT,
  partial_etag TEXT,
  partial_sha256 TEXT,
  partial_size INTEGER
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
CREATE TABLE station (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  name TEXT NOT NULL,
  environment TEXT NOT NULL CHECK (environment IN ('prod', 'test')),
  key_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_accepted_sequence INTEGER NOT NULL DEFAULT 0,
  active_snapshot_id TEXT
);
CREATE TABLE sync_event (
  pk INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  source TEXT NOT NULL,
  outcome TEXT NOT NULL
    CHECK (outcome IN ('imported', 'up-to-date', 'unreachable', 'failed', 'rejected')),
  code TEXT,
  message TEXT,
  sequence INTEGER,
  bytes INTEGER,
  exporter_heartbeat_at TEXT,
  exporter_last_published_at TEXT
, exporter_expected_interval_minutes INTEGER, exporter_grace_minutes INTEGER);
CREATE TABLE trusted_key (
  key_id TEXT PRIMARY KEY,
  public_pem TEXT NOT NULL,
  added_at TEXT NOT NULL,
  revoked_at TEXT
);
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
