/**
 * Sign-in state and auditing for the web routes.
 *
 * `requireSession` turns the session cookie into a Subject for this request (or sends the
 * person to the sign-in page). `audited` is the one way a route records what it discloses:
 *
 * Audit before disclosure (invariant I5). A route that shows patient data first builds what it
 * will show, then calls `audited()` with one event per resident it discloses, and only when that
 * returns — the entries are committed to the audit database — renders and sends the response.
 * If the audit store fails, `audited()` throws AUDIT_UNAVAILABLE and the person sees an error page
 * with no patient data on it.
 */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AuditLog } from '../audit/audit-log.ts';
import type { AuditEntry } from '../audit/entry.ts';
import type { AuditEventInput, AuditFlag } from '../audit/vocabulary.ts';
import type { Scope } from '../auth/policy.ts';
import type { Session, SessionStore } from '../auth/sessions.ts';
import { subjectFor } from '../auth/subject.ts';
import type { Throttle } from '../auth/throttle.ts';
import type { Clock } from '../core/clock.ts';
import { ReservError } from '../core/errors.ts';
import type { Db } from '../store/db.ts';
import type { Env } from './env.ts';

export const SESSION_COOKIE = 'rj_session';

export interface AccessDeps {
  readonly control: Db;
  readonly audit: AuditLog;
  readonly sessions: SessionStore;
  readonly throttle: Throttle;
}

export function setSessionCookie(c: Context<Env>, session: Session): void {
  // HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it. (`Secure`
  // would stop it working over plain HTTP on 127.0.0.1, where the station lives.)
  setCookie(c, SESSION_COOKIE, session.id, { httpOnly: true, sameSite: 'Strict', path: '/' });
}

export function clearSessionCookie(c: Context<Env>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}

/** A short, non-secret reference to a session for the audit log (never the id itself). */
export function sessionRef(session: Session): string {
  return createHash('sha256').update(session.id).digest('hex').slice(0, 12);
}

export function requireSession(access: AccessDeps, clock: Clock): MiddlewareHandler<Env> {
  return async (c, next) => {
    const now = clock.now();
    const found = access.sessions.lookup(getCookie(c, SESSION_COOKIE), now.getTime());
    const signIn = (ended: boolean) => {
      clearSessionCookie(c);
      if (c.req.method === 'GET') return c.redirect(ended ? '/logga-in?slut=1' : '/logga-in', 303);
      throw new ReservError(ended ? 'SESSION_EXPIRED' : 'AUTH_REQUIRED');
    };
    if (found.state !== 'active') return signIn(found.state === 'expired');
    const session = found.session;
    const result = subjectFor(access.control, session, c.var.snapshot?.db, now);
    if (!result.ok) {
      access.sessions.destroy(session.id);
      if (result.why === 'not-in-roster') {
        audited(c, access, [
          {
            action: 'denied',
            outcome: 'denied',
            user: session.user,
            role: session.role,
            session: sessionRef(session),
            reason: 'not active in the staff roster of this snapshot',
          },
        ]);
        clearSessionCookie(c);
        throw new ReservError('ACCESS_DENIED', { details: ['not in the staff roster'] });
      }
      return signIn(true);
    }
    c.set('session', session);
    c.set('subject', result.subject);
    c.set('frame', {
      ...c.var.frame,
      user: {
        displayName: session.displayName,
        role: session.role,
        emergency: session.emergency !== undefined,
      },
    });
    return next();
  };
}

export function flagsFor(session: Session | undefined, scope: Scope | null): AuditFlag[] {
  const flags: AuditFlag[] = [];
  if (session?.emergency || scope === 'emergency') flags.push('emergency');
  if (scope === 'break-glass') flags.push('break-glass');
  return flags;
}

/**
 * Commit audit entries for this request; throws AUDIT_UNAVAILABLE when they cannot be written
 * (see the module comment). User, role, session and snapshot are filled in from the request.
 */
export function audited(
  c: Context<Env>,
  access: AccessDeps,
  events: readonly AuditEventInput[],
): AuditEntry[] {
  const session = c.var.session as Session | undefined;
  const snapshotId = c.var.snapshot?.info.snapshotId;
  return access.audit.append(
    events.map((e) => {
      const flags = [...new Set([...(e.flags ?? []), ...flagsFor(session, null)])];
      return {
        ...(session
          ? { user: session.user, role: session.role, session: sessionRef(session) }
          : {}),
        ...(snapshotId ? { snapshotId } : {}),
        ...e,
        ...(flags.length > 0 ? { flags } : {}),
      };
    }),
  );
}
