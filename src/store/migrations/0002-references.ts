/**
 * 0002: references between resources, collected while importing, so that dangling references
 * (a reference to a resource the snapshot does not hold) can be flagged with one query. No index:
 * the one query walks this table once and looks each target up in resource's own index.
 */
export const sql = `
CREATE TABLE reference (
  from_type TEXT NOT NULL,
  from_id TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL
);
`;
