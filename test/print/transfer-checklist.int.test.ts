/**
 * The transfer checklist from a real station database and a REAL audit log (encrypted, hash-
 * chained, written through `append`): views and prints of some of the unit's people before,
 * inside and after the chosen period, a denied request, a person who has left the unit and one
 * who is no longer in the copy. Read back with pdfjs-dist: exactly the people touched in the
 * period with the right documents, counts, times and users; everyone else of the unit listed as
 * untouched; the frame on every page naming the unit; PR1.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryAnchor } from '../../src/audit/anchor.ts';
import { openAuditLog, type AuditLog } from '../../src/audit/audit-log.ts';
import type { Disclosure } from '../../src/audit/disclosures.ts';
import type { AuditEventInput } from '../../src/audit/vocabulary.ts';
import { en } from '../../src/i18n/messages.ts';
import { renderTransferChecklist } from '../../src/print/transfer-checklist.ts';
import {
  getPatient,
  getUnit,
  listResidents,
  type PatientRow,
  type UnitRow,
} from '../../src/store/queries.ts';
import { identityDisplay } from '../../src/views/unit.ts';
import { settableClock } from '../audit/fixture.ts';
import { tempDir } from '../helpers/tmp.ts';
import { printStation, type PrintStation } from './fixture.ts';
import { frameProblems, pr1Problems, readPdf, squeezed, type PageText } from './read-pdf.ts';

const FRAME = {
  mark: 'Reservutskrift – förstörs efter driftstopp',
  dataAsOf: 'Uppgifter per 2026-11-27 06:00',
  printedBy: 'Utskrivet av ssk.anna 2026-11-27 09:00',
  auditRef: 'Logg a1b2c3d4e5f6',
  page: 'Sida {n}/{m}',
};
/** 07:00 to 15:00 in Stockholm. */
const FROM = new Date('2026-11-27T06:00:00.000Z');
const TO = new Date('2026-11-27T14:00:00.000Z');
const NOTHING = 'inget utskrivet eller visat';
const squeeze = (text: string) => text.normalize('NFC').replace(/\s+/g, '');

let s: PrintStation;
let log: AuditLog;
let unit: UnitRow;
let residents: PatientRow[];
/** Touched in the period: a, b, c. Touched only outside it, or only denied: d, e. */
let a: PatientRow, b: PatientRow, c: PatientRow, d: PatientRow, e: PatientRow;
/** In the log for this unit, but now in another unit of the copy. */
let moved: PatientRow;
let disclosures: Disclosure[];
let bytes: Buffer;
let pages: PageText[];

beforeAll(async () => {
  s = await printStation('print-checklist');
  const first = s.view(s.patientIds[0]!).patient;
  unit = getUnit(s.db, first.unitId!)!;
  residents = listResidents(s.db, unit.id);
  expect(residents.length).toBeGreaterThanOrEqual(6);
  [a, b, c, d, e] = [residents[0]!, residents[2]!, residents[3]!, residents[1]!, residents[4]!];
  moved = s.patientIds
    .map((id) => s.view(id).patient)
    .find((p) => p.unitId !== unit.id && p.protected === 0)!;

  const clock = settableClock();
  log = openAuditLog({
    file: path.join(tempDir('print-checklist-audit'), 'audit.sqlite'),
    dbKey: randomBytes(32).toString('hex'),
    clock,
    anchor: memoryAnchor(),
  });
  const event = (
    p: Pick<PatientRow, 'id' | 'identValue'>,
    action: 'view' | 'print',
    user: string,
    reason?: string,
  ): AuditEventInput => ({
    action,
    outcome: 'success',
    user,
    role: 'nurse',
    unit: unit.id,
    patient: p.id,
    ...(p.identValue ? { patientIdent: p.identValue } : {}),
    resources: [`Patient/${p.id}`],
    ...(reason ? { reason } : {}),
  });
  const append = (iso: string, events: AuditEventInput[]) => {
    clock.set(iso);
    log.append(events);
  };
  append('2026-11-27T05:30:00.000Z', [
    event(a, 'view', 'ssk.anna'),
    event(d, 'print', 'ssk.anna', 'unit-pack'),
  ]);
  append('2026-11-27T06:10:00.000Z', [
    event(a, 'print', 'ssk.anna', 'unit-pack'),
    event(b, 'print', 'ssk.anna', 'unit-pack'),
    event(c, 'print', 'ssk.anna', 'unit-pack'),
  ]);
  append('2026-11-27T07:00:00.000Z', [event(a, 'view', 'usk.bo')]);
  append('2026-11-27T07:30:00.000Z', [event(a, 'view', 'ssk.anna')]);
  append('2026-11-27T08:00:00.000Z', [
    event(a, 'print', 'usk.bo', 'note-form'),
    event(moved, 'print', 'ssk.anna', 'medication-list'),
    event({ id: 'gone-1', identValue: '19400101-0008' }, 'view', 'usk.cilla'),
    event(c, 'view', 'usk.cilla'),
  ]);
  append('2026-11-27T09:00:00.000Z', [event(a, 'print', 'ssk.anna', 'unit-pack')]);
  append('2026-11-27T10:00:00.000Z', [
    { ...event(e, 'view', 'usk.bo'), action: 'denied', outcome: 'denied', reason: 'unit' },
  ]);
  append('2026-11-27T14:00:00.000Z', [event(d, 'print', 'ssk.anna', 'unit-pack')]);

  disclosures = log.disclosures({
    unitId: unit.id,
    from: FROM.toISOString(),
    to: TO.toISOString(),
  });
  bytes = await renderTransferChecklist(s.meta(), {
    unit,
    from: FROM,
    to: TO,
    residents,
    disclosures,
    patient: (id) => getPatient(s.db, id),
  });
  pages = await readPdf(bytes);
}, 120_000);
afterAll(() => {
  log?.close();
  s?.db.close();
});

/**
 * The rows in print order, each as its squeezed body text from its person to the next person
 * (bodies only: a page's frame names the printing user, and must not land inside a row).
 */
function rows(): Map<string, string> {
  const all = squeeze(pages.flatMap((p) => p.body).join(''));
  const order = [
    ...residents.map((p) => [p.id, p.nameDisplay] as const),
    // Those not of the unit any more come last: named from the copy, then those it lacks.
    [moved.id, moved.nameDisplay] as const,
    ['gone-1', 'Finns inte i kopian'] as const,
  ];
  const at: number[] = [];
  let cursor = 0;
  for (const [, name] of order) {
    const i = all.indexOf(squeeze(name), cursor);
    expect(i, name).toBeGreaterThanOrEqual(cursor);
    at.push(i);
    cursor = i + 1;
  }
  return new Map(order.map(([id], k) => [id, all.slice(at[k], at[k + 1] ?? all.length)]));
}

describe('the transfer checklist', () => {
  it('is built from the log: exactly the people touched in the period', () => {
    expect(disclosures.map((x) => x.patient).sort()).toEqual(
      [a.id, b.id, c.id, moved.id, 'gone-1'].sort(),
    );
    const ofA = disclosures.find((x) => x.patient === a.id)!;
    expect(ofA).toMatchObject({ views: 2, prints: 3, users: ['ssk.anna', 'usk.bo'] });
    expect(ofA.documents.map((x) => [x.reason, x.count])).toEqual([
      ['unit-pack', 2],
      ['note-form', 1],
    ]);
  });

  it('lists what was printed and viewed, when and by whom, for each person touched', () => {
    const r = rows();
    const rowA = r.get(a.id)!;
    expect(rowA).toContain(squeeze(identityDisplay(a)));
    expect(rowA).toContain(
      squeeze('Reservutskrift för enheten, 2 gånger: 2026-11-27 07:10 – 10:00'),
    );
    expect(rowA).toContain(squeeze('Anteckningsblankett, 1 gång: 2026-11-27 09:00'));
    expect(rowA).toContain(squeeze('2 gånger: 2026-11-27 08:00 – 08:30'));
    expect(rowA).toContain(squeeze('ssk.anna, usk.bo'));
    // The view before the period is not counted.
    expect(rowA).not.toContain('06:30');

    expect(r.get(b.id)).toContain(squeeze('Reservutskrift för enheten, 1 gång: 2026-11-27 07:10'));
    const rowC = r.get(c.id)!;
    expect(rowC).toContain(squeeze('Reservutskrift för enheten, 1 gång: 2026-11-27 07:10'));
    expect(rowC).toContain(squeeze('1 gång: 2026-11-27 09:00'));
    expect(rowC).toContain(squeeze('ssk.anna, usk.cilla'));
    for (const p of [a, b, c]) expect(r.get(p.id)).not.toContain(squeeze(NOTHING));
  });

  it('lists everyone else of the unit as untouched, including those touched only outside the period or denied', () => {
    const r = rows();
    const untouched = residents.filter((p) => ![a.id, b.id, c.id].includes(p.id));
    expect(untouched.map((p) => p.id)).toEqual(expect.arrayContaining([d.id, e.id]));
    for (const p of untouched) {
      const row = r.get(p.id)!;
      expect(row, p.nameDisplay).toContain(squeeze(NOTHING));
      expect(row).toContain(squeeze(identityDisplay(p)));
      expect(row).not.toMatch(/gång|ssk\.|usk\./);
    }
    const all = squeezed(pages);
    expect(all.split(squeeze(NOTHING)).length - 1).toBe(untouched.length);
    expect(pages[0]!.text).toContain(
      `Utskrifter eller visningar under perioden: 5 av ${residents.length + 2} personer.`,
    );
  });

  it('lists people the log names for the unit who have left it, or the copy, last', () => {
    const r = rows();
    const rowMoved = r.get(moved.id)!;
    expect(rowMoved.startsWith(squeeze(`${moved.nameDisplay}${identityDisplay(moved)}`))).toBe(
      true,
    );
    expect(rowMoved).toContain(squeeze('Inte längre på enheten'));
    expect(rowMoved).toContain(squeeze('Läkemedelslista, 1 gång: 2026-11-27 09:00'));
    const rowGone = r.get('gone-1')!;
    expect(rowGone).toContain('19400101-0008');
    expect(rowGone).toContain(squeeze('1 gång: 2026-11-27 09:00'));
    expect(rowGone).toContain('usk.cilla');
  });

  it('has the period, the columns to tick and sign, and the frame on every page (PR1)', () => {
    expect(pages[0]!.text).toContain(`Överföringslista efter driftstopp: ${unit.name}`);
    expect(pages[0]!.text).toContain('Period: 2026-11-27 07:00 – 2026-11-27 15:00');
    for (const p of pages) {
      expect(p.header[0]).toBe(unit.name);
      expect(p.body).toEqual(expect.arrayContaining(['Överfört', 'Signatur', 'Utskrivet']));
    }
    expect(frameProblems(pages, FRAME)).toEqual([]);
    expect(pr1Problems(bytes)).toEqual([]);
  });

  it('prints in English when the user chose it', async () => {
    const english = await readPdf(
      await renderTransferChecklist(s.meta({ m: en }), {
        unit,
        from: FROM,
        to: TO,
        residents,
        disclosures,
        patient: (id) => getPatient(s.db, id),
      }),
    );
    const all = squeezed(english);
    expect(all).toContain(squeeze(`Transfer checklist after the outage: ${unit.name}`));
    expect(all).toContain(
      squeeze('Downtime printout for the unit, 2 times: 2026-11-27 07:10 – 10:00'),
    );
    expect(all).toContain(squeeze('Note form, once: 2026-11-27 09:00'));
    const cells = english.flatMap((p) => p.body).filter((t) => t === 'nothing printed or viewed');
    expect(cells).toHaveLength(residents.length - 3);
  });
});
