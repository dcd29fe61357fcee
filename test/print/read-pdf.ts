/**
 * Reading a printout back for tests: the text of every page from pdfjs-dist (what a reader or a
 * screen reader would get), split into the header band, the body and the footer band by where
 * it sits on the page; and the PDF's object dictionaries without the stream data between
 * `stream` and `endstream` (pdfkit writes dictionaries as plain text and compresses streams), so
 * that checks on names such as /JavaScript cannot be fooled, or tripped, by compressed bytes.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { CONTENT, PAGE } from '../../src/print/pdf.ts';

export interface TextItem {
  readonly str: string;
  readonly x: number;
  /** From the top of the page, in points. */
  readonly y: number;
}

export interface PageText {
  readonly items: TextItem[];
  /** Items above the content box, in reading order. */
  readonly header: string[];
  /** Items below the content box, in reading order. */
  readonly footer: string[];
  /** Items of the content box, in drawing order. */
  readonly body: string[];
  /** The body as one string, items joined by single spaces. */
  readonly text: string;
}

/** Top to bottom, and left to right along a line (baselines within 3 points are one line). */
function readingOrder(a: TextItem, b: TextItem): number {
  return Math.abs(a.y - b.y) > 3 ? a.y - b.y : a.x - b.x;
}

export async function readPdf(bytes: Buffer): Promise<PageText[]> {
  const pdf = await getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
  }).promise;
  const pages: PageText[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const items: TextItem[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [, , , , x, y] = item.transform as number[];
      items.push({ str: item.str.normalize('NFC'), x: x!, y: PAGE.height - y! });
    }
    const header = items.filter((i) => i.y < CONTENT.top - 12).sort(readingOrder);
    const footer = items.filter((i) => i.y > CONTENT.bottom).sort(readingOrder);
    const body = items.filter((i) => !header.includes(i) && !footer.includes(i));
    pages.push({
      items,
      header: header.map((i) => i.str),
      footer: footer.map((i) => i.str),
      body: body.map((i) => i.str),
      text: body
        .map((i) => i.str)
        .join(' ')
        .replace(/\s+/g, ' '),
    });
  }
  await pdf.destroy();
  return pages;
}

/** The PDF's bytes outside stream data: its object dictionaries, trailer and xref. */
export function dictionaries(bytes: Buffer): string {
  const s = bytes.toString('latin1');
  let out = '';
  let at = 0;
  for (;;) {
    const start = s.indexOf('stream', at);
    if (start === -1) break;
    // `endstream` also contains "stream": only a `stream` keyword that opens data counts.
    if (s.slice(start - 3, start) === 'end') {
      out += s.slice(at, start + 6);
      at = start + 6;
      continue;
    }
    const end = s.indexOf('endstream', start);
    out += s.slice(at, start + 6);
    at = end === -1 ? s.length : end;
  }
  return out + s.slice(at);
}

/** All text of a document with whitespace removed (for text that wrapped across lines). */
export function squeezed(pages: readonly PageText[]): string {
  return pages
    .flatMap((p) => p.items.map((i) => i.str))
    .join('')
    .replace(/\s+/g, '');
}

export interface FrameExpectation {
  readonly mark: string;
  readonly dataAsOf: string;
  readonly printedBy: string;
  readonly auditRef: string;
  /** "Sida {n}/{m}" */
  readonly page: string;
}

/**
 * Every page carries the whole frame (reliability row L8): the mark, the data age, who printed
 * and when, the audit reference and its own correct "page n/m". Returns the problems found, one
 * line per missing item, so a failing test names the page.
 */
export function frameProblems(pages: readonly PageText[], expect: FrameExpectation): string[] {
  const problems: string[] = [];
  pages.forEach((p, i) => {
    const page = expect.page.replace('{n}', String(i + 1)).replace('{m}', String(pages.length));
    const want: [string, readonly string[]][] = [
      [expect.mark, p.header],
      [expect.dataAsOf, p.footer],
      [expect.printedBy, p.footer],
      [expect.auditRef, p.footer],
      [page, p.footer],
    ];
    for (const [text, band] of want)
      if (!band.includes(text)) problems.push(`page ${i + 1}: no "${text}" in ${band.join(' | ')}`);
  });
  return problems;
}

/** The document's Info dictionary as pdfjs reads it (Title, Creator, CreationDate…). */
export async function readInfo(bytes: Buffer): Promise<Record<string, unknown>> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  const { info } = await pdf.getMetadata();
  await pdf.destroy();
  return info as Record<string, unknown>;
}

/**
 * Names that must never be in a printout's dictionaries (PR1: no script, action, launch,
 * embedded file, link or form), as whole PDF names.
 */
export const FORBIDDEN_PDF_NAMES =
  /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|URI|Annots|AcroForm)(?![A-Za-z0-9])/;

/**
 * PR1 on a printout's bytes: the forbidden names found in its dictionaries, and a stream that is
 * not compressed (the check reads only dictionaries, so every stream must be Flate data); an
 * empty list is right.
 */
export function pr1Problems(bytes: Buffer): string[] {
  const dict = dictionaries(bytes);
  const problems = [...new Set(dict.match(new RegExp(FORBIDDEN_PDF_NAMES, 'g')) ?? [])];
  const streams = dict.match(/endstream/g)?.length ?? 0;
  const flate = dict.match(/\/Filter\s*\/FlateDecode/g)?.length ?? 0;
  if (streams === 0 || flate !== streams) problems.push(`${streams} streams, ${flate} compressed`);
  return problems;
}
