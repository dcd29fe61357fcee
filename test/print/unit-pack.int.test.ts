/**
 * The unit pack from a real station database, read back with pdfjs-dist: the cover (unit, data
 * age, people and rooms), each person's summary, medication list and signing sheet in the
 * unit's order with that person named on every one of their pages, the contact list last; the
 * frame on every page with a correct "page n/m" (golden test for reliability row L8, the dynamic
 * parts fixed by the fixed clock and audit reference); PR1 on the raw bytes; the embedded font;
 * protected identity without address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_CASES } from '../../src/generate/person.ts';
import { en } from '../../src/i18n/messages.ts';
import { renderUnitPack } from '../../src/print/unit-pack.ts';
import type { ResidentView } from '../../src/views/resident.ts';
import { buildUnitView, type UnitView } from '../../src/views/unit.ts';
import { NOW, printStation, TIME_ZONE, type PrintStation } from './fixture.ts';
import { dictionaries, frameProblems, readPdf, squeezed, type PageText } from './read-pdf.ts';

let s: PrintStation;
let unit: UnitView;
let residents: ResidentView[];
let pack: Buffer;
let pages: PageText[];

const FORBIDDEN =
  /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|URI|Annots|AcroForm)(?![A-Za-z0-9])/;
const SIGNING = { hours: 72, from: NOW } as const;

beforeAll(async () => {
  s = await printStation('print-pack');
  // The unit of the person with protected identity.
  const unitId = s.view(s.patientIds[EDGE_CASES.protectedIdentity]!).patient.unitId!;
  unit = buildUnitView(s.db, unitId, { now: NOW, timeZone: TIME_ZONE })!;
  residents = unit.residents.map((p) => s.view(p.id));
  pack = await renderUnitPack(s.meta(), unit, residents, SIGNING);
  pages = await readPdf(pack);
}, 120_000);
afterAll(() => s?.db.close());

const TITLES: [RegExp, string][] = [
  [/^Reservutskrift för enheten$/, 'cover'],
  [/^Sammanfattning: (.+)$/, 'summary'],
  [/^Läkemedelslista: (.+)$/, 'medication'],
  [/^Signeringslista: (.+)$/, 'signing'],
  [/^Vid behov – givna doser: (.+)$/, 'prn'],
  [/^Kontaktlista: (.+)$/, 'contacts'],
];

/** What each page starts with: a document's title, or nothing (a continued page). */
function titleOf(p: PageText): string | undefined {
  for (const [re, kind] of TITLES) {
    const m = re.exec(p.body[0] ?? '');
    if (m) return m[1] ? `${kind} ${m[1]}` : kind;
  }
  return undefined;
}

describe('the unit pack', () => {
  it('has the cover, then each person’s summary, medication list and signing sheet, then the contact list', () => {
    const sequence = pages.map(titleOf).filter((t) => t !== undefined);
    expect(sequence).toEqual([
      'cover',
      ...residents.flatMap((v) =>
        ['summary', 'medication', 'signing', 'prn'].map((k) => `${k} ${v.patient.nameDisplay}`),
      ),
      `contacts ${unit.unit.name}`,
    ]);
    // Each page names whose it is: the unit for its own pages, else the person it belongs to.
    let owner: string[] = [unit.unit.name];
    for (const p of pages) {
      const t = titleOf(p);
      if (t?.startsWith('summary ')) {
        const v = residents.find((r) => t === `summary ${r.patient.nameDisplay}`)!;
        owner = [v.patient.nameDisplay, v.identityDisplay];
      } else if (t?.startsWith('contacts ')) owner = [unit.unit.name];
      expect(p.header.slice(0, owner.length)).toEqual(owner);
    }
  });

  it('opens with the unit, the age of the data, the period of the signing sheets and every person with room and flags', () => {
    const cover = pages[0]!;
    // The list of people runs on until the first person's summary.
    const coverPages = pages.slice(
      0,
      pages.findIndex((p) => titleOf(p)?.startsWith('summary')),
    );
    expect(cover.header[0]).toBe(unit.unit.name);
    expect(cover.text).toContain('Uppgifter per 2026-11-27 06:00 (för 3 tim sedan).');
    expect(cover.text).toContain('Signeringslistor för 72 tim från 2026-11-27 09:00.');
    expect(cover.text).toContain(`Personer och rum: ${residents.length}`);
    const coverText = squeezed(coverPages);
    for (const p of unit.people) {
      expect(coverText).toContain(
        `${p.patient.room ?? ''}${p.patient.nameDisplay}${p.identityDisplay}`.replace(/\s+/g, ''),
      );
      for (const f of p.flags)
        if (f.kind === 'dnr') expect(coverText).toContain(`EjHLR(beslut${f.decidedOn!})`);
    }
    expect(cover.text).toContain('Skyddad');
  });

  it('frames every page with the data age, printer, audit reference and a correct page n/m', () => {
    expect(pages.length).toBeGreaterThan(4 * residents.length);
    expect(
      frameProblems(pages, {
        mark: 'Reservutskrift – förstörs efter driftstopp',
        dataAsOf: 'Uppgifter per 2026-11-27 06:00',
        printedBy: 'Utskrivet av ssk.anna 2026-11-27 09:00',
        auditRef: 'Logg a1b2c3d4e5f6',
        page: 'Sida {n}/{m}',
      }),
    ).toEqual([]);
  });

  it('prints the frame exactly as reviewed (golden, L8)', async () => {
    const two = await readPdf(await renderUnitPack(s.meta(), unit, residents.slice(0, 2), SIGNING));
    expect(two.map((p) => [...p.header, ...p.footer].join(' | '))).toMatchInlineSnapshot(`
      [
        "Hemtjänst Norr | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 1/10 | Logg a1b2c3d4e5f6",
        "Aina Karlsson | 19391021-9181 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 2/10 | Logg a1b2c3d4e5f6",
        "Aina Karlsson | 19391021-9181 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 3/10 | Logg a1b2c3d4e5f6",
        "Aina Karlsson | 19391021-9181 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 4/10 | Logg a1b2c3d4e5f6",
        "Aina Karlsson | 19391021-9181 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 5/10 | Logg a1b2c3d4e5f6",
        "Åke Gösta Berglöf | 19280412-9175 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 6/10 | Logg a1b2c3d4e5f6",
        "Åke Gösta Berglöf | 19280412-9175 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 7/10 | Logg a1b2c3d4e5f6",
        "Åke Gösta Berglöf | 19280412-9175 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 8/10 | Logg a1b2c3d4e5f6",
        "Åke Gösta Berglöf | 19280412-9175 | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 9/10 | Logg a1b2c3d4e5f6",
        "Hemtjänst Norr | Reservutskrift – förstörs efter driftstopp | Uppgifter per 2026-11-27 06:00 | Utskrivet av ssk.anna 2026-11-27 09:00 | Sida 10/10 | Logg a1b2c3d4e5f6",
      ]
    `);
  });

  it('never prints the address of the person with protected identity', () => {
    const raw = JSON.parse(s.lines('Patient')[EDGE_CASES.protectedIdentity]!) as {
      address: { line: string[]; postalCode: string }[];
    };
    expect(residents.some((v) => v.patient.protected === 1)).toBe(true);
    const all = squeezed(pages);
    expect(all).not.toContain(raw.address[0]!.line[0]!.replace(/\s+/g, ''));
    expect(all).not.toContain(raw.address[0]!.postalCode.replace(/\s+/g, ''));
  });

  it('holds no script, action, launch, embedded file or link, only the embedded DejaVu fonts (PR1)', () => {
    const dict = dictionaries(pack);
    expect(dict).not.toMatch(FORBIDDEN);
    expect(dict).toContain('/FontFile2');
    const fonts = new Set([...dict.matchAll(/\/BaseFont\s*\/([^\s/<>[\]]+)/g)].map((m) => m[1]));
    for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+DejaVuSansCondensed(-Bold)?$/);
    expect(dict.match(/\/Filter\s*\/FlateDecode/g)?.length).toBe(dict.match(/endstream/g)?.length);
  });

  it('gives the same bytes for the same input, and prints in English when asked', async () => {
    expect((await renderUnitPack(s.meta(), unit, residents, SIGNING)).equals(pack)).toBe(true);
    const english = await readPdf(
      await renderUnitPack(s.meta({ m: en }), unit, residents.slice(0, 1), SIGNING),
    );
    expect(english[0]!.body[0]).toBe('Downtime printout for the unit');
    expect(
      frameProblems(english, {
        mark: 'Downtime copy – destroy after the outage',
        dataAsOf: 'Data as of 2026-11-27 06:00',
        printedBy: 'Printed by ssk.anna 2026-11-27 09:00',
        auditRef: 'Log a1b2c3d4e5f6',
        page: 'Page {n}/{m}',
      }),
    ).toEqual([]);
  });
});
