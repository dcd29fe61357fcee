/**
 * The on-call manager's emergency codes in the web UI: list, issue, revoke. Codes can only be
 * issued for the manager's own units, and each issue and revocation is audited.
 */
import type { Context, Hono } from 'hono';
import {
  grantEmergencyCode,
  listEmergencyCodes,
  revokeEmergencyCode,
} from '../../auth/emergency.ts';
import { authorize } from '../../auth/policy.ts';
import { ReservError } from '../../core/errors.ts';
import { listUnits } from '../../store/queries.ts';
import { audited } from '../access.ts';
import type { Env } from '../env.ts';
import { oncallPage } from '../pages/oncall.ts';
import { snapshotOf, unitFacts, type RecordDeps } from './records.ts';

export function registerOncallRoutes(app: Hono<Env>, deps: RecordDeps): void {
  const { access } = deps;

  const render = (c: Context<Env>, newCode?: string) => {
    const subject = c.var.subject;
    if (!authorize(subject, 'emergencyCodes', 'view').allow) {
      audited(c, access, [{ action: 'denied', outcome: 'denied', reason: 'emergency codes page' }]);
      throw new ReservError('ACCESS_DENIED');
    }
    const db = snapshotOf(c).db;
    const units = listUnits(db).filter(
      (u) => authorize(subject, 'residents', 'view', { unit: unitFacts(db, u.id) }).allow,
    );
    const now = deps.clock.now();
    return c.html(
      oncallPage(
        { ...c.var.frame, timeZone: deps.config.timeZone },
        units,
        listEmergencyCodes(access.control, now),
        {
          canIssue: authorize(subject, 'emergencyCodes', 'issue').allow,
          now,
          ...(newCode ? { newCode } : {}),
        },
      ),
    );
  };

  app.get('/jour', (c) => render(c));

  app.post('/jour/kod', async (c) => {
    const subject = c.var.subject;
    if (!authorize(subject, 'emergencyCodes', 'issue').allow) {
      audited(c, access, [{ action: 'denied', outcome: 'denied', reason: 'issue emergency code' }]);
      throw new ReservError('ACCESS_DENIED');
    }
    const form = await c.req.parseBody();
    const text = (k: string, max: number) =>
      typeof form[k] === 'string' ? form[k].slice(0, max) : '';
    const db = snapshotOf(c).db;
    const unitId = text('unit', 200);
    const hours = Number(text('hours', 5));
    const { code, row } = grantEmergencyCode(
      access.control,
      {
        unitId,
        hours,
        reason: text('reason', 300),
        by: c.var.session.user,
        forPerson: text('forPerson', 100),
      },
      deps.clock,
      // An on-call manager opens only the units they are responsible for.
      (id) =>
        authorize(subject, 'residents', 'view', { unit: unitFacts(db, id) }).allow &&
        db.prepare('SELECT 1 FROM unit WHERE id = ?').get(id) !== undefined,
    );
    audited(c, access, [
      {
        action: 'emergency',
        outcome: 'success',
        unit: row.unitId,
        reason: `code ${row.id} issued until ${row.validUntil}${row.forPerson ? ` for ${row.forPerson}` : ''}: ${row.reason}`,
      },
    ]);
    return render(c, code);
  });

  app.post('/jour/aterkalla', async (c) => {
    const subject = c.var.subject;
    if (!authorize(subject, 'emergencyCodes', 'issue').allow)
      throw new ReservError('ACCESS_DENIED');
    const form = await c.req.parseBody();
    const id = typeof form.id === 'string' ? form.id.slice(0, 40) : '';
    if (revokeEmergencyCode(access.control, id, c.var.session.user, deps.clock))
      audited(c, access, [
        { action: 'emergency', outcome: 'success', reason: `code ${id} revoked` },
      ]);
    return c.redirect('/jour', 303);
  });
}
