/**
 * Routes that show patient data: the unit list, a unit's residents, one resident, search, and
 * break-glass. Each asks the policy (auth/policy.ts) and commits its audit entries before it
 * renders anything (see web/access.ts, invariant I5). Every denial is audited too.
 */
import type { Context, Hono } from 'hono';
import type { AuditEventInput } from '../../audit/vocabulary.ts';
import { authorize, type Decision, type Section } from '../../auth/policy.ts';
import { unitFacts } from '../../store/units.ts';
import type { Clock } from '../../core/clock.ts';
import { ReservError } from '../../core/errors.ts';
import { freshness } from '../../core/freshness.ts';
import type { Config } from '../../config/config.ts';
import {
  getPatient,
  getUnit,
  listUnits,
  searchPatients,
  type PatientRow,
} from '../../store/queries.ts';
import { buildResidentView } from '../../views/resident.ts';
import { residentChanges } from '../../views/changes.ts';
import { unitChanges } from '../../views/unit-changes.ts';
import { buildUnitView } from '../../views/unit.ts';
import type { Snapshot, SnapshotSource } from '../snapshot.ts';
import { audited, flagsFor, type AccessDeps } from '../access.ts';
import type { Env } from '../env.ts';
import type { PageContext } from '../layout.ts';
import { breakGlassPage } from '../pages/break-glass.ts';
import { residentPage } from '../pages/resident.ts';
import { searchPage } from '../pages/residents.ts';
import { unitChangesSection } from '../pages/changes.ts';
import { unitPrintForm } from '../pages/print-forms.ts';
import { unitPage } from '../pages/unit.ts';
import { unitsPage } from '../pages/units.ts';

export interface RecordDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly access: AccessDeps;
  readonly snapshots: SnapshotSource;
}

/**
 * Run `use` with the snapshot before the one this request reads (for "what changed"), and let
 * it go afterwards; without a previous copy `use` gets undefined.
 */
export function withPrevious<T>(
  c: Context<Env>,
  deps: RecordDeps,
  use: (previous: Snapshot | undefined) => T,
): T {
  const current = c.var.snapshot;
  const previous = current ? deps.snapshots.previous?.(current) : undefined;
  try {
    return use(previous);
  } finally {
    previous?.release?.();
  }
}

const MIN_REASON = 10;

export { unitFacts };

export function snapshotOf(c: Context<Env>) {
  const snapshot = c.var.snapshot;
  if (snapshot === undefined) throw new ReservError('STORE_NO_DATA');
  return snapshot;
}

export function pageContext(c: Context<Env>, deps: RecordDeps): PageContext {
  const snapshot = snapshotOf(c);
  return {
    ...c.var.frame,
    timeZone: deps.config.timeZone,
    transactionTime: snapshot.info.transactionTime,
    freshness: freshness(snapshot.info.transactionTime, deps.clock.now(), deps.config.freshness),
  };
}

function patientFields(p: PatientRow) {
  return {
    patient: p.id,
    resources: [`Patient/${p.id}`],
    ...(p.identValue ? { patientIdent: p.identValue } : {}),
    ...(p.unitId ? { unit: p.unitId } : {}),
  };
}

function patientEvent(
  p: PatientRow,
  action: 'view' | 'search',
  decision: Decision,
): AuditEventInput {
  return {
    action,
    outcome: 'success',
    ...patientFields(p),
    flags: decision.allow ? flagsFor(undefined, decision.scope) : [],
  };
}

/** Record a denial, then throw it: every denial is audited (matrix row Z1). */
function deny(
  c: Context<Env>,
  deps: RecordDeps,
  section: Section,
  target: { unit?: string | null; patient?: PatientRow },
): never {
  audited(c, deps.access, [
    {
      action: 'denied',
      outcome: 'denied',
      reason: `${section}: outside the account's role or units`,
      ...(target.unit ? { unit: target.unit } : {}),
      ...(target.patient ? patientFields(target.patient) : {}),
    },
  ]);
  throw new ReservError('ACCESS_DENIED');
}

export function registerRecordRoutes(app: Hono<Env>, deps: RecordDeps): void {
  app.get('/', (c) => {
    const role = c.var.subject.role;
    if (role === 'admin') return c.redirect('/station', 303);
    if (role === 'auditor') return c.redirect('/granskning', 303);
    const db = snapshotOf(c).db;
    const units = listUnits(db).filter(
      (u) => authorize(c.var.subject, 'residents', 'view', { unit: unitFacts(db, u.id) }).allow,
    );
    return c.html(unitsPage(pageContext(c, deps), units));
  });

  app.get('/enhet/:id', (c) => {
    const db = snapshotOf(c).db;
    const unit = getUnit(db, c.req.param('id'));
    if (!unit) throw new ReservError('NOT_FOUND');
    const decision = authorize(c.var.subject, 'residents', 'view', {
      unit: unitFacts(db, unit.id),
    });
    if (!decision.allow) deny(c, deps, 'residents', { unit: unit.id });
    const view = buildUnitView(db, unit.id, {
      now: deps.clock.now(),
      timeZone: deps.config.timeZone,
    });
    if (!view) throw new ReservError('NOT_FOUND');
    const ctx = pageContext(c, deps);
    return withPrevious(c, deps, (previous) => {
      const changes = previous ? unitChanges(db, previous.db, unit.id) : undefined;
      // The page discloses each listed resident (name, identity number, flags, medication
      // round), and the change section names arrivals and departures: one entry per person.
      const shown = new Map(view.residents.map((p) => [p.id, patientEvent(p, 'view', decision)]));
      for (const gone of changes?.departedResidents ?? [])
        if (!shown.has(gone.id))
          shown.set(gone.id, {
            action: 'view',
            outcome: 'success',
            patient: gone.id,
            resources: [`Patient/${gone.id}`],
            unit: unit.id,
            reason: 'listed as departed since the previous copy',
          });
      audited(
        c,
        deps.access,
        shown.size > 0
          ? [...shown.values()]
          : [{ action: 'view', outcome: 'success', unit: unit.id }],
      );
      const section =
        changes && changes.count > 0
          ? unitChangesSection(ctx, changes, {
              previousTransactionTime: previous!.info.transactionTime,
            })
          : undefined;
      const mayPrint = authorize(c.var.subject, 'residents', 'print', {
        unit: unitFacts(db, unit.id),
      }).allow;
      return c.html(
        unitPage(
          ctx,
          view,
          section,
          mayPrint ? unitPrintForm(ctx, unit.id, view.homeCare) : undefined,
        ),
      );
    });
  });

  app.get('/boende/:id', (c) => {
    const db = snapshotOf(c).db;
    const patient = getPatient(db, c.req.param('id'));
    if (!patient) throw new ReservError('NOT_FOUND');
    const decision = authorize(c.var.subject, 'record', 'view', {
      unit: unitFacts(db, patient.unitId),
      patientId: patient.id,
    });
    if (!decision.allow) {
      if (decision.why !== 'break-glass-required') deny(c, deps, 'record', { patient });
      audited(c, deps.access, [
        {
          action: 'denied',
          outcome: 'denied',
          ...patientFields(patient),
          reason: 'record outside the account’s units: break-glass offered',
        },
      ]);
      const reason = c.var.session.lastBreakGlassReason;
      return c.html(
        breakGlassPage(pageContext(c, deps), patient.id, reason ? { reason } : {}),
        403,
      );
    }
    const view = buildResidentView(db, patient.id, {
      now: deps.clock.now(),
      timeZone: deps.config.timeZone,
    });
    if (!view) throw new ReservError('NOT_FOUND');
    const changes = withPrevious(c, deps, (previous) =>
      previous ? residentChanges(db, previous.db, patient.id) : undefined,
    );
    // Only a button: the key and door information itself is behind its own audited route.
    const mayViewKeys = authorize(c.var.subject, 'keys', 'view', {
      unit: unitFacts(db, patient.unitId),
      patientId: patient.id,
    }).allow;
    const reason =
      decision.scope === 'break-glass' ? c.var.session.breakGlass.get(patient.id) : undefined;
    audited(c, deps.access, [
      { ...patientEvent(patient, 'view', decision), ...(reason ? { reason } : {}) },
    ]);
    const mayPrint = authorize(c.var.subject, 'print', 'print', {
      unit: unitFacts(db, patient.unitId),
      patientId: patient.id,
    }).allow;
    return c.html(residentPage(pageContext(c, deps), view, { mayViewKeys, mayPrint, changes }));
  });

  app.post('/boende/:id/nodatkomst', async (c) => {
    const db = snapshotOf(c).db;
    const patient = getPatient(db, c.req.param('id'));
    if (!patient) throw new ReservError('NOT_FOUND');
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' ? form.reason.trim().slice(0, 500) : '';
    // Break-glass is for someone whose role may read records, not under an emergency code: ask
    // the policy whether a grant for exactly this resident would open the record.
    const probe = authorize(
      { ...c.var.subject, breakGlass: new Map([[patient.id, reason]]) },
      'record',
      'view',
      { unit: unitFacts(db, patient.unitId), patientId: patient.id },
    );
    if (!probe.allow) deny(c, deps, 'record', { patient });
    if ([...reason].length < MIN_REASON)
      return c.html(
        breakGlassPage(pageContext(c, deps), patient.id, { reason, tooShort: true }),
        400,
      );
    audited(c, deps.access, [
      {
        action: 'break-glass',
        outcome: 'success',
        ...patientFields(patient),
        reason,
        flags: ['break-glass'],
      },
    ]);
    c.var.session.breakGlass.set(patient.id, reason);
    return c.redirect(`/boende/${encodeURIComponent(patient.id)}`, 303);
  });

  // Searches travel by POST so that names and identity numbers never appear in URLs or logs.
  app.post('/sok', async (c) => {
    const db = snapshotOf(c).db;
    const form = await c.req.parseBody();
    const q = typeof form.q === 'string' ? form.q.slice(0, 200) : '';
    const reason = typeof form.reason === 'string' ? form.reason.trim().slice(0, 500) : '';
    const subject = c.var.subject;
    if (!authorize(subject, 'search', 'view').allow) deny(c, deps, 'search', {});
    const hits = searchPatients(db, q, deps.clock.now());
    const decided = hits.map((p) => ({
      p,
      d: authorize(subject, 'search', 'view', { unit: unitFacts(db, p.unitId), patientId: p.id }),
    }));
    const inScope = decided.filter((x) => x.d.allow);
    const outside = decided.filter((x) => !x.d.allow);
    // A search across all units is break-glass: it needs a reason and is flagged for review.
    const mayBreakGlass = subject.emergencyUnit === undefined;
    const wide = mayBreakGlass && [...reason].length >= MIN_REASON && outside.length > 0;
    const shown = wide ? decided : inScope;
    const events: AuditEventInput[] = shown.map(({ p, d }) =>
      d.allow
        ? patientEvent(p, 'search', d)
        : { ...patientEvent(p, 'search', d), flags: ['break-glass'], reason },
    );
    audited(
      c,
      deps.access,
      events.length > 0 ? events : [{ action: 'search', outcome: 'success' }],
    );
    if (wide) c.var.session.lastBreakGlassReason = reason;
    // Enter on a search with exactly one hit opens that person (nothing else matched anywhere).
    const only = shown[0];
    if (shown.length === 1 && outside.length === 0 && only?.d.allow)
      return c.redirect(`/boende/${encodeURIComponent(only.p.id)}`, 303);
    return c.html(
      searchPage(
        pageContext(c, deps),
        q,
        shown.map((x) => x.p),
        { outside: wide ? 0 : outside.length, mayBreakGlass },
      ),
    );
  });
}
