/**
 * The auditor's log review and the administrator's station page. Neither shows records; the log
 * review shows who accessed whom, which is what a review needs. Opening the review is itself
 * logged, so that reading the log leaves a trace too.
 */
import type { Context, Hono } from 'hono';
import { authorize, type Section } from '../../auth/policy.ts';
import { listUsers } from '../../auth/users.ts';
import { ReservError } from '../../core/errors.ts';
import { audited } from '../access.ts';
import type { Env } from '../env.ts';
import { reviewPage, type ReviewFilters } from '../pages/review.ts';
import { stationPage } from '../pages/station.ts';
import type { RecordDeps } from './records.ts';

const EMPTY: ReviewFilters = { user: '', patientIdent: '', unit: '', from: '', to: '' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function guard(c: Context<Env>, deps: RecordDeps, section: Section) {
  if (!authorize(c.var.subject, section, 'view').allow) {
    audited(c, deps.access, [{ action: 'denied', outcome: 'denied', reason: `${section} page` }]);
    throw new ReservError('ACCESS_DENIED');
  }
}

export function registerReviewRoutes(app: Hono<Env>, deps: RecordDeps): void {
  const show = (c: Context<Env>, filters: ReviewFilters) => {
    guard(c, deps, 'auditLog');
    const entries = deps.access.audit.query({
      ...(filters.user ? { user: filters.user } : {}),
      ...(filters.patientIdent ? { patientIdent: filters.patientIdent } : {}),
      ...(filters.unit ? { unit: filters.unit } : {}),
      ...(DATE.test(filters.from) ? { from: `${filters.from}T00:00:00.000Z` } : {}),
      ...(DATE.test(filters.to) ? { to: `${filters.to}T23:59:59.999Z` } : {}),
      limit: 500,
    });
    audited(c, deps.access, [{ action: 'search', outcome: 'success', reason: 'log review' }]);
    return c.html(reviewPage({ ...c.var.frame, timeZone: deps.config.timeZone }, filters, entries));
  };

  app.get('/granskning', (c) => show(c, EMPTY));
  app.post('/granskning', async (c) => {
    const form = await c.req.parseBody();
    const text = (k: keyof ReviewFilters) =>
      typeof form[k] === 'string' ? form[k].trim().slice(0, 100) : '';
    return show(c, {
      user: text('user'),
      patientIdent: text('patientIdent'),
      unit: text('unit'),
      from: text('from'),
      to: text('to'),
    });
  });

  app.get('/station', (c) => {
    guard(c, deps, 'station');
    return c.html(
      stationPage(
        { ...c.var.frame, timeZone: deps.config.timeZone },
        {
          snapshot: c.var.snapshot?.info,
          sessions: deps.access.sessions.count(deps.clock.now().getTime()),
          users: listUsers(deps.access.control).length,
          auditHead: deps.access.audit.head(),
        },
      ),
    );
  });
}
