/**
 * The downtime note form: paper to write the record on while the journal is down, pre-filled
 * with whose it is (name, personnummer, unit, room; never an address) so that no entry can end
 * up in the wrong person's journal. Blank entries follow, each a box with the time of the event
 * and the time of writing, the record it belongs to (HSL or SoL, domain brief §2: the two are
 * kept apart, so whoever transfers the note must know which), ruled lines for the text, a
 * signature line, and on a grey band the line "transferred to the journal by / when", filled in
 * by whoever enters it afterwards (the transfer checklist lists whose forms to look for).
 *
 * An entry is never split over two pages; pages the entries run onto belong to the same person,
 * so the frame names them on every sheet. The unit variant prints one such form per person.
 */
import type { PatientRow } from '../store/queries.ts';
import { identityDisplay } from '../views/unit.ts';
import { renderDocument } from './document.ts';
import { BOLD, paragraph, SMALL, title } from './flow.ts';
import { fill, patientOwner, type PrintMeta } from './meta.ts';
import type { PrintDocument, TextStyle } from './pdf.ts';
import { table } from './table.ts';

export interface NoteFormOptions {
  /** Blank entries per person (1–30); 3 when not given, which fills one page. */
  readonly entries?: number;
}

const DEFAULT_ENTRIES = 3;
const MAX_ENTRIES = 30;
const PAD = 6;
const TITLE_ROW = 14;
/** A labelled line to write on. */
const FIELD = 22;
const TEXT_LINES = 6;
const LINE_SPACING = 16;
/** The "text" label above the ruled lines. */
const TEXT_LABEL = 8;
const GAP = 8;
const LABEL: TextStyle = { size: 7.5 };
const TRANSFER_SHADE = 0.9;

function entryHeight(): number {
  return PAD + TITLE_ROW + FIELD + TEXT_LABEL + TEXT_LINES * LINE_SPACING + 6 + FIELD + FIELD + PAD;
}

/** A label and a line to write on after it, from x to x + width, its baseline at y + FIELD - 5. */
function field(doc: PrintDocument, label: string, x: number, y: number, width: number): void {
  const base = y + FIELD - 5;
  doc.textLine(label, x, base - doc.lineHeight(LABEL) + 2, LABEL);
  const start = x + doc.widthOf(label, LABEL) + 4;
  doc.line(start, base, x + width, base, 0.4);
}

/** An empty box to tick, with its label after it; returns the x after the label. */
function tick(doc: PrintDocument, label: string, x: number, y: number): number {
  doc.rect(x, y, 8, 8, { lineWidth: 0.6 });
  doc.textLine(label, x + 11, y, LABEL);
  return x + 11 + doc.widthOf(label, LABEL) + 10;
}

function entry(doc: PrintDocument, meta: PrintMeta, n: number): void {
  const t = meta.m.print;
  const { left, right, width } = doc.box;
  const height = entryHeight();
  doc.ensureRoom(height);
  const top = doc.y;
  const inner = width - 2 * PAD;
  let y = top + PAD;

  doc.textLine(fill(t.noteFormEntry, { n }), left + PAD, y, BOLD);
  const regime = `${t.noteFormRegime}:`;
  const boxes = ['HSL', 'SoL'];
  const boxesWidth =
    doc.widthOf(regime, LABEL) + 6 + boxes.reduce((w, b) => w + 21 + doc.widthOf(b, LABEL), 0);
  let x = right - PAD - boxesWidth;
  doc.textLine(regime, x, y + 1, LABEL);
  x += doc.widthOf(regime, LABEL) + 6;
  for (const b of boxes) x = tick(doc, b, x, y + 1);
  y += TITLE_ROW;

  field(doc, t.noteFormEventTime, left + PAD, y, inner / 2 - PAD);
  field(doc, t.noteFormEntryTime, left + PAD + inner / 2 + PAD, y, inner / 2 - PAD);
  y += FIELD;

  doc.textLine(t.noteFormText, left + PAD, y + 1, LABEL);
  y += TEXT_LABEL;
  for (let i = 0; i < TEXT_LINES; i++) {
    y += LINE_SPACING;
    doc.line(left + PAD, y, right - PAD, y, 0.3);
  }
  y += 6;

  field(doc, t.noteFormSignature, left + PAD, y, inner);
  y += FIELD;

  doc.rect(left, y, width, top + height - y, { stroke: false, shade: TRANSFER_SHADE });
  field(doc, t.noteFormTransferred, left + PAD, y + 2, inner);

  doc.rect(left, top, width, height, { lineWidth: 0.8 });
  doc.y = top + height + GAP;
}

function identity(doc: PrintDocument, meta: PrintMeta, p: PatientRow): void {
  const { m } = meta;
  const label = (text: string) => ({ text, font: 'bold' as const });
  table(
    doc,
    {
      columns: [
        { header: '', width: 16 },
        { header: '', width: 34 },
        { header: '', width: 16 },
        { header: '', width: 34 },
      ],
      header: false,
      borders: false,
      size: 10,
      padding: 1.5,
    },
    [
      [label(m.name), label(p.nameDisplay), label(m.personnummer), label(identityDisplay(p))],
      [label(m.unit), p.unitName ?? '', label(m.room), p.room ?? ''],
    ],
  );
  doc.y += 4;
}

/** Write one person's form into `doc`, starting on a new page that names them. */
export function writeNoteForm(
  doc: PrintDocument,
  meta: PrintMeta,
  patient: PatientRow,
  options: NoteFormOptions = {},
): void {
  const t = meta.m.print;
  const requested = Math.trunc(options.entries ?? DEFAULT_ENTRIES);
  const entries = Number.isFinite(requested)
    ? Math.min(Math.max(requested, 1), MAX_ENTRIES)
    : DEFAULT_ENTRIES;
  doc.newPage(patientOwner(patient));
  title(doc, `${t.noteFormTitle}: ${patient.nameDisplay}`);
  identity(doc, meta, patient);
  paragraph(doc, t.noteFormIntro, SMALL, { after: 6 });
  for (let n = 1; n <= entries; n++) entry(doc, meta, n);
}

/** One form per person of a unit, in the order given (the unit page's: room, then name). */
export function writeUnitNoteForms(
  doc: PrintDocument,
  meta: PrintMeta,
  residents: readonly PatientRow[],
  options: NoteFormOptions = {},
): void {
  for (const p of residents) writeNoteForm(doc, meta, p, options);
}

export function renderNoteForm(
  meta: PrintMeta,
  patient: PatientRow,
  options: NoteFormOptions = {},
): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeNoteForm(doc, meta, patient, options));
}

export function renderUnitNoteForms(
  meta: PrintMeta,
  residents: readonly PatientRow[],
  options: NoteFormOptions = {},
): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeUnitNoteForms(doc, meta, residents, options));
}
