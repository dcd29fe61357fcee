/**
 * Printouts as pictures, for the reference-image tests: one page of a PDF rasterised by
 * pdfjs-dist onto an @napi-rs/canvas canvas, PNG in and out, and a pixel comparison with a
 * tolerance that also draws where two images differ.
 *
 * Why not pdftoppm (Debian's poppler-utils, which the printing issue first named): the repo must
 * set up with `npm ci` alone, with no apt packages. pdfjs-dist is already a dev dependency (the
 * text tests read PDFs with it), and @napi-rs/canvas is its optional dependency for rendering in
 * Node, pinned in package-lock.json with a prebuilt binary per platform, so nothing new is
 * installed. @napi-rs/canvas also decodes and encodes the PNGs.
 *
 * Glyphs are drawn by pdfjs itself from the fonts embedded in the PDF (`disableFontFace`, no
 * system fonts), so the picture does not depend on the fonts of the machine that runs the test.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface Raster {
  readonly width: number;
  readonly height: number;
  /** RGBA, 4 bytes a pixel, row by row from the top left. */
  readonly data: Uint8ClampedArray;
}

/**
 * Page `page` (1-based) of `pdf` at `scale` pixels per point: 1.0 is 595 × 842 for A4, on
 * white.
 */
export async function renderPage(pdf: Buffer, page = 1, scale = 1): Promise<Raster> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
  }).promise;
  try {
    const p = await doc.getPage(page);
    const viewport = p.getViewport({ scale });
    const width = Math.round(viewport.width);
    const height = Math.round(viewport.height);
    const canvas = createCanvas(width, height);
    await p.render({
      // pdfjs types this as a DOM canvas (a type this DOM-less project does not know, so it
      // takes anything); in Node pdfjs draws on @napi-rs/canvas, the canvas its own
      // NodeCanvasFactory makes, with the same 2D context API.
      canvas,
      viewport,
      background: 'white',
    }).promise;
    const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
    return { width, height, data };
  } finally {
    await doc.destroy();
  }
}

export async function encodePng(image: Raster): Promise<Buffer> {
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  const out = ctx.createImageData(image.width, image.height);
  out.data.set(image.data);
  ctx.putImageData(out, 0, 0);
  return canvas.encode('png');
}

export async function decodePng(png: Buffer): Promise<Raster> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  return { width: img.width, height: img.height, data };
}

export interface Comparison {
  /** Pixels where some channel differs by more than the threshold. */
  readonly differing: number;
  readonly total: number;
  /**
   * The expected image faded to light grey, with the differing pixels in red: where the page
   * moved. Undefined when the sizes differ (there is no pixel-by-pixel picture then).
   */
  readonly diff: Raster | undefined;
}

/**
 * Counts the pixels of `actual` that differ from `expected` by more than `threshold` (0–255) in
 * any channel. Images of different sizes differ in every pixel.
 */
export function comparePixels(expected: Raster, actual: Raster, threshold: number): Comparison {
  if (expected.width !== actual.width || expected.height !== actual.height) {
    const total = Math.max(expected.width * expected.height, actual.width * actual.height);
    return { differing: total, total, diff: undefined };
  }
  const total = expected.width * expected.height;
  const diff = new Uint8ClampedArray(expected.data.length);
  let differing = 0;
  for (let i = 0; i < expected.data.length; i += 4) {
    let over = false;
    for (let c = 0; c < 4; c++)
      if (Math.abs(expected.data[i + c]! - actual.data[i + c]!) > threshold) over = true;
    if (over) {
      differing++;
      diff.set([255, 0, 0, 255], i);
    } else {
      const grey =
        expected.data[i]! * 0.3 + expected.data[i + 1]! * 0.59 + expected.data[i + 2]! * 0.11;
      const faded = 255 - (255 - grey) * 0.25;
      diff.set([faded, faded, faded, 255], i);
    }
  }
  return { differing, total, diff: { width: expected.width, height: expected.height, data: diff } };
}
