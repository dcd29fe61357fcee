/**
 * The PDF renderer core, and the only module that imports pdfkit (style practice 11): an A4
 * portrait document with the DejaVu fonts embedded, a content box, and the few drawing
 * primitives the printouts need (measure and place wrapped text, rules, boxes, pages). Where
 * things go and when a page breaks belongs to the callers (flow.ts, table.ts, the documents);
 * this module only puts ink on a page.
 *
 * What a PDF from here never holds (reliability row PR1): JavaScript, an OpenAction or any other
 * action, Launch, embedded files, annotations, links or form fields. pdfkit writes those only
 * when asked (`link`, `goTo`, `file`, `formField`…), and nothing here asks; text is only ever
 * drawn as glyphs, so markup in the journal's text prints as the characters it is made of. The
 * Info dictionary holds the fixed document title and the print time, never patient data, and
 * the creation date is the caller's clock, so the same input gives the same bytes.
 *
 * Fonts are embedded TrueType subsets of DejaVu Sans Condensed from the npm package (å ä ö,
 * combining marks, dashes): the constructor gets the regular face as its default font, so
 * pdfkit never instantiates a standard-14 font such as Helvetica.
 *
 * pdfkit's own page breaking is kept out of the way: pages are made with zero margins, so its
 * line wrapper never adds a page by itself, and text is placed only where a caller measured
 * room inside our content box. Pages are buffered so that the page frame (frame.ts) can be drawn
 * on every page at the end, when "page n of m" is known.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { PageOwner } from './meta.ts';

export type FontName = 'regular' | 'bold';

export interface TextStyle {
  readonly font?: FontName;
  /** Points; 9 when not given. */
  readonly size?: number;
  readonly align?: 'left' | 'center' | 'right';
}

export interface Box {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly width: number;
}

export interface FrameContext {
  /** 1-based. */
  readonly page: number;
  readonly pages: number;
  readonly owner: PageOwner | undefined;
}

/** A4 portrait in PDF points (1/72 inch). */
export const PAGE = { width: 595.28, height: 841.89 } as const;

/** The content box; the frame (header and footer) is drawn in the margins around it. */
export const CONTENT: Box = {
  left: 40,
  right: PAGE.width - 40,
  top: 58,
  bottom: PAGE.height - 56,
  width: PAGE.width - 80,
};

const DEFAULT_SIZE = 9;
/** Extra space between wrapped lines, in points. */
const LINE_GAP = 1;

const FONT_FILES: Readonly<Record<FontName, string>> = {
  regular: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf',
  bold: 'dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf',
};

let fontPaths: Record<FontName, string> | undefined;

/** The installed font files, resolved once (from this package's node_modules). */
export function fontPath(name: FontName): string {
  if (fontPaths === undefined) {
    const require = createRequire(import.meta.url);
    fontPaths = {
      regular: require.resolve(FONT_FILES.regular),
      bold: require.resolve(FONT_FILES.bold),
    };
  }
  return fontPaths[name];
}

export interface DocumentOptions {
  /** Info /Title: a fixed word, never a person's name. */
  readonly title: string;
  /** BCP 47 language of the text ("sv", "en"). */
  readonly lang: string;
  /** Info /CreationDate: the print time from the caller's clock. */
  readonly createdAt: Date;
}

export class PrintDocument {
  readonly box: Box = CONTENT;
  /** Where the next thing goes on the current page (top of the content box on a new page). */
  y: number = CONTENT.top;
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private readonly owners: (PageOwner | undefined)[] = [];
  private owner: PageOwner | undefined;

  constructor(options: DocumentOptions) {
    this.doc = new PDFDocument({
      size: 'A4',
      layout: 'portrait',
      margins: { top: 0, bottom: 0, left: 0, right: 0 },
      autoFirstPage: false,
      bufferPages: true,
      compress: true,
      font: fontPath('regular'),
      lang: options.lang,
      info: {
        Title: options.title,
        Creator: 'Reservjournal',
        Producer: 'Reservjournal',
        CreationDate: options.createdAt,
      },
    });
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
  }

  /** Pages so far. */
  get pageCount(): number {
    return this.owners.length;
  }

  /**
   * Start a new page. `owner` says whose page it is (for the frame); pages started without one
   * (a table or text running over) keep the owner of the page before.
   */
  newPage(owner?: PageOwner | null): void {
    if (owner !== undefined) this.owner = owner ?? undefined;
    this.doc.addPage({ size: 'A4', margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    this.owners.push(this.owner);
    this.y = this.box.top;
  }

  /** Room left below `y` on the current page. */
  get room(): number {
    return this.box.bottom - this.y;
  }

  /** True when nothing has been placed on the current page yet. */
  get atPageTop(): boolean {
    return this.y <= this.box.top;
  }

  /** A new page (same owner) unless `height` still fits below `y`. */
  ensureRoom(height: number): void {
    if (this.pageCount === 0 || (height > this.room && !this.atPageTop)) this.newPage();
  }

  private use(style: TextStyle | undefined): PDFKit.PDFDocument {
    // By path, the key pdfkit caches an opened font under (the constructor opened the regular
    // face by its path). A name from registerFont would miss that cache and parse the font file
    // again on every call.
    return this.doc.font(fontPath(style?.font ?? 'regular')).fontSize(style?.size ?? DEFAULT_SIZE);
  }

  /** The height `text` takes wrapped to `width`. */
  heightOf(text: string, width: number, style?: TextStyle): number {
    if (text === '') return 0;
    return this.use(style).heightOfString(text, { width, lineGap: LINE_GAP });
  }

  /** The width of `text` on one line. */
  widthOf(text: string, style?: TextStyle): number {
    return this.use(style).widthOfString(text);
  }

  /** The height of one line of text. */
  lineHeight(style?: TextStyle): number {
    return this.use(style).currentLineHeight(true) + LINE_GAP;
  }

  /** Draw `text` wrapped to `width` with its top at (x, y). */
  text(text: string, x: number, y: number, width: number, style?: TextStyle): void {
    if (text === '') return;
    this.use(style)
      .fillColor('black')
      .text(text, x, y, { width, lineGap: LINE_GAP, align: style?.align ?? 'left' });
  }

  /** Draw `text` on one line, never wrapped, its top left at (x, y). */
  textLine(text: string, x: number, y: number, style?: TextStyle): void {
    if (text === '') return;
    this.use(style).fillColor('black').text(text, x, y, { lineBreak: false });
  }

  /** A rectangle: outlined, filled grey (shade 0–1, 1 = white), or both. */
  rect(
    x: number,
    y: number,
    w: number,
    h: number,
    options: { stroke?: boolean; shade?: number; lineWidth?: number } = {},
  ): void {
    const { stroke = true, shade, lineWidth = 0.5 } = options;
    const d = this.doc.lineWidth(lineWidth).rect(x, y, w, h);
    if (shade !== undefined) {
      const g = Math.round(Math.min(1, Math.max(0, shade)) * 255);
      const fill: [number, number, number] = [g, g, g];
      if (stroke) d.fillAndStroke(fill, 'black');
      else d.fill(fill);
    } else if (stroke) d.strokeColor('black').stroke();
  }

  /** A straight rule. */
  line(x1: number, y1: number, x2: number, y2: number, lineWidth = 0.5): void {
    this.doc.lineWidth(lineWidth).moveTo(x1, y1).lineTo(x2, y2).strokeColor('black').stroke();
  }

  /** Visit every page once more, in order, to draw the frame on it. */
  eachPage(draw: (context: FrameContext) => void): void {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = 0; i < count; i++) {
      this.doc.switchToPage(start + i);
      draw({ page: i + 1, pages: count, owner: this.owners[i] });
    }
  }

  /** Finish the file and hand back its bytes. The document is unusable afterwards. */
  async toBuffer(): Promise<Buffer> {
    if (this.pageCount === 0) this.newPage();
    this.doc.end();
    return this.done;
  }
}
