/**
 * Who is asking, for this request: the session's role and units, re-read from the control
 * database and narrowed by the staff roster of the snapshot the request is served from. Checked
 * on every request, so disabling an account, resetting its password, revoking an emergency code
 * or a newer roster takes effect at the person's next click, not at their next sign-in.
 */
import type { Db } from '../store/db.ts';
import { unitFacts } from '../store/units.ts';
import { getEmergencyCode, isUsable } from './emergency.ts';
import type { Subject } from './policy.ts';
import { rosterOf } from './roster.ts';
import type { Session } from './sessions.ts';
import { credentialOf, getUser, type UserRow } from './users.ts';

export type SubjectResult =
  | { readonly ok: true; readonly subject: Subject }
  | { readonly ok: false; readonly why: 'ended' | 'not-in-roster' };

function ancestorsOf(snapshot: Db): (unit: string) => string[] {
  return (unit) => unitFacts(snapshot, unit)?.ancestors.slice() ?? [];
}

/**
 * The units an account may use given the roster: a configured unit stays when the roster places
 * the person in it or in a unit above it; a roster unit is added when it lies inside a
 * configured unit. Anything else is dropped.
 */
export function narrowToRoster(
  configured: ReadonlySet<string>,
  roster: ReadonlySet<string>,
  ancestors: (unit: string) => readonly string[],
): Set<string> {
  const out = new Set<string>();
  for (const u of configured) {
    if (roster.has(u) || ancestors(u).some((a) => roster.has(a))) out.add(u);
  }
  for (const r of roster) {
    if (ancestors(r).some((a) => configured.has(a))) out.add(r);
  }
  return out;
}

export function subjectFor(
  control: Db,
  session: Session,
  snapshot: Db | undefined,
  now: Date,
): SubjectResult {
  if (session.emergency) {
    const code = getEmergencyCode(control, session.emergency.codeId);
    if (!code || !isUsable(code, now)) return { ok: false, why: 'ended' };
    return {
      ok: true,
      subject: {
        role: session.role,
        units: new Set(),
        emergencyUnit: code.unitId,
        breakGlass: new Map(),
      },
    };
  }
  const user = getUser(control, session.user);
  if (
    !user ||
    user.disabledAt !== null ||
    user.role !== session.role ||
    credentialOf(user) !== session.credential
  )
    return { ok: false, why: 'ended' };
  return accountSubject(user, snapshot, session.breakGlass);
}

/**
 * The subject of an account outside any web session (the command line's `print --user`): its
 * role and units, narrowed by the roster of `snapshot` as for a signed-in person.
 */
export function accountSubject(
  user: UserRow,
  snapshot: Db | undefined,
  breakGlass: ReadonlyMap<string, string> = new Map(),
): SubjectResult {
  if (user.disabledAt !== null) return { ok: false, why: 'ended' };
  let units: ReadonlySet<string> = new Set(user.units);
  if (
    user.hsaId !== null &&
    snapshot !== undefined &&
    user.role !== 'admin' &&
    user.role !== 'auditor'
  ) {
    const roster = rosterOf(snapshot);
    if (roster.present) {
      const entry = roster.get(user.hsaId);
      if (!entry || !entry.active) return { ok: false, why: 'not-in-roster' };
      units = narrowToRoster(units, entry.units, ancestorsOf(snapshot));
    }
  }
  return { ok: true, subject: { role: user.role, units, breakGlass } };
}
