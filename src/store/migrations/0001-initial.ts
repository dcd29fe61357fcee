/**
 * 0001: the first station database layout.
 *
 * `resource` (a view over `resource_index` and `resource_raw`) keeps every resource's raw JSON
 * text exactly as received (FHIR decimals such as 0.010 lose digits as JSON numbers) plus the
 * index columns the views need. `patient` and `unit`
 * are derived lookup tables; `patient_search` is a trigram full-text index over folded names and
 * rooms (folded in JavaScript, because this SQLite has no ICU). `finding` lists data that is odd
 * but authentic: it is stored and flagged, never dropped; `refs` lets one query find references
 * to resources the snapshot does not hold.
 */
export const sql = `
CREATE TABLE snapshot_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- The index columns and the raw text live in two tables joined by pk, so that scans of the
-- index columns (building indexes, finding dangling references) never read the raw JSON.
CREATE TABLE resource_index (
  pk INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  patient_id TEXT,
  date TEXT,
  status TEXT,
  -- References this resource makes, as a JSON array of "Type/id".
  refs TEXT
);
CREATE UNIQUE INDEX resource_type_id ON resource_index (type, id);
CREATE INDEX resource_patient ON resource_index (patient_id, type) WHERE patient_id IS NOT NULL;

CREATE TABLE resource_raw (
  pk INTEGER PRIMARY KEY,
  raw TEXT NOT NULL
);

CREATE VIEW resource AS
  SELECT i.pk, i.type, i.id, i.patient_id, i.date, i.status, i.refs, r.raw
    FROM resource_index i JOIN resource_raw r ON r.pk = i.pk;

CREATE TABLE unit (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT,
  parent_id TEXT,
  hsa_id TEXT,
  phone TEXT
);

CREATE TABLE patient (
  pk INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  unit_id TEXT,
  room_ref TEXT,
  room TEXT,
  family TEXT,
  given TEXT,
  name_display TEXT NOT NULL,
  search_fold TEXT NOT NULL,
  ident_value TEXT,
  ident_norm TEXT,
  ident_kind TEXT,
  ident_valid INTEGER NOT NULL DEFAULT 0,
  birth_date TEXT,
  gender TEXT,
  protected INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX patient_unit ON patient (unit_id, room, search_fold);
CREATE INDEX patient_ident ON patient (ident_norm);

CREATE VIRTUAL TABLE patient_search USING fts5 (
  search_fold,
  content = 'patient',
  content_rowid = 'pk',
  tokenize = 'trigram'
);

CREATE TABLE finding (
  pk INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  code TEXT NOT NULL,
  detail TEXT
);
CREATE INDEX finding_resource ON finding (type, id);
`;
