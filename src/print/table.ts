/**
 * A small table writer: columns as shares of the content width, cell text wrapped inside its
 * column, rows that break to a new page when they do not fit, the header row repeated at the top
 * of every page the table runs onto, and a row taller than a whole page continued over pages
 * (each cell cut between words, never shortened). A table never leaves its header alone at the
 * bottom of a page.
 */
import { splitToFit } from './flow.ts';
import type { FontName, PrintDocument, TextStyle } from './pdf.ts';

export interface Column {
  readonly header: string;
  /** Share of the table's width; the shares are scaled to fill the content box. */
  readonly width: number;
  readonly align?: 'left' | 'center' | 'right';
}

export interface CellSpec {
  readonly text: string;
  readonly font?: FontName;
  /** Grey fill, 0 (black) to 1 (white). */
  readonly shade?: number;
}

export type Cell = string | CellSpec;

export interface TableOptions {
  readonly columns: readonly Column[];
  /** Font size of the cells (points); 8.5 when not given. */
  readonly size?: number;
  readonly padding?: number;
  /** Rows are at least this tall: room to write by hand. */
  readonly minRowHeight?: number;
  /** Draw the header row (and repeat it on every page); true when not given. */
  readonly header?: boolean;
  readonly borders?: boolean;
}

const HEADER_SHADE = 0.88;

interface Layout {
  readonly xs: number[];
  readonly widths: number[];
  readonly pad: number;
  readonly size: number;
  readonly minRow: number;
  readonly borders: boolean;
  readonly columns: readonly Column[];
}

function spec(cell: Cell | undefined): CellSpec {
  return typeof cell === 'string' ? { text: cell } : (cell ?? { text: '' });
}

function styleOf(layout: Layout, cell: CellSpec, col: number): TextStyle {
  return { font: cell.font ?? 'regular', size: layout.size, align: layout.columns[col]?.align };
}

function cellHeights(doc: PrintDocument, layout: Layout, cells: readonly CellSpec[]): number[] {
  return layout.widths.map((w, i) => {
    const cell = cells[i] ?? { text: '' };
    return doc.heightOf(cell.text, w - 2 * layout.pad, styleOf(layout, cell, i));
  });
}

function rowHeight(doc: PrintDocument, layout: Layout, cells: readonly CellSpec[]): number {
  return Math.max(layout.minRow, Math.max(0, ...cellHeights(doc, layout, cells)) + 2 * layout.pad);
}

function drawRow(
  doc: PrintDocument,
  layout: Layout,
  cells: readonly CellSpec[],
  height: number,
): void {
  layout.widths.forEach((w, i) => {
    const cell = cells[i] ?? { text: '' };
    const x = layout.xs[i]!;
    if (layout.borders || cell.shade !== undefined)
      doc.rect(x, doc.y, w, height, { stroke: layout.borders, shade: cell.shade });
    doc.text(
      cell.text,
      x + layout.pad,
      doc.y + layout.pad,
      w - 2 * layout.pad,
      styleOf(layout, cell, i),
    );
  });
  doc.y += height;
}

/** Write a table from `y` down; `doc.y` is below the table afterwards. */
export function table(
  doc: PrintDocument,
  options: TableOptions,
  rows: readonly (readonly Cell[])[],
): void {
  const total = options.columns.reduce((sum, c) => sum + c.width, 0);
  const widths = options.columns.map((c) => (c.width / total) * doc.box.width);
  const xs = widths.map((_, i) => doc.box.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const layout: Layout = {
    xs,
    widths,
    pad: options.padding ?? 3,
    size: options.size ?? 8.5,
    minRow: options.minRowHeight ?? 0,
    borders: options.borders ?? true,
    columns: options.columns,
  };
  const withHeader = options.header ?? true;
  const header: CellSpec[] = options.columns.map((c) => ({
    text: c.header,
    font: 'bold',
    shade: HEADER_SHADE,
  }));
  const headerHeight = withHeader ? rowHeight(doc, { ...layout, minRow: 0 }, header) : 0;
  const drawHeader = () => {
    if (withHeader) drawRow(doc, { ...layout, minRow: 0 }, header, headerHeight);
  };
  const newPage = () => {
    doc.newPage();
    drawHeader();
  };

  const specs = rows.map((r) => r.map(spec));
  const first = specs[0] ? rowHeight(doc, layout, specs[0]) : 0;
  doc.ensureRoom(headerHeight + Math.min(first, doc.box.bottom - doc.box.top - headerHeight));
  drawHeader();

  for (const row of specs) {
    let cells = row;
    for (;;) {
      const h = rowHeight(doc, layout, cells);
      if (h <= doc.room) {
        drawRow(doc, layout, cells, h);
        break;
      }
      const fullPage = doc.box.bottom - doc.box.top - headerHeight;
      // A row that fits on a page of its own goes there whole; only a taller one is cut.
      const lines = doc.lineHeight({ size: layout.size }) * 2 + 2 * layout.pad;
      if (h <= fullPage || doc.room < lines) {
        newPage();
        if (h <= doc.room) continue;
      }
      const room = doc.room - 2 * layout.pad;
      const parts = cells.map((c, i) =>
        splitToFit(doc, c.text, layout.widths[i]! - 2 * layout.pad, styleOf(layout, c, i), room),
      );
      if (parts.every(([head]) => head === '')) {
        // Nowhere to cut (one enormous word): placed as it is rather than lost.
        drawRow(doc, layout, cells, Math.min(h, doc.room));
        break;
      }
      drawRow(
        doc,
        layout,
        cells.map((c, i) => ({ ...c, text: parts[i]![0] })),
        doc.room,
      );
      cells = cells.map((c, i) => ({ ...c, text: parts[i]![1] }));
      newPage();
    }
  }
}
