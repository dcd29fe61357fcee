/**
 * The station's web application, built by a function from its dependencies; only server.ts
 * listens on a socket, so tests can also call `app.request()` in-process.
 *
 * Consistency: each request takes the active snapshot once, at its start, and reads only from
 * it, so a response never mixes two snapshots even if a newer one is switched in meanwhile.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { Config } from '../config/config.ts';
import type { Clock } from '../core/clock.ts';
import { ReservError, toReservError } from '../core/errors.ts';
import { freshness } from '../core/freshness.ts';
import { op, stackFrames, type Logger } from '../core/log.ts';
import { sv } from '../i18n/messages.ts';
import type { Db } from '../store/db.ts';
import {
  getUnit,
  listResidents,
  listUnits,
  searchPatients,
  type SnapshotInfo,
} from '../store/queries.ts';
import { buildResidentView } from '../views/resident.ts';
import type { PageContext } from './layout.ts';
import { errorPage } from './pages/error.ts';
import { residentPage } from './pages/resident.ts';
import { searchPage, unitPage } from './pages/residents.ts';
import { unitsPage } from './pages/units.ts';
import { hostCheck, originCheck, securityHeaders } from './security.ts';

export interface Snapshot {
  readonly db: Db;
  readonly info: SnapshotInfo;
  /** Called when the request that took this snapshot is finished with it. */
  readonly release?: () => void;
}

/** Where the app gets the active snapshot from; undefined while none is loaded. */
export interface SnapshotSource {
  current(): Snapshot | undefined;
}

export interface AppDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly log: Logger;
  readonly snapshots: SnapshotSource;
}

const CSS = readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8');

type Env = { Variables: { snapshot: Snapshot; ctx: PageContext } };

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
  app.use('*', securityHeaders);
  app.use('*', hostCheck);
  app.use('*', originCheck);

  app.get('/assets/app.css', (c) =>
    c.body(CSS, 200, { 'Content-Type': 'text/css; charset=utf-8' }),
  );

  // Take the snapshot once per request (see the module comment).
  app.use('*', async (c, next) => {
    const snapshot = deps.snapshots.current();
    if (snapshot === undefined) throw new ReservError('STORE_NO_DATA');
    try {
      c.set('snapshot', snapshot);
      c.set('ctx', {
        m: sv,
        timeZone: deps.config.timeZone,
        transactionTime: snapshot.info.transactionTime,
        freshness: freshness(
          snapshot.info.transactionTime,
          deps.clock.now(),
          deps.config.freshness,
        ),
      });
      await next();
      // Every answer names the snapshot it was read from.
      if (snapshot.info.snapshotId) c.header('X-Reservjournal-Snapshot', snapshot.info.snapshotId);
    } finally {
      snapshot.release?.();
    }
  });

  app.get('/', (c) => c.html(unitsPage(c.var.ctx, listUnits(c.var.snapshot.db))));

  app.get('/enhet/:id', (c) => {
    const db = c.var.snapshot.db;
    const unit = getUnit(db, c.req.param('id'));
    if (!unit) throw new ReservError('NOT_FOUND');
    return c.html(unitPage(c.var.ctx, unit, listResidents(db, unit.id)));
  });

  app.get('/boende/:id', (c) => {
    const view = buildResidentView(c.var.snapshot.db, c.req.param('id'), { now: deps.clock.now() });
    if (!view) throw new ReservError('NOT_FOUND');
    return c.html(residentPage(c.var.ctx, view));
  });

  // Searches travel by POST so that names and identity numbers never appear in URLs or logs.
  app.post('/sok', async (c) => {
    const form = await c.req.parseBody();
    const q = typeof form.q === 'string' ? form.q.slice(0, 200) : '';
    const hits = searchPatients(c.var.snapshot.db, q, deps.clock.now());
    return c.html(searchPage(c.var.ctx, q, hits));
  });

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
    return c.html(errorPage(e), e.httpStatus as 400);
  });

  return app;
}
