/**
 * Running text down the content box: titles, section headings kept with what follows them, and
 * paragraphs that continue on the next page when they do not fit (split between words, never
 * cut). Text from the journal goes through here as it is: nothing is shortened.
 */
import type { PrintDocument, TextStyle } from './pdf.ts';

export const BODY: TextStyle = { size: 9 };
export const SMALL: TextStyle = { size: 8 };
export const BOLD: TextStyle = { font: 'bold', size: 9 };

/** A heading is never left alone at the bottom of a page: this much must fit below it. */
const KEEP_WITH_NEXT = 36;

/**
 * The longest start of `text`, cut between words, that fits in `height` at `width`, and the rest.
 * The start is empty when not even the first word fits.
 */
export function splitToFit(
  doc: PrintDocument,
  text: string,
  width: number,
  style: TextStyle,
  height: number,
): [string, string] {
  if (doc.heightOf(text, width, style) <= height) return [text, ''];
  const cuts = [...text.matchAll(/\s+/g)].map((m) => m.index).filter((i) => i > 0);
  let lo = 0;
  let hi = cuts.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (doc.heightOf(text.slice(0, cuts[mid]).trimEnd(), width, style) <= height) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (best === -1) return ['', text];
  const at = cuts[best]!;
  return [text.slice(0, at).trimEnd(), text.slice(at).trimStart()];
}

/** The document's title on a page: large and bold, then a gap. */
export function title(doc: PrintDocument, text: string, subtitle?: string): void {
  const style: TextStyle = { font: 'bold', size: 15 };
  doc.ensureRoom(KEEP_WITH_NEXT + 20);
  const h = doc.heightOf(text, doc.box.width, style);
  doc.text(text, doc.box.left, doc.y, doc.box.width, style);
  doc.y += h + 2;
  if (subtitle) paragraph(doc, subtitle, BODY);
  doc.y += 4;
}

/** A section heading with a rule under it, kept with the first lines after it. */
export function heading(doc: PrintDocument, text: string): void {
  const style: TextStyle = { font: 'bold', size: 10.5 };
  const h = doc.heightOf(text, doc.box.width, style);
  doc.ensureRoom(h + 6 + KEEP_WITH_NEXT);
  if (!doc.atPageTop) doc.y += 5;
  doc.text(text, doc.box.left, doc.y, doc.box.width, style);
  doc.y += h + 1;
  doc.line(doc.box.left, doc.y, doc.box.right, doc.y, 0.4);
  doc.y += 3;
}

/** Wrapped text from `y` down, continued on new pages as needed. */
export function paragraph(
  doc: PrintDocument,
  text: string,
  style: TextStyle = BODY,
  options: { indent?: number; after?: number } = {},
): void {
  const x = doc.box.left + (options.indent ?? 0);
  const width = doc.box.right - x;
  let rest = text;
  while (rest !== '') {
    if (doc.pageCount === 0) doc.newPage();
    const h = doc.heightOf(rest, width, style);
    if (h <= doc.room) {
      doc.text(rest, x, doc.y, width, style);
      doc.y += h;
      break;
    }
    const [head, tail] = splitToFit(doc, rest, width, style, doc.room);
    if (head === '') {
      if (doc.atPageTop) {
        // Taller than a page with no place to cut (one enormous word): placed as it is.
        doc.text(rest, x, doc.y, width, style);
        doc.y = doc.box.bottom;
        break;
      }
      doc.newPage();
      continue;
    }
    doc.text(head, x, doc.y, width, style);
    doc.newPage();
    rest = tail;
  }
  doc.y += options.after ?? 1.5;
}

/** A list item: a bullet and its text, indented. */
export function bullet(doc: PrintDocument, text: string, style: TextStyle = BODY): void {
  const lh = doc.lineHeight(style);
  doc.ensureRoom(lh);
  doc.textLine('•', doc.box.left + 2, doc.y, style);
  paragraph(doc, text, style, { indent: 10 });
}

/** Vertical space, unless at the top of a page. */
export function gap(doc: PrintDocument, points: number): void {
  if (!doc.atPageTop) doc.y = Math.min(doc.y + points, doc.box.bottom);
}
