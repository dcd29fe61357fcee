/**
 * The downtime note form from a real station database, read back with pdfjs-dist: the person's
 * identity (name, personnummer, unit, room) in the body and in the frame of every page, the
 * blank entries each with all their fields, no address even for protected identity, the unit
 * variant with one form per person in the unit's order, either language, and PR1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_CASES } from '../../src/generate/person.ts';
import { en } from '../../src/i18n/messages.ts';
import { renderNoteForm, renderUnitNoteForms } from '../../src/print/note-form.ts';
import { listResidents, type PatientRow } from '../../src/store/queries.ts';
import { identityDisplay } from '../../src/views/unit.ts';
import { printStation, type PrintStation } from './fixture.ts';
import { frameProblems, pr1Problems, readPdf, squeezed, type PageText } from './read-pdf.ts';

let s: PrintStation;

beforeAll(async () => {
  s = await printStation('print-note-form');
}, 120_000);
afterAll(() => s?.db.close());

const FRAME = {
  mark: 'Reservutskrift – förstörs efter driftstopp',
  dataAsOf: 'Uppgifter per 2026-11-27 06:00',
  printedBy: 'Utskrivet av ssk.anna 2026-11-27 09:00',
  auditRef: 'Logg a1b2c3d4e5f6',
  page: 'Sida {n}/{m}',
};
const FIELDS = [
  'Händelsetid (datum, kl)',
  'Antecknat (datum, kl)',
  'Journal:',
  'HSL',
  'SoL',
  'Anteckning',
  'Signatur, namnförtydligande, titel',
  'Överfört till journalen av / när',
];
const squeeze = (text: string) => text.normalize('NFC').replace(/\s+/g, '');

function patient(index: number): PatientRow {
  return s.view(s.patientIds[index]!).patient;
}

function count(pages: readonly PageText[], text: string): number {
  return pages.flatMap((p) => p.body).filter((t) => t === text).length;
}

/** Every page names the person in its frame. */
function expectOwner(pages: readonly PageText[], p: PatientRow): void {
  for (const page of pages)
    expect(page.header.slice(0, 2)).toEqual([p.nameDisplay.normalize('NFC'), identityDisplay(p)]);
}

describe('the note form', () => {
  it('is pre-filled with the person’s name, personnummer, unit and room', async () => {
    // Someone in a nursing home, so that there is a room to print.
    const p = s.patientIds.map((id) => s.view(id).patient).find((x) => x.room !== null)!;
    const bytes = await renderNoteForm(s.meta(), p);
    const pages = await readPdf(bytes);
    expect(pages).toHaveLength(1);
    const body = pages[0]!.text;
    expect(body).toContain(`Anteckningar under driftstopp: ${p.nameDisplay}`);
    for (const [label, value] of [
      ['Namn', p.nameDisplay],
      ['Personnummer', identityDisplay(p)],
      ['Enhet', p.unitName!],
      ['Rum', p.room!],
    ])
      expect(body).toContain(`${label} ${value}`);
    expectOwner(pages, p);
    expect(frameProblems(pages, FRAME)).toEqual([]);
    expect(pr1Problems(bytes)).toEqual([]);
  });

  it('has blank entries, each with event time, entry time, record, text, signature and the transfer line', async () => {
    const p = patient(0);
    const pages = await readPdf(await renderNoteForm(s.meta(), p));
    for (let n = 1; n <= 3; n++) expect(count(pages, `Anteckning ${n}`)).toBe(1);
    expect(count(pages, 'Anteckning 4')).toBe(0);
    for (const field of FIELDS) expect(count(pages, field), field).toBe(3);
    // In that order within every entry.
    const order = pages[0]!.body.filter((t) => FIELDS.includes(t) || /^Anteckning \d$/.test(t));
    expect(order).toEqual(
      [1, 2, 3].flatMap((n) => [
        `Anteckning ${n}`,
        'Journal:',
        'HSL',
        'SoL',
        ...FIELDS.filter((f) => !['Journal:', 'HSL', 'SoL'].includes(f)),
      ]),
    );
  });

  it('runs more entries onto further pages that still name the person, never splitting one', async () => {
    const p = patient(EDGE_CASES.combiningCharacters);
    const bytes = await renderNoteForm(s.meta(), p, { entries: 8 });
    const pages = await readPdf(bytes);
    expect(pages.length).toBe(3);
    expect(frameProblems(pages, FRAME)).toEqual([]);
    expectOwner(pages, p);
    for (let n = 1; n <= 8; n++) expect(count(pages, `Anteckning ${n}`)).toBe(1);
    for (const page of pages) {
      // Each page holds whole entries: as many transfer lines as entry titles.
      const titles = page.body.filter((t) => /^Anteckning \d$/.test(t)).length;
      expect(page.body.filter((t) => t === 'Överfört till journalen av / när')).toHaveLength(
        titles,
      );
    }
  });

  it('prints no address, also for protected identity', async () => {
    const p = patient(EDGE_CASES.protectedIdentity);
    expect(p.protected).not.toBe(0);
    const pages = await readPdf(await renderNoteForm(s.meta(), p));
    const line = s
      .lines('Patient')
      .map((l) => JSON.parse(l) as { id: string; address?: { line: string[] }[] })
      .find((x) => x.id === p.id)!.address![0]!.line[0]!;
    expect(squeezed(pages)).not.toContain(squeeze(line));
    expect(pages[0]!.text).not.toMatch(/Adress/);
    expectOwner(pages, p);
  });

  it('prints one form per person of a unit, in the unit’s order, each page naming its person', async () => {
    const unitId = patient(0).unitId!;
    const residents = listResidents(s.db, unitId);
    expect(residents.length).toBeGreaterThan(2);
    const bytes = await renderUnitNoteForms(s.meta(), residents);
    const pages = await readPdf(bytes);
    expect(pages).toHaveLength(residents.length);
    expect(frameProblems(pages, FRAME)).toEqual([]);
    pages.forEach((page, i) => {
      const p = residents[i]!;
      expect(page.header.slice(0, 2)).toEqual([p.nameDisplay.normalize('NFC'), identityDisplay(p)]);
      expect(page.text).toContain(
        `Anteckningar under driftstopp: ${p.nameDisplay.normalize('NFC')}`,
      );
      expect(page.text).toContain(`Personnummer ${identityDisplay(p)}`);
    });
    expect(pr1Problems(bytes)).toEqual([]);
  });

  it('prints in English when the user chose it', async () => {
    const p = patient(0);
    const pages = await readPdf(await renderNoteForm(s.meta({ m: en }), p));
    const body = pages.flatMap((x) => x.body);
    for (const text of [
      `Notes during the outage: ${p.nameDisplay}`,
      'Time of event (date, time)',
      'Written (date, time)',
      'Signature, name in capitals, title',
      'Transferred to the journal by / when',
    ])
      expect(body).toContain(text);
    expect(pages[0]!.header).toContain('Downtime copy – destroy after the outage');
  });
});
