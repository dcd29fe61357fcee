/**
 * The print core on its own: the document (fonts, metadata, PR1), the frame on every page, and
 * the table writer (page breaks, repeated header rows, wrapped cells, a row taller than a page),
 * each rendered to a real PDF and read back with pdfjs-dist.
 */
import { describe, expect, it, vi } from 'vitest';
import { en, sv } from '../../src/i18n/messages.ts';
import { renderDocument } from '../../src/print/document.ts';
import { paragraph, title } from '../../src/print/flow.ts';
import type { PrintMeta } from '../../src/print/meta.ts';
import type { PrintDocument } from '../../src/print/pdf.ts';
import { table } from '../../src/print/table.ts';
import { dictionaries, frameProblems, readInfo, readPdf, squeezed } from './read-pdf.ts';

const META: PrintMeta = {
  m: sv,
  timeZone: 'Europe/Stockholm',
  transactionTime: '2026-11-27T05:00:00Z',
  printedBy: 'ssk.anna',
  printedAt: new Date('2026-11-27T08:00:00Z'),
  auditRef: '0123456789abcdef0123',
};

const FRAME = {
  mark: 'Reservutskrift – förstörs efter driftstopp',
  dataAsOf: 'Uppgifter per 2026-11-27 06:00',
  printedBy: 'Utskrivet av ssk.anna 2026-11-27 09:00',
  auditRef: 'Logg 0123456789ab',
  page: 'Sida {n}/{m}',
};

/** Names that must never be in a printout's dictionaries (PR1), as whole PDF names. */
const FORBIDDEN =
  /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|URI|Annots|AcroForm)(?![A-Za-z0-9])/;

describe('the print document', () => {
  it('embeds DejaVu and prints å ä ö and combining characters as text', async () => {
    const pdf = await renderDocument(META, (doc) => {
      doc.newPage(null);
      paragraph(doc, 'Rene\u0301e Öberg – åäö ÅÄÖ – Lo\u0308vgren');
    });
    const [page] = await readPdf(pdf);
    expect(page!.text).toContain('Renée Öberg – åäö ÅÄÖ – Lövgren');
    const dict = dictionaries(pdf);
    expect(dict).toContain('/FontFile2');
    const fonts = [...dict.matchAll(/\/BaseFont\s*\/([^\s/<>[\]]+)/g)].map((m) => m[1]);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+DejaVuSansCondensed(-Bold)?$/);
    expect(dict).not.toMatch(/Helvetica|Times-Roman|Courier|ZapfDingbats|\/Symbol/);
  });

  it('holds no script, action, launch, embedded file or link, and no patient data in Info (PR1)', async () => {
    const pdf = await renderDocument(META, (doc) => {
      doc.newPage({ kind: 'resident', name: 'Anna Andersson', identity: '19121212-1212' });
      paragraph(doc, 'javascript:alert(1) https://example.org/x <script>alert(1)</script>');
    });
    const dict = dictionaries(pdf);
    expect(dict).not.toMatch(FORBIDDEN);
    // Every stream is compressed; the dictionaries are plain text to check.
    const streams = dict.match(/endstream/g)?.length ?? 0;
    expect(streams).toBeGreaterThan(0);
    expect(dict.match(/\/Filter\s*\/FlateDecode/g)?.length).toBe(streams);
    const info = await readInfo(pdf);
    expect(info).toMatchObject({ Title: 'Reservutskrift', Creator: 'Reservjournal' });
    expect(JSON.stringify(info)).not.toMatch(/Anna|1912/);
    expect(dict).not.toContain('Anna Andersson');
    expect(dict).not.toContain('19121212');
    expect((await readPdf(pdf))[0]!.text).toContain('<script>alert(1)</script>');
  });

  it('gives the same bytes for the same input: no clock but the caller’s', async () => {
    const write = (doc: PrintDocument) => {
      doc.newPage(null);
      paragraph(doc, 'Samma indata, samma fil.');
    };
    // The system clock a year apart between the two prints: the bytes must not notice.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2020-01-01T00:00:00Z'));
      const a = await renderDocument(META, write);
      vi.setSystemTime(new Date('2021-06-15T12:34:56Z'));
      expect((await renderDocument(META, write)).equals(a)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws the frame on every page with its own page number, in either language', async () => {
    const write = (doc: PrintDocument) => {
      doc.newPage({ kind: 'resident', name: 'Åsa Öberg', identity: '19121212-1212' });
      for (let i = 0; i < 150; i++) paragraph(doc, `Rad ${i}`);
      doc.newPage({ kind: 'unit', name: 'Avdelning Blåsippan' });
      paragraph(doc, 'Enhetens sida');
    };
    const pages = await readPdf(await renderDocument(META, write));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(frameProblems(pages, FRAME)).toEqual([]);
    // The resident's pages, including the one the text ran onto, name the resident; the
    // unit's page names the unit.
    for (const p of pages.slice(0, -1))
      expect(p.header.slice(0, 2)).toEqual(['Åsa Öberg', '19121212-1212']);
    expect(pages.at(-1)!.header[0]).toBe('Avdelning Blåsippan');

    const english = await readPdf(await renderDocument({ ...META, m: en }, write));
    expect(
      frameProblems(english, {
        mark: 'Downtime copy – destroy after the outage',
        dataAsOf: 'Data as of 2026-11-27 06:00',
        printedBy: 'Printed by ssk.anna 2026-11-27 09:00',
        auditRef: 'Log 0123456789ab',
        page: 'Page {n}/{m}',
      }),
    ).toEqual([]);
  });
});

describe('the table writer', () => {
  const columns = [
    { header: 'Nummer', width: 15 },
    { header: 'Text', width: 60 },
    { header: 'Signatur', width: 25 },
  ];

  it('breaks pages between rows, repeats the header row on each page and wraps cell text', async () => {
    const long =
      'Mycket lång anteckning som måste radbrytas inom sin kolumn utan att något försvinner.';
    const pdf = await renderDocument(META, (doc) => {
      doc.newPage(null);
      title(doc, 'Tabell');
      table(
        doc,
        { columns },
        Array.from({ length: 90 }, (_, i) => [`rad-${i}`, `${long} (${i})`, '']),
      );
    });
    const pages = await readPdf(pdf);
    expect(pages.length).toBeGreaterThan(2);
    for (const p of pages) {
      const first = p.body.indexOf('Nummer');
      expect(first).toBeGreaterThanOrEqual(0);
      expect(p.body.slice(first, first + 3)).toEqual(['Nummer', 'Text', 'Signatur']);
    }
    // Every row once, whole, in order.
    const rows = pages.flatMap((p) => p.body.filter((s) => /^rad-\d+$/.test(s)));
    expect(rows).toEqual(Array.from({ length: 90 }, (_, i) => `rad-${i}`));
    const all = squeezed(pages);
    for (let i = 0; i < 90; i++) expect(all).toContain(`${long} (${i})`.replace(/\s+/g, ''));
  });

  it('continues a row taller than a page on the next pages, cut between words, nothing lost', async () => {
    const words = Array.from({ length: 2500 }, (_, i) => `ord${i}`);
    const pdf = await renderDocument(META, (doc) => {
      doc.newPage(null);
      table(doc, { columns }, [
        ['före', 'kort', ''],
        ['lång', words.join(' '), ''],
        ['efter', 'kort', ''],
      ]);
    });
    const pages = await readPdf(pdf);
    expect(pages.length).toBeGreaterThan(1);
    const found = pages
      .flatMap((p) => p.body.join(' ').split(/\s+/))
      .filter((w) => /^ord\d+$/.test(w));
    expect(found).toEqual(words);
    for (const p of pages) expect(p.body[0]).toBe('Nummer');
    expect(pages.at(-1)!.text).toContain('efter kort');
  });
});
