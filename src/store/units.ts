/**
 * Where a unit sits in the organisation: the facts the access policy needs about a resident's
 * unit, read from a snapshot database.
 */
import type { UnitFacts } from '../auth/policy.ts';
import type { Db } from './db.ts';

// A snapshot database never changes and holds few units: remember each unit's facts per
// database handle (search and unit pages ask for them once per listed person).
const cache = new WeakMap<Db, Map<string, UnitFacts>>();

export function unitFacts(db: Db, unitId: string | null): UnitFacts | null {
  if (unitId === null) return null;
  let known = cache.get(db);
  if (!known) cache.set(db, (known = new Map<string, UnitFacts>()));
  const hit = known.get(unitId);
  if (hit) return hit;
  const facts = readUnitFacts(db, unitId);
  known.set(unitId, facts);
  return facts;
}

function readUnitFacts(db: Db, unitId: string): UnitFacts {
  // The unit and the chain of units above it (bounded: a malformed partOf loop must not spin).
  const chain = db
    .prepare(
      `WITH RECURSIVE up(id, parent, kind, depth) AS (
         SELECT id, parent_id, kind, 0 FROM unit WHERE id = ?
         UNION ALL
         SELECT u.id, u.parent_id, u.kind, up.depth + 1 FROM unit u JOIN up ON u.id = up.parent
          WHERE up.depth < 16)
       SELECT id, kind FROM up ORDER BY depth`,
    )
    .all(unitId) as { id: string; kind: string | null }[];
  return {
    id: unitId,
    ancestors: chain.slice(1).map((u) => u.id),
    homeCare: chain[0]?.kind === 'home-care-group',
  };
}
