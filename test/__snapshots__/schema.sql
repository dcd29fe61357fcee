CREATE INDEX finding_resource ON finding (type, id);
CREATE INDEX patient_ident ON patient (ident_norm);
CREATE INDEX patient_unit ON patient (unit_id, room, search_fold);
CREATE INDEX resource_patient ON resource_index (patient_id, type) WHERE patient_id IS NOT NULL;
CREATE UNIQUE INDEX resource_type_id ON resource_index (type, id);
CREATE TABLE finding (
  pk INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  code TEXT NOT NULL,
  detail TEXT
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
CREATE VIRTUAL TABLE patient_search USING fts5 (
  search_fold,
  content = 'patient',
  content_rowid = 'pk',
  tokenize = 'trigram'
);
CREATE TABLE 'patient_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;
CREATE TABLE 'patient_search_data'(id INTEGER PRIMARY KEY, block BLOB);
CREATE TABLE 'patient_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE 'patient_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE resource_block (
  pk INTEGER PRIMARY KEY,
  -- Lines of one payload file joined by "\n", raw deflate (RFC 1951).
  data BLOB NOT NULL
);
CREATE TABLE resource_index (
  pk INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  patient_id TEXT,
  date TEXT,
  status TEXT,
  -- References this resource makes, as a JSON array of "Type/id".
  refs TEXT
, block INTEGER NOT NULL DEFAULT 0, line INTEGER NOT NULL DEFAULT 0);
CREATE TABLE snapshot_info (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE unit (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT,
  parent_id TEXT,
  hsa_id TEXT,
  phone TEXT
);
CREATE VIEW resource AS
  SELECT i.pk, i.type, i.id, i.patient_id, i.date, i.status, i.refs,
         rj_raw(b.pk, b.data, i.line) AS raw
    FROM resource_index i JOIN resource_block b ON b.pk = i.block;
