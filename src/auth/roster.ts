/**
 * The staff roster a snapshot carries: Practitioner (with an HSA-id) and PractitionerRole (with
 * the unit as `organization`). An account linked to an HSA-id works only where the newest
 * roster says the person works: a person disabled (`active: false`) or moved to another unit in
 * a newer snapshot loses that access at their next request, because every request reads the
 * roster of the snapshot it is served from.
 *
 * The roster is read once per snapshot database and cached by its handle.
 */
import { IDENTIFIER_SYSTEMS } from '../core/personnummer.ts';
import type { Db } from '../store/db.ts';

export interface RosterEntry {
  readonly active: boolean;
  readonly units: ReadonlySet<string>;
}

export interface Roster {
  /** False when the snapshot has no staff with HSA-ids: accounts then keep their own units. */
  readonly present: boolean;
  get(hsaId: string): RosterEntry | undefined;
}

type Json = Record<string, unknown>;

const cache = new WeakMap<Db, Roster>();

function isHsa(system: unknown): boolean {
  return system === IDENTIFIER_SYSTEMS.hsaId || String(system).endsWith('1.2.752.29.4.19');
}

function refId(ref: unknown, type: string): string | undefined {
  const r = (ref as Json | undefined)?.reference;
  return typeof r === 'string' && r.startsWith(`${type}/`) ? r.slice(type.length + 1) : undefined;
}

export function rosterOf(db: Db): Roster {
  const hit = cache.get(db);
  if (hit) return hit;
  const byPractitioner = new Map<string, { hsa: string; active: boolean; units: Set<string> }>();
  const rows = (type: string) =>
    db.prepare('SELECT raw FROM resource WHERE type = ?').pluck().iterate(type) as Iterable<string>;
  for (const raw of rows('Practitioner')) {
    const p = JSON.parse(raw) as Json;
    const ids = Array.isArray(p.identifier) ? (p.identifier as Json[]) : [];
    const hsa = ids.find((i) => isHsa(i.system) && typeof i.value === 'string')?.value;
    if (typeof hsa === 'string' && typeof p.id === 'string')
      byPractitioner.set(p.id, { hsa, active: p.active !== false, units: new Set() });
  }
  for (const raw of rows('PractitionerRole')) {
    const role = JSON.parse(raw) as Json;
    if (role.active === false) continue;
    const who = byPractitioner.get(refId(role.practitioner, 'Practitioner') ?? '');
    const unit = refId(role.organization, 'Organization');
    if (who && unit) who.units.add(unit);
  }
  const byHsa = new Map<string, RosterEntry>();
  for (const p of byPractitioner.values()) byHsa.set(p.hsa, { active: p.active, units: p.units });
  const roster: Roster = { present: byHsa.size > 0, get: (hsa) => byHsa.get(hsa) };
  cache.set(db, roster);
  return roster;
}
