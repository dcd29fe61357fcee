/**
 * 0002: raw JSON text in compressed blocks (see src/store/raw-blocks.ts).
 *
 * A snapshot database is written once by the import and then only read, so this migration only
 * ever runs on an empty database: it replaces the one-row-per-resource `resource_raw` table by
 * `resource_block` and points each resource at its block and line. The `resource` view keeps
 * its columns, so readers do not change; its `raw` column is now computed by `rj_raw`, a
 * function every connection of this program registers (src/store/db.ts).
 *
 * From this version on, `refs` writes the reference to the resource's own patient (the one in
 * `patient_id`) as "@" (SELF_PATIENT_REF in src/store/prepare-row.ts): it was almost half of
 * every row.
 */
export const sql = `
DROP VIEW resource;
DROP TABLE resource_raw;

CREATE TABLE resource_block (
  pk INTEGER PRIMARY KEY,
  -- Lines of one payload file joined by "\\n", raw deflate (RFC 1951).
  data BLOB NOT NULL
);

ALTER TABLE resource_index ADD COLUMN block INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resource_index ADD COLUMN line INTEGER NOT NULL DEFAULT 0;

CREATE VIEW resource AS
  SELECT i.pk, i.type, i.id, i.patient_id, i.date, i.status, i.refs,
         rj_raw(b.pk, b.data, i.line) AS raw
    FROM resource_index i JOIN resource_block b ON b.pk = i.block;
`;
