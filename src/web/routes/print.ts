/**
 * Printing from the web: one resident's summary, medication list or signing sheet, or a whole
 * unit's pack, as a PDF.
 *
 * Audit before disclosure (invariant I5) holds for paper too: the route asks the policy, commits
 * one `print` entry per resident on the printout, and only then renders the PDF, whose every page
 * carries the prefix of that entry's hash (matrix row L8) — so a sheet found on a desk can be
 * traced to the log entry that let it out.
 */
import type { Context, Hono } from 'hono';
import type { AuditEntry } from '../../audit/entry.ts';
import { authorize } from '../../auth/policy.ts';
import { ReservError } from '../../core/errors.ts';
import type { PrintMeta } from '../../print/meta.ts';
import { renderMedicationList } from '../../print/medication-list.ts';
import { renderResidentSummary } from '../../print/resident-summary.ts';
import { renderSigningSheet } from '../../print/signing-sheet.ts';
import { renderNoteForm, renderUnitNoteForms } from '../../print/note-form.ts';
import { dayWindow, renderRouteList } from '../../print/route-list.ts';
import { renderTransferChecklist, type PrintDocumentKind } from '../../print/transfer-checklist.ts';
import { renderUnitPack } from '../../print/unit-pack.ts';
import { getPatient, getUnit, type PatientRow } from '../../store/queries.ts';
import { addDays, localDateTime } from '../../views/local-time.ts';
import { buildRouteWindow } from '../../views/route-window.ts';
import { unitFacts } from '../../store/units.ts';
import { buildResidentView, type ResidentView } from '../../views/resident.ts';
import { buildUnitView } from '../../views/unit.ts';
import { audited, flagsFor } from '../access.ts';
import type { Env } from '../env.ts';
import { snapshotOf, type RecordDeps } from './records.ts';

export const RESIDENT_DOCUMENTS = [
  'sammanfattning',
  'lakemedel',
  'signering',
  'anteckning',
] as const;
export const UNIT_DOCUMENTS = ['enhetspaket', 'rutt', 'anteckningar', 'overforing'] as const;
type UnitDocument = (typeof UNIT_DOCUMENTS)[number];
/** The audit `reason` of each resident document: the checklist names the printouts by it. */
const REASONS: Record<ResidentDocument, PrintDocumentKind> = {
  sammanfattning: 'resident-summary',
  lakemedel: 'medication-list',
  signering: 'signing-sheet',
  anteckning: 'note-form',
};
type ResidentDocument = (typeof RESIDENT_DOCUMENTS)[number];
const HOURS = [24, 48, 72] as const;

function hoursOf(value: unknown): 24 | 48 | 72 {
  const n = Number(value);
  return (HOURS as readonly number[]).includes(n) ? (n as 24 | 48 | 72) : 24;
}

export function pdfResponse(c: Context<Env>, pdf: Buffer): Response {
  // No patient identifier in the file name: it ends up in download folders and print queues.
  return c.body(new Uint8Array(pdf), 200, {
    'Content-Type': 'application/pdf',
    'Content-Disposition': 'inline; filename="reservutskrift.pdf"',
  });
}

export function printMeta(c: Context<Env>, deps: RecordDeps, entries: AuditEntry[]): PrintMeta {
  return {
    m: c.var.frame.m,
    timeZone: deps.config.timeZone,
    transactionTime: snapshotOf(c).info.transactionTime,
    printedBy: c.var.session.displayName,
    printedAt: deps.clock.now(),
    auditRef: entries[entries.length - 1]!.hash,
  };
}

function deny(c: Context<Env>, deps: RecordDeps, what: string, fields: object): never {
  audited(c, deps.access, [
    {
      action: 'denied',
      outcome: 'denied',
      reason: `print ${what}: outside the account’s role or units`,
      ...fields,
    },
  ]);
  throw new ReservError('ACCESS_DENIED');
}

function residentEvent(view: ResidentView, reason: string, flags: ReturnType<typeof flagsFor>) {
  return patientPrint(view.patient, reason, flags);
}

function patientPrint(p: PatientRow, reason: string, flags: ReturnType<typeof flagsFor>) {
  return {
    action: 'print' as const,
    outcome: 'success' as const,
    patient: p.id,
    resources: [`Patient/${p.id}`],
    ...(p.identValue ? { patientIdent: p.identValue } : {}),
    ...(p.unitId ? { unit: p.unitId } : {}),
    reason,
    ...(flags.length > 0 ? { flags } : {}),
  };
}

export function registerPrintRoutes(app: Hono<Env>, deps: RecordDeps): void {
  app.post('/utskrift/boende/:id', async (c) => {
    const db = snapshotOf(c).db;
    const patient = getPatient(db, c.req.param('id'));
    if (!patient) throw new ReservError('NOT_FOUND');
    const form = await c.req.parseBody();
    const kind: ResidentDocument = (RESIDENT_DOCUMENTS as readonly unknown[]).includes(form.doc)
      ? (form.doc as ResidentDocument)
      : 'sammanfattning';
    const hours = hoursOf(form.hours);
    const decision = authorize(c.var.subject, 'print', 'print', {
      unit: unitFacts(db, patient.unitId),
      patientId: patient.id,
    });
    if (!decision.allow)
      deny(c, deps, kind, {
        patient: patient.id,
        ...(patient.unitId ? { unit: patient.unitId } : {}),
      });
    const now = deps.clock.now();
    const view = buildResidentView(db, patient.id, { now, timeZone: deps.config.timeZone });
    if (!view) throw new ReservError('NOT_FOUND');
    const reason = REASONS[kind];
    const entries = audited(c, deps.access, [
      residentEvent(view, reason, flagsFor(undefined, decision.scope)),
    ]);
    const meta = printMeta(c, deps, entries);
    const pdf =
      kind === 'lakemedel'
        ? await renderMedicationList(meta, view)
        : kind === 'signering'
          ? await renderSigningSheet(meta, view, { hours, from: now })
          : kind === 'anteckning'
            ? await renderNoteForm(meta, patient, {})
            : await renderResidentSummary(meta, view);
    return pdfResponse(c, pdf);
  });

  app.post('/utskrift/enhet/:id', async (c) => {
    const db = snapshotOf(c).db;
    const unit = getUnit(db, c.req.param('id'));
    if (!unit) throw new ReservError('NOT_FOUND');
    const form = await c.req.parseBody();
    const kind: UnitDocument = (UNIT_DOCUMENTS as readonly unknown[]).includes(form.doc)
      ? (form.doc as UnitDocument)
      : 'enhetspaket';
    const hours = hoursOf(form.hours);
    const facts = unitFacts(db, unit.id);
    const decision = authorize(c.var.subject, 'residents', 'print', { unit: facts });
    if (!decision.allow) deny(c, deps, kind, { unit: unit.id });
    const now = deps.clock.now();
    const options = { now, timeZone: deps.config.timeZone };
    const unitView = buildUnitView(db, unit.id, options);
    if (!unitView) throw new ReservError('NOT_FOUND');
    const flags = flagsFor(undefined, decision.scope);
    const printed = (people: readonly PatientRow[], reason: string, extra: string[] = []) =>
      audited(
        c,
        deps.access,
        people.length > 0
          ? people.map((p) => ({
              ...patientPrint(p, reason, flags),
              resources: [`Patient/${p.id}`, ...extra],
            }))
          : [{ action: 'print', outcome: 'success', unit: unit.id, reason }],
      );

    if (kind === 'rutt') {
      // A day's route: the keys only for someone the policy lets see them.
      const today = localDateTime(now, deps.config.timeZone).date;
      const day = form.day === 'imorgon' ? addDays(today, 1) : today;
      const includeKeys = authorize(c.var.subject, 'keys', 'view', { unit: facts }).allow;
      const route = buildRouteWindow(db, unit.id, {
        ...dayWindow(day, deps.config.timeZone),
        timeZone: deps.config.timeZone,
        includeKeys,
      });
      if (!route) throw new ReservError('NOT_FOUND');
      const people = new Map<string, PatientRow>();
      for (const d of route.days) for (const v of d.visits) people.set(v.patient.id, v.patient);
      const keys = [...(route.keys?.values() ?? [])].flat().map((k) => `Basic/${k.id}`);
      const entries = printed([...people.values()], 'route-list', keys);
      return pdfResponse(
        c,
        await renderRouteList(printMeta(c, deps, entries), route, { includeKeys }),
      );
    }
    if (kind === 'anteckningar') {
      const entries = printed(unitView.residents, 'note-form');
      return pdfResponse(
        c,
        await renderUnitNoteForms(printMeta(c, deps, entries), unitView.residents, {}),
      );
    }
    if (kind === 'overforing') {
      // The period of the outage, as whole local days; by default yesterday and today.
      const date = (v: unknown) =>
        typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : undefined;
      const today = localDateTime(now, deps.config.timeZone).date;
      const fromDay = date(form.from) ?? addDays(today, -1);
      const toDay = date(form.to) ?? today;
      const from = dayWindow(fromDay, deps.config.timeZone).from;
      const to = dayWindow(toDay, deps.config.timeZone).to;
      // Read the log before this print is logged, so the checklist does not list itself.
      const disclosures = deps.access.audit.disclosures({
        unitId: unit.id,
        from: from.toISOString(),
        to: to.toISOString(),
      });
      const entries = printed(unitView.residents, 'transfer-checklist');
      return pdfResponse(
        c,
        await renderTransferChecklist(printMeta(c, deps, entries), {
          unit,
          from,
          to,
          residents: unitView.residents,
          disclosures,
          patient: (id) => getPatient(db, id),
        }),
      );
    }
    const residents = unitView.residents
      .map((p) => buildResidentView(db, p.id, options))
      .filter((v): v is ResidentView => v !== undefined);
    const entries = printed(unitView.residents, 'unit-pack');
    const pdf = await renderUnitPack(printMeta(c, deps, entries), unitView, residents, {
      hours,
      from: now,
    });
    return pdfResponse(c, pdf);
  });
}
