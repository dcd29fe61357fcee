/**
 * The station's web application, built by a function from its dependencies; only server.ts
 * listens on a socket, so tests can also call `app.request()` in-process.
 *
 * Consistency: each request takes the active snapshot once, at its start, and reads only from
 * it, so a response never mixes two snapshots even if a newer one is switched in meanwhile.
 *
 * Access: the sign-in routes and the assets are open; every other route runs behind
 * `requireSession` (web/access.ts) and asks the one policy (auth/policy.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { ReservError, toReservError } from '../core/errors.ts';
import { op, stackFrames, type Logger } from '../core/log.ts';
import { setCookie } from 'hono/cookie';
import { isLang, messagesFor, sv } from '../i18n/messages.ts';
import { requireSession, type AccessDeps } from './access.ts';
import type { Env } from './env.ts';
import { errorPage } from './pages/error.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerOncallRoutes } from './routes/oncall.ts';
import { registerPrintRoutes } from './routes/print.ts';
import { registerRecordRoutes } from './routes/records.ts';
import { registerReviewRoutes } from './routes/review.ts';
import { registerSignInRoutes } from './routes/signin.ts';
import { registerStatusRoutes } from './routes/status.ts';
import { contentSecurityPolicy, hostCheck, originCheck, securityHeaders } from './security.ts';
import type { SnapshotSource } from './snapshot.ts';

export type { Snapshot, SnapshotSource } from './snapshot.ts';

const LANG_COOKIE = 'rj_lang';

export interface AppDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly snapshots: SnapshotSource;
  readonly access: AccessDeps;
}

const ASSETS: Record<string, { body: string; type: string }> = {
  'app.css': {
    body: readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8'),
    type: 'text/css; charset=utf-8',
  },
  'idle.js': {
    body: readFileSync(new URL('./assets/idle.js', import.meta.url), 'utf8'),
    type: 'text/javascript; charset=utf-8',
  },
};

export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  // Request log: the route pattern, never the path (it holds record ids) or the query.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.log.debug('http.request', {
      method: op(c.req.method),
      route: op(c.req.routePath),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  });
  app.use('*', async (c, next) => {
    // A fresh nonce per response: the only scripts that run are ours, named in this header.
    const nonce = randomBytes(18).toString('base64');
    c.set('nonce', nonce);
    const lang = /(?:^|;\s*)rj_lang=(sv|en)(?:;|$)/.exec(c.req.header('cookie') ?? '')?.[1];
    c.set('frame', { m: messagesFor(isLang(lang) ? lang : 'sv'), nonce, path: c.req.path });
    await next();
    c.res.headers.set('Content-Security-Policy', contentSecurityPolicy(nonce));
  });
  app.use('*', securityHeaders);
  app.use('*', hostCheck);
  app.use('*', originCheck);

  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'Content-Type': asset.type });
  });

  // Take the snapshot once per request (see the module comment).
  app.use('*', async (c, next) => {
    const snapshot = deps.snapshots.current();
    c.set('snapshot', snapshot);
    try {
      await next();
      // Every answer names the snapshot it was read from.
      if (snapshot?.info.snapshotId) c.header('X-Reservjournal-Snapshot', snapshot.info.snapshotId);
    } finally {
      snapshot?.release?.();
    }
  });

  // The language switch works signed in or not: it only sets a cookie and goes back.
  app.post('/sprak', async (c) => {
    const form = await c.req.parseBody();
    const lang = isLang(form.lang) ? form.lang : 'sv';
    setCookie(c, LANG_COOKIE, lang, { httpOnly: true, sameSite: 'Strict', path: '/' });
    const back = typeof form.back === 'string' ? form.back : '/';
    // Only a path on this station: never an absolute or protocol-relative URL.
    return c.redirect(/^\/(?![/\\])[^\s]*$/.test(back) ? back : '/', 303);
  });

  registerSignInRoutes(app, deps);
  app.use('*', requireSession(deps.access, deps.clock));
  registerRecordRoutes(app, deps);
  registerPrintRoutes(app, deps);
  registerKeyRoutes(app, deps);
  registerOncallRoutes(app, deps);
  registerReviewRoutes(app, deps);
  registerStatusRoutes(app, deps);

  app.notFound(() => {
    throw new ReservError('NOT_FOUND');
  });

  app.onError((error, c) => {
    const e = toReservError(error);
    if (e.code === 'INTERNAL') {
      deps.log.error('web.internal_error', { stack: stackFrames(error) });
    } else if (e.httpStatus >= 500) {
      deps.log.warn('web.error', { code: op(e.code) });
    }
    return c.html(errorPage(c.var.frame ?? { m: sv, nonce: '' }, e), e.httpStatus as 400);
  });

  return app;
}
