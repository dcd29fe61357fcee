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
import { renderUnitPack } from '../../print/unit-pack.ts';
import { getPatient, getUnit } from '../../store/queries.ts';
import { unitFacts } from '../../store/units.ts';
import { buildResidentView, type ResidentView } from '../../views/resident.ts';
import { buildUnitView } from '../../views/unit.ts';
import { audited, flagsFor } from '../access.ts';
import type { Env } from '../env.ts';
import { snapshotOf, type RecordDeps } from './records.ts';

export const RESIDENT_DOCUMENTS = ['sammanfattning', 'lakemedel', 'signering'] as const;
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
  const p = view.patient;
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
    const reason = kind === 'signering' ? `${kind} ${hours} h` : kind;
    const entries = audited(c, deps.access, [
      residentEvent(view, reason, flagsFor(undefined, decision.scope)),
    ]);
    const meta = printMeta(c, deps, entries);
    const pdf =
      kind === 'lakemedel'
        ? await renderMedicationList(meta, view)
        : kind === 'signering'
          ? await renderSigningSheet(meta, view, { hours, from: now })
          : await renderResidentSummary(meta, view);
    return pdfResponse(c, pdf);
  });

  app.post('/utskrift/enhet/:id', async (c) => {
    const db = snapshotOf(c).db;
    const unit = getUnit(db, c.req.param('id'));
    if (!unit) throw new ReservError('NOT_FOUND');
    const form = await c.req.parseBody();
    const hours = hoursOf(form.hours);
    const decision = authorize(c.var.subject, 'residents', 'print', {
      unit: unitFacts(db, unit.id),
    });
    if (!decision.allow) deny(c, deps, 'unit pack', { unit: unit.id });
    const now = deps.clock.now();
    const options = { now, timeZone: deps.config.timeZone };
    const unitView = buildUnitView(db, unit.id, options);
    if (!unitView) throw new ReservError('NOT_FOUND');
    const residents = unitView.residents
      .map((p) => buildResidentView(db, p.id, options))
      .filter((v): v is ResidentView => v !== undefined);
    const flags = flagsFor(undefined, decision.scope);
    const entries = audited(
      c,
      deps.access,
      residents.length > 0
        ? residents.map((v) => residentEvent(v, `unit pack ${hours} h`, flags))
        : [{ action: 'print', outcome: 'success', unit: unit.id, reason: `unit pack ${hours} h` }],
    );
    const pdf = await renderUnitPack(printMeta(c, deps, entries), unitView, residents, {
      hours,
      from: now,
    });
    return pdfResponse(c, pdf);
  });
}
