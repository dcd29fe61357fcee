/**
 * The signing sheet from generated people in a real station database, read back with
 * pdfjs-dist: a grid per regular order with one column per day the period touches (24, 48 or 72
 * hours from the caller's clock) and one row per dose time of that order; the PRN log on a page
 * of its own with the as-needed orders and their rules; the signature legend; the frame on every
 * page. The period's arithmetic (which boxes are open) is checked on its own functions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/i18n/messages.ts';
import { renderSigningSheet } from '../../src/print/signing-sheet.ts';
import {
  inWindow,
  localInstant,
  onWeekday,
  signingWindow,
  type SigningHours,
} from '../../src/print/signing-window.ts';
import type { ResidentView } from '../../src/views/resident.ts';
import { NOW, printStation, TIME_ZONE, type PrintStation } from './fixture.ts';
import { frameProblems, readPdf, squeezed, type PageText } from './read-pdf.ts';

let s: PrintStation;

beforeAll(async () => {
  s = await printStation('print-signing');
}, 120_000);
afterAll(() => s?.db.close());

/** 00:00 on 2026-11-28 in Stockholm (UTC+1 in November). */
const MIDNIGHT = new Date('2026-11-27T23:00:00Z');
const DAY = /^(mån|tis|ons|tors|fre|lör|sön|Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4}-\d{2}-\d{2})$/;

async function sheet(v: ResidentView, hours: SigningHours, from: Date, lang?: 'en') {
  return readPdf(await renderSigningSheet(lang ? s.meta({ m: en }) : s.meta(), v, { hours, from }));
}

/** A person with several regular orders, at least one with more than one dose time. */
function busy(): ResidentView {
  const id = s.patientIds.find((p) => {
    const regular = s.view(p).medications.filter((m) => m.asNeeded === null);
    return (
      regular.length >= 3 &&
      regular.some((m) => m.times.length > 1) &&
      s.view(p).medications.some((m) => m.asNeeded)
    );
  })!;
  return s.view(id);
}

function gridPages(pages: readonly PageText[]): PageText[] {
  return pages.filter((p) => !p.body[0]!.startsWith('Vid behov – givna doser'));
}

describe('the signing sheet', () => {
  it('has one day column per day of the period: 24, 48 or 72 hours', async () => {
    const v = busy();
    const regular = v.medications.filter((m) => m.asNeeded === null).length;
    for (const hours of [24, 48, 72] as const) {
      for (const [from, columns, first] of [
        [MIDNIGHT, hours / 24, '2026-11-28'],
        // From 09:00 the period also touches one more calendar day.
        [NOW, hours / 24 + 1, '2026-11-27'],
      ] as const) {
        const pages = gridPages(await sheet(v, hours, from));
        const labels = pages.flatMap((p) => p.body.filter((x) => DAY.test(x)));
        const days = [...new Set(labels.map((l) => DAY.exec(l)![2]!))];
        expect(days, `${hours} h from ${from.toISOString()}`).toHaveLength(columns);
        expect(days[0]).toBe(first);
        // Every order's grid has all the day columns under its own "Kl" header.
        expect(pages.flatMap((p) => p.body.filter((x) => x === 'Kl'))).toHaveLength(regular);
        expect(labels).toHaveLength(regular * columns);
      }
    }
    const english = await sheet(v, 48, MIDNIGHT, 'en');
    expect(english[0]!.body).toContain('Sat 2026-11-28');
    expect(english[0]!.body).toContain('Sun 2026-11-29');
  });

  it('gives each order a row per dose time, under its name and dosage text as written', async () => {
    const v = busy();
    const pages = await sheet(v, 72, NOW);
    const items = gridPages(pages).flatMap((p) => p.body);
    const regular = v.medications.filter((m) => m.asNeeded === null);
    const rows = new Map<string, string[]>();
    let current: string | undefined;
    for (const item of items) {
      if (regular.some((m) => m.name === item)) {
        current = item;
        rows.set(item, []);
      } else if (current && (/^\d{2}:\d{2}$/.test(item) || item === 'Enligt dosering'))
        rows.get(current)!.push(item);
    }
    for (const m of regular)
      expect(rows.get(m.name), m.name).toEqual(m.times.length > 0 ? m.times : ['Enligt dosering']);
    const all = squeezed(pages);
    for (const m of regular) expect(all).toContain(m.dosageText.replace(/\s+/g, ''));
    expect(
      frameProblems(pages, {
        mark: 'Reservutskrift – förstörs efter driftstopp',
        dataAsOf: 'Uppgifter per 2026-11-27 06:00',
        printedBy: 'Utskrivet av ssk.anna 2026-11-27 09:00',
        auditRef: 'Logg a1b2c3d4e5f6',
        page: 'Sida {n}/{m}',
      }),
    ).toEqual([]);
    expect(pages[0]!.text).toContain(
      `Signeringslista: ${v.patient.nameDisplay} 2026-11-27 09:00 – 2026-11-30 09:00 (72 tim)`,
    );
  });

  it('puts the PRN log on a page of its own with the as-needed rules, then the signature legend', async () => {
    const v = busy();
    const pages = await sheet(v, 24, NOW);
    const prnPages = pages.filter((p) => p.body[0]!.startsWith('Vid behov – givna doser'));
    expect(prnPages).toHaveLength(1);
    const prn = prnPages[0]!;
    expect(pages.indexOf(prn)).toBe(pages.length - 1);
    expect(prn.body[0]).toBe(`Vid behov – givna doser: ${v.patient.nameDisplay}`);
    for (const h of ['Datum och tid', 'Läkemedel och dos', 'Orsak', 'Effekt (tid)', 'Signatur'])
      expect(prn.body).toContain(h);
    const all = squeezed([prn]);
    for (const m of v.medications.filter((x) => x.asNeeded)) {
      expect(all).toContain(m.dosageText.replace(/\s+/g, ''));
      if (m.asNeeded!.maxPerPeriod)
        expect(all).toContain(`Högst ${m.asNeeded!.maxPerPeriod}`.replace(/\s+/g, ''));
    }
    // The regular orders are not on the PRN page, nor the PRN orders in the grids.
    for (const m of v.medications.filter((x) => !x.asNeeded))
      expect(prn.body).not.toContain(m.name);
    const legend = prn.body.indexOf('Signaturförtydligande');
    expect(legend).toBeGreaterThan(prn.body.indexOf('Signatur'));
    expect(prn.body.slice(legend)).toEqual(
      expect.arrayContaining(['Namn (textat)', 'Namnteckning', 'Initialer']),
    );
  });

  it('prints a sheet for a person without medication: no grid, an empty PRN log and the legend', async () => {
    const id = s.patientIds.find((p) => s.view(p).medications.length === 0)!;
    const pages = await sheet(s.view(id), 48, NOW);
    expect(pages.map((p) => p.text).join(' ')).toContain(
      'Inga stående ordinationer att signera i denna kopia.',
    );
    expect(pages.at(-1)!.text).toContain('Inga vid behov-ordinationer i denna kopia.');
    expect(pages.at(-1)!.body).toContain('Signaturförtydligande');
  });
});

describe('the signing period', () => {
  it('opens a box only for dose times inside the period', () => {
    const w = signingWindow(NOW, 72, TIME_ZONE);
    expect(w.days).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
    expect(inWindow(w, '2026-11-27', '08:00')).toBe(false);
    expect(inWindow(w, '2026-11-27', '09:00')).toBe(true);
    expect(inWindow(w, '2026-11-30', '08:59')).toBe(true);
    expect(inWindow(w, '2026-11-30', '09:00')).toBe(false);
    expect(signingWindow(MIDNIGHT, 24, TIME_ZONE).days).toEqual(['2026-11-28']);
  });

  it('places wall-clock times on either side of a daylight-saving change', () => {
    expect(localInstant('2026-03-28', '08:00', TIME_ZONE).toISOString()).toBe(
      '2026-03-28T07:00:00.000Z',
    );
    expect(localInstant('2026-03-29', '08:00', TIME_ZONE).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z',
    );
    // 02:30 does not exist that night: it lands where the clocks read it, at 03:30.
    expect(localInstant('2026-03-29', '02:30', TIME_ZONE).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(localInstant('2026-10-25', '21:00', TIME_ZONE).toISOString()).toBe(
      '2026-10-25T20:00:00.000Z',
    );
    // 72 hours over the spring change (a night an hour short) end at 01:00 on a fourth day.
    const spring = signingWindow(new Date('2026-03-27T23:00:00Z'), 72, TIME_ZONE);
    expect(spring.days).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
  });

  it('closes the days an order does not name', () => {
    expect(onWeekday([], '2026-11-27')).toBe(true);
    expect(onWeekday(['mon'], '2026-11-30')).toBe(true);
    expect(onWeekday(['mon'], '2026-11-27')).toBe(false);
  });
});
