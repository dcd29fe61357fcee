/**
 * Key and door information (digital lock ids, key locations, door codes): it opens a person's
 * home, so it is shown only to home-care roles for home-care residents (auth/policy.ts, section
 * `keys`), only after a deliberate click (a POST, so there is no URL to bookmark, prefetch or
 * leave in a history), and only once the audit entry naming each key record is committed
 * (invariant I5, web/access.ts). Every denial is audited too.
 */
import type { Context, Hono } from 'hono';
import type { AuditEventInput } from '../../audit/vocabulary.ts';
import { authorize } from '../../auth/policy.ts';
import { ReservError } from '../../core/errors.ts';
import { formatTwelveDigit } from '../../core/personnummer.ts';
import { getPatient, type PatientRow } from '../../store/queries.ts';
import { unitFacts } from '../../store/units.ts';
import { keyInformation } from '../../views/resident/keys.ts';
import { audited, flagsFor } from '../access.ts';
import type { Env } from '../env.ts';
import { keysPage } from '../pages/keys.ts';
import { pageContext, snapshotOf, type RecordDeps } from './records.ts';

function patientFields(p: PatientRow) {
  return {
    patient: p.id,
    ...(p.identValue ? { patientIdent: p.identValue } : {}),
    ...(p.unitId ? { unit: p.unitId } : {}),
  };
}

function deny(c: Context<Env>, deps: RecordDeps, patient: PatientRow): never {
  audited(c, deps.access, [
    {
      action: 'denied',
      outcome: 'denied',
      reason: 'keys: outside the account’s role or units',
      ...patientFields(patient),
      resources: [`Patient/${patient.id}`],
    },
  ]);
  throw new ReservError('ACCESS_DENIED');
}

export function registerKeyRoutes(app: Hono<Env>, deps: RecordDeps): void {
  app.post('/boende/:id/nycklar', (c) => {
    const db = snapshotOf(c).db;
    const patient = getPatient(db, c.req.param('id'));
    if (!patient) throw new ReservError('NOT_FOUND');
    const decision = authorize(c.var.subject, 'keys', 'view', {
      unit: unitFacts(db, patient.unitId),
      patientId: patient.id,
    });
    if (!decision.allow) deny(c, deps, patient);
    const keys = keyInformation(db, patient.id);
    const event: AuditEventInput = {
      action: 'view',
      outcome: 'success',
      ...patientFields(patient),
      // The key records disclosed; the person alone when the copy holds none.
      resources: keys.length > 0 ? keys.map((k) => `Basic/${k.id}`) : [`Patient/${patient.id}`],
      flags: flagsFor(undefined, decision.scope),
    };
    audited(c, deps.access, [event]);
    const identity =
      patient.identNorm && /^\d{12}$/.test(patient.identNorm)
        ? formatTwelveDigit(patient.identNorm)
        : (patient.identValue ?? '');
    return c.html(keysPage(pageContext(c, deps), patient, identity, keys));
  });
}
