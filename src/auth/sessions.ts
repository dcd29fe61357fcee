/**
 * Server-side sessions (matrix rows SE1–SE3). The browser holds only a random id (256 bits) in
 * an HttpOnly, SameSite=Strict cookie; everything else stays here. A new id is made at every
 * sign-in (no fixation), sign-out deletes the session, and a session ends after 15 minutes
 * without a request or 12 hours after sign-in (one shift), whichever comes first.
 *
 * Sessions live in memory: a restart of the station signs everyone out, which is safe.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from './policy.ts';

export const IDLE_MS = 15 * 60_000;
export const ABSOLUTE_MS = 12 * 3_600_000;

export interface SessionData {
  /** Account name, or the holder's own name for an emergency code. */
  readonly user: string;
  readonly displayName: string;
  readonly role: Role;
  /** Set when the session came from an emergency code. */
  readonly emergency?: { readonly codeId: string; readonly unitId: string; readonly until: string };
  /** Fingerprint of the account's password hash at sign-in: a reset ends older sessions. */
  readonly credential?: string;
}

export interface Session extends SessionData {
  readonly id: string;
  readonly createdAt: number;
  lastSeen: number;
  /** Residents opened by break-glass in this session: patient id → the reason given. */
  readonly breakGlass: Map<string, string>;
  /** The reason of the last break-glass search, offered again when opening a hit. */
  lastBreakGlassReason?: string;
}

export type Lookup =
  | { readonly state: 'active'; readonly session: Session }
  | { readonly state: 'expired' }
  | { readonly state: 'none' };

export interface SessionStore {
  create(data: SessionData, now: number): Session;
  /** Find and touch a session; expired sessions are deleted and reported as such. */
  lookup(id: string | undefined, now: number): Lookup;
  destroy(id: string): void;
  /** Sessions that may still be used, for tests and the admin page. */
  count(now: number): number;
}

export function createSessionStore(
  limits: { idleMs?: number; absoluteMs?: number } = {},
): SessionStore {
  const idle = limits.idleMs ?? IDLE_MS;
  const absolute = limits.absoluteMs ?? ABSOLUTE_MS;
  const sessions = new Map<string, Session>();
  const expired = (s: Session, now: number) =>
    now - s.lastSeen >= idle || now - s.createdAt >= absolute || now < s.createdAt;
  return {
    create(data, now) {
      const session: Session = {
        ...data,
        id: randomBytes(32).toString('base64url'),
        createdAt: now,
        lastSeen: now,
        breakGlass: new Map(),
      };
      for (const [id, s] of sessions) if (expired(s, now)) sessions.delete(id);
      sessions.set(session.id, session);
      return session;
    },
    lookup(id, now) {
      if (id === undefined) return { state: 'none' };
      const session = sessions.get(id);
      if (!session) return { state: 'none' };
      if (expired(session, now)) {
        sessions.delete(id);
        return { state: 'expired' };
      }
      session.lastSeen = now;
      return { state: 'active', session };
    },
    destroy(id) {
      sessions.delete(id);
    },
    count(now) {
      let n = 0;
      for (const s of sessions.values()) if (!expired(s, now)) n++;
      return n;
    },
  };
}
