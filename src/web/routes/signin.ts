/**
 * Sign-in, emergency-code sign-in and sign-out. A new session id is made at every sign-in
 * (the old one, if any, is deleted), and every attempt — good or bad — is audited.
 */
import type { Context, Hono } from 'hono';
import type { AuditFlag } from '../../audit/vocabulary.ts';
import { getCookie } from 'hono/cookie';
import { signInWithCode, signInWithPassword } from '../../auth/signin.ts';
import { credentialOf } from '../../auth/users.ts';
import type { Clock } from '../../core/clock.ts';
import type { Config } from '../../config/config.ts';
import { ReservError, toReservError } from '../../core/errors.ts';
import { errorTexts, isLang, type Messages } from '../../i18n/messages.ts';
import {
  audited,
  clearSessionCookie,
  SESSION_COOKIE,
  sessionRef,
  setSessionCookie,
  type AccessDeps,
} from '../access.ts';
import type { Env } from '../env.ts';
import { signInPage, type SignInNotice } from '../pages/signin.ts';

export interface SignInDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly access: AccessDeps;
}

function field(form: Record<string, unknown>, name: string, max: number): string {
  const v = form[name];
  return typeof v === 'string' ? v.slice(0, max) : '';
}

function failureNotice(m: Messages, error: ReservError): SignInNotice {
  const text = errorTexts(isLang(m.lang) ? m.lang : 'sv')[error.code] ?? {
    message: error.message,
    hint: error.hint,
  };
  const wait = error.details.find((d) => d.startsWith('wait '));
  const seconds = wait ? ` (${wait.replace('wait ', `${m.wait} `)})` : '';
  return { kind: 'error', text: `${text.message}${seconds} ${text.hint}` };
}

export function registerSignInRoutes(app: Hono<Env>, deps: SignInDeps): void {
  const { access } = deps;
  const signInDeps = { control: access.control, clock: deps.clock, throttle: access.throttle };

  /**
   * A refused sign-in (wrong name, password or code, or throttled): logged, then the sign-in
   * page again with what was typed and the reason. Anything else is a real error.
   */
  const refused = (
    c: Context<Env>,
    thrown: unknown,
    values: { name?: string; holder?: string },
    event: { user: string; reason: string; whenThrottled?: string; flags?: AuditFlag[] },
  ) => {
    const error = toReservError(thrown);
    if (error.code !== 'AUTH_FAILED' && error.code !== 'AUTH_THROTTLED') throw error;
    const { whenThrottled, ...fields } = event;
    audited(c, access, [
      {
        action: 'sign-in-failed',
        outcome: 'failure',
        ...fields,
        ...(error.code === 'AUTH_THROTTLED' && whenThrottled ? { reason: whenThrottled } : {}),
      },
    ]);
    const notice = failureNotice(c.var.frame.m, error);
    return c.html(
      signInPage(c.var.frame, deps.config.contacts, notice, values),
      error.httpStatus as 401,
    );
  };

  const endOldSession = (c: Context<Env>) => {
    const old = getCookie(c, SESSION_COOKIE);
    if (old !== undefined) access.sessions.destroy(old);
  };

  app.get('/logga-in', (c) => {
    const m = c.var.frame.m;
    const notice: SignInNotice | undefined =
      c.req.query('slut') !== undefined
        ? { kind: 'info', text: m.sessionEnded }
        : c.req.query('ut') !== undefined
          ? { kind: 'info', text: m.signedOut }
          : undefined;
    return c.html(signInPage(c.var.frame, deps.config.contacts, notice));
  });

  app.post('/logga-in', async (c) => {
    const form = await c.req.parseBody();
    const name = field(form, 'name', 64).trim();
    try {
      const user = await signInWithPassword(signInDeps, {
        name,
        password: field(form, 'password', 1024),
        code: field(form, 'code', 16),
      });
      endOldSession(c);
      const session = access.sessions.create(
        {
          user: user.name,
          displayName: user.displayName,
          role: user.role,
          credential: credentialOf(user),
        },
        deps.clock.now().getTime(),
      );
      audited(c, access, [
        {
          action: 'sign-in',
          outcome: 'success',
          user: user.name,
          role: user.role,
          session: sessionRef(session),
        },
      ]);
      setSessionCookie(c, session);
      return c.redirect('/', 303);
    } catch (thrown) {
      return refused(
        c,
        thrown,
        { name },
        {
          user: name,
          reason: 'wrong name, password or code',
        },
      );
    }
  });

  app.post('/logga-in/nodkod', async (c) => {
    const form = await c.req.parseBody();
    const holder = field(form, 'holder', 100).trim();
    try {
      const code = signInWithCode(signInDeps, { code: field(form, 'code', 40), name: holder });
      endOldSession(c);
      const session = access.sessions.create(
        {
          user: code.holder ?? holder,
          displayName: code.holder ?? holder,
          role: 'staff',
          emergency: { codeId: code.id, unitId: code.unitId, until: code.validUntil },
        },
        deps.clock.now().getTime(),
      );
      audited(c, access, [
        {
          action: 'emergency',
          outcome: 'success',
          user: session.user,
          role: 'staff',
          unit: code.unitId,
          session: sessionRef(session),
          reason: `signed in with emergency code ${code.id} issued by ${code.issuedBy}: ${code.reason}`,
          flags: ['emergency'],
        },
      ]);
      setSessionCookie(c, session);
      return c.redirect('/', 303);
    } catch (thrown) {
      return refused(
        c,
        thrown,
        { holder },
        {
          user: holder,
          reason: 'emergency code not accepted',
          flags: ['emergency'],
        },
      );
    }
  });

  app.post('/logga-ut', (c) => {
    const found = access.sessions.lookup(getCookie(c, SESSION_COOKIE), deps.clock.now().getTime());
    if (found.state === 'active') {
      const s = found.session;
      audited(c, access, [
        {
          action: 'sign-out',
          outcome: 'success',
          user: s.user,
          role: s.role,
          session: sessionRef(s),
        },
      ]);
      access.sessions.destroy(s.id);
    }
    clearSessionCookie(c);
    return c.redirect('/logga-in?ut=1', 303);
  });
}
