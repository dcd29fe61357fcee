/**
 * 0002: references between resources, collected while importing, so that dangling references
 * (a reference to a resource the snapshot does not hold) can be flagged with one query.
 */
export const sql = `
CREATE TABLE reference (
  from_type TEXT NOT NULL,
  from_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL
);
CREATE INDEX reference_target ON reference (target_type, target_id);
`;
