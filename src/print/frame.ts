/**
 * The page frame, drawn on every page once the document is complete (reliability row L8,
 * domain brief §8): at the top, whose page it is (name and identity number, or the unit for the
 * unit's own pages) and the mark that this is a downtime copy to destroy; at the bottom, the age
 * of the data ("Uppgifter per <export time>"), who printed it and when, "Sida n/m", and the
 * first 12 hex digits of the hash of the audit entry that recorded the print, so a sheet found
 * later can be traced to its log entry.
 *
 * Each item is drawn as one unbroken line of its own. A long name shrinks rather than wraps or
 * is cut: the identity on a page must be whole.
 */
import {
  AUDIT_REF_LENGTH,
  fill,
  localStamp,
  when,
  type PageOwner,
  type PrintMeta,
} from './meta.ts';
import type { FrameContext, PrintDocument, TextStyle } from './pdf.ts';

const HEADER_Y = 24;
const FOOTER_Y = 10;
const MIN_SIZE = 5;

export interface FrameTexts {
  readonly mark: string;
  readonly dataAsOf: string;
  readonly printedBy: string;
  readonly auditRef: string;
}

/** The frame's fixed texts for one print (the same on every page). */
export function frameTexts(meta: PrintMeta): FrameTexts {
  const t = meta.m.print;
  return {
    mark: t.mark,
    dataAsOf: fill(t.dataAsOf, { time: when(meta.transactionTime, meta.timeZone) }),
    printedBy: fill(t.printedBy, {
      user: meta.printedBy,
      time: localStamp(meta.printedAt, meta.timeZone),
    }),
    auditRef: fill(t.auditRef, { ref: meta.auditRef.slice(0, AUDIT_REF_LENGTH) }),
  };
}

/** The largest size up to `size` at which `text` is at most `width` wide. */
function fitted(doc: PrintDocument, text: string, width: number, style: TextStyle): TextStyle {
  const size = style.size ?? 9;
  const w = doc.widthOf(text, style);
  if (w <= width) return style;
  return { ...style, size: Math.max(MIN_SIZE, Math.floor(((size * width) / w) * 10) / 10) };
}

function header(doc: PrintDocument, texts: FrameTexts, owner: PageOwner | undefined): void {
  const { left, right, top } = doc.box;
  const markStyle: TextStyle = { font: 'bold', size: 8 };
  const markWidth = doc.widthOf(texts.mark, markStyle);
  doc.textLine(texts.mark, right - markWidth, HEADER_Y + 2, markStyle);
  const room = right - left - markWidth - 16;
  if (owner?.kind === 'resident') {
    const gap = 8;
    let name: TextStyle = { font: 'bold', size: 11 };
    let id: TextStyle = { size: 11 };
    const total = doc.widthOf(owner.name, name) + gap + doc.widthOf(owner.identity, id);
    if (total > room) {
      const size = Math.max(MIN_SIZE, Math.floor(((11 * room) / total) * 10) / 10);
      name = { ...name, size };
      id = { ...id, size };
    }
    doc.textLine(owner.name, left, HEADER_Y, name);
    doc.textLine(owner.identity, left + doc.widthOf(owner.name, name) + gap, HEADER_Y, id);
  } else if (owner) {
    doc.textLine(
      owner.name,
      left,
      HEADER_Y,
      fitted(doc, owner.name, room, { font: 'bold', size: 11 }),
    );
  }
  doc.line(left, top - 12, right, top - 12);
}

function footer(doc: PrintDocument, texts: FrameTexts, page: string): void {
  const { left, right, bottom, width } = doc.box;
  const y = bottom + FOOTER_Y;
  doc.line(left, y - 4, right, y - 4);
  const style: TextStyle = { size: 8 };
  const pageStyle: TextStyle = { font: 'bold', size: 9 };
  const pageWidth = doc.widthOf(page, pageStyle);
  doc.textLine(page, right - pageWidth, y, pageStyle);
  const asOf = fitted(doc, texts.dataAsOf, width / 2 - 20, style);
  doc.textLine(texts.dataAsOf, left, y, asOf);
  const byX = left + doc.widthOf(texts.dataAsOf, asOf) + 18;
  doc.textLine(
    texts.printedBy,
    byX,
    y,
    fitted(doc, texts.printedBy, right - pageWidth - 18 - byX, style),
  );
  doc.textLine(texts.auditRef, left, y + 12, style);
}

/** Draw the frame on every page of `doc`. */
export function drawFrames(doc: PrintDocument, meta: PrintMeta): void {
  const texts = frameTexts(meta);
  doc.eachPage(({ page, pages, owner }: FrameContext) => {
    header(doc, texts, owner);
    footer(doc, texts, fill(meta.m.print.page, { n: page, m: pages }));
  });
}
