/**
 * Control database 0003: the link to the exporter.
 *
 * - `sync_event`: every sync attempt and what came of it, kept as history for the status page
 *   and for `status --json` (no patient data: only sequences, sizes, codes and times). The
 *   exporter's heartbeat as seen in that sync is recorded so the station can tell "the link is
 *   down" (no heartbeat read) from "the exporter has stopped" (an old heartbeat read fine).
 * - `link_state`: what makes the next sync cheap and resumable: the outbox index's validators
 *   for conditional requests, and the partial download being resumed (its expected size and
 *   hash come from the index, so a resumed file is still checked end to end).
 * - `alert_state`: one row per alert kind, so a lasting condition alerts once when it starts,
 *   again at a slow repeat, and once more when it clears, instead of at every check.
 * - `audit_delivery`: how far the audit log has been confirmed by the exporter's inbox. Entries
 *   are never deleted on the station; this only says where the next delivery starts.
 */
export const sql = `
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

CREATE TABLE alert_state (
  kind TEXT PRIMARY KEY,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  since TEXT,
  last_sent_at TEXT
);

CREATE TABLE audit_delivery (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  delivered_through INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error TEXT
);
`;
