/**
 * One printout from start to bytes: open a document for the print's language and clock, let the
 * caller write its pages, draw the frame on every page, and return the finished PDF. Every
 * `render…` function of the documents is this with its own `write…` inside, so that the unit
 * pack can call the same `write…` functions into one shared document.
 */
import { drawFrames } from './frame.ts';
import type { PrintMeta } from './meta.ts';
import { PrintDocument } from './pdf.ts';

export function openDocument(meta: PrintMeta): PrintDocument {
  return new PrintDocument({
    title: meta.m.print.documentTitle,
    lang: meta.m.lang,
    createdAt: meta.printedAt,
  });
}

export async function renderDocument(
  meta: PrintMeta,
  write: (doc: PrintDocument) => void,
): Promise<Buffer> {
  const doc = openDocument(meta);
  write(doc);
  drawFrames(doc, meta);
  return doc.toBuffer();
}
