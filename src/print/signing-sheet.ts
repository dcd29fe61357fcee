/**
 * The signing sheet (signeringslista, domain brief §3.2 and §8) for the next 24, 48 or 72 hours
 * from the caller's clock: for each regular order, its name and dosage text as written over a
 * grid whose rows are the order's dose times and whose columns are the days, with an empty box
 * to sign for every dose inside the period (greyed out outside it and on weekdays the order
 * does not name). An order without fixed times gets one row per day "as in the dosage", to be
 * read from its text. Then, on a page of its own, the PRN log (time, medicine and dose, reason,
 * effect, signature) under the as-needed orders and their rules, and the signature legend where
 * everyone who signs, delegated staff included, writes name, signature and initials.
 */
import type { MedicationLine, ResidentView } from '../views/resident.ts';
import { renderDocument } from './document.ts';
import { BOLD, heading, paragraph, SMALL, title } from './flow.ts';
import { doseText, givenByText, medicationName, prnTexts, weekdays } from './medication-text.ts';
import { dayLabel, fill, localStamp, residentOwner, type PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import {
  dayInWindow,
  inWindow,
  onWeekday,
  signingWindow,
  type SigningHours,
  type SigningWindow,
} from './signing-window.ts';
import { table, type Cell } from './table.ts';

export interface SigningOptions {
  readonly hours: SigningHours;
  /** The start of the period: the caller's clock, never the system time. */
  readonly from: Date;
}

/** Room to write initials in. */
const BOX_HEIGHT = 20;
const LOG_ROW_HEIGHT = 22;
const LEGEND_ROWS = 6;
/** A grey that photocopies as grey: "no dose here". */
const CLOSED: Cell = { text: '', shade: 0.78 };

function caption(meta: PrintMeta, med: MedicationLine): string {
  const { m } = meta;
  const days = weekdays(m, med);
  return [
    doseText(m, med),
    givenByText(m, med).replace('\n', ' · '),
    days ? fill(m.print.signingOnDays, { days }) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

function orderGrid(
  doc: PrintDocument,
  meta: PrintMeta,
  med: MedicationLine,
  w: SigningWindow,
): void {
  const { m } = meta;
  const name = medicationName(m, med);
  const info = caption(meta, med);
  const rows: Cell[][] =
    med.times.length > 0
      ? med.times.map((time) => [
          { text: time, font: 'bold' },
          ...w.days.map((d) => (inWindow(w, d, time) && onWeekday(med.days, d) ? '' : CLOSED)),
        ])
      : [
          [
            { text: m.print.signingAsWritten, font: 'bold' },
            ...w.days.map((d) => (dayInWindow(w, d) && onWeekday(med.days, d) ? '' : CLOSED)),
          ],
        ];
  // The order's text and its grid stay on one page when a page can hold them.
  const width = doc.box.width;
  const height =
    doc.heightOf(name, width, BOLD) +
    doc.heightOf(med.dosageText, width) +
    doc.heightOf(info, width, SMALL) +
    doc.lineHeight(BOLD) +
    8 +
    rows.length * BOX_HEIGHT +
    10;
  doc.ensureRoom(height);
  paragraph(doc, name, BOLD, { after: 0.5 });
  paragraph(doc, med.dosageText, undefined, { after: 0.5 });
  if (info) paragraph(doc, info, SMALL, { after: 2 });
  table(
    doc,
    {
      columns: [
        { header: m.print.signingTime, width: w.days.length <= 2 ? 18 : 14 },
        ...w.days.map((d) => ({ header: dayLabel(meta.m, d), width: 86 / w.days.length })),
      ],
      size: 8.5,
      minRowHeight: BOX_HEIGHT,
    },
    rows,
  );
  doc.y += 10;
}

function prnLog(doc: PrintDocument, meta: PrintMeta, view: ResidentView): void {
  const { m } = meta;
  const t = m.print;
  doc.newPage();
  title(doc, `${t.prnLogTitle}: ${view.patient.nameDisplay}`);
  paragraph(doc, t.prnLogIntro, SMALL, { after: 3 });
  const prn = view.medications.filter((med) => med.asNeeded !== null);
  if (prn.length === 0) paragraph(doc, t.prnLogNone, BOLD, { after: 4 });
  else {
    table(
      doc,
      {
        columns: [
          { header: m.medication, width: 26 },
          { header: m.dosageText, width: 42 },
          { header: m.asNeeded, width: 32 },
        ],
        size: 8.5,
      },
      prn.map((med) => [
        { text: medicationName(m, med), font: 'bold' },
        med.dosageText,
        [...prnTexts(m, med), doseText(m, med)].filter(Boolean).join('\n'),
      ]),
    );
    doc.y += 6;
  }
  // As many log rows as the page holds, leaving room for the legend below.
  const legend =
    doc.lineHeight({ font: 'bold', size: 10.5 }) +
    doc.lineHeight(SMALL) * 2 +
    (LEGEND_ROWS + 1) * LOG_ROW_HEIGHT +
    24;
  const rows = Math.max(8, Math.floor((doc.room - legend - LOG_ROW_HEIGHT) / LOG_ROW_HEIGHT));
  const c = t.prnLogColumns;
  table(
    doc,
    {
      columns: [
        { header: c.time, width: 17 },
        { header: c.medication, width: 25 },
        { header: c.reason, width: 22 },
        { header: c.effect, width: 22 },
        { header: c.signature, width: 14 },
      ],
      minRowHeight: LOG_ROW_HEIGHT,
    },
    Array.from({ length: rows }, () => ['', '', '', '', '']),
  );
}

function signatureLegend(doc: PrintDocument, meta: PrintMeta): void {
  const t = meta.m.print;
  heading(doc, t.legendTitle);
  paragraph(doc, t.legendIntro, SMALL, { after: 3 });
  const c = t.legendColumns;
  table(
    doc,
    {
      columns: [
        { header: c.name, width: 42 },
        { header: c.signature, width: 40 },
        { header: c.initials, width: 18 },
      ],
      minRowHeight: LOG_ROW_HEIGHT,
    },
    Array.from({ length: LEGEND_ROWS }, () => ['', '', '']),
  );
}

/** Write the sheet into `doc`, starting on a new page. */
export function writeSigningSheet(
  doc: PrintDocument,
  meta: PrintMeta,
  view: ResidentView,
  options: SigningOptions,
): void {
  const { m } = meta;
  const w = signingWindow(options.from, options.hours, meta.timeZone);
  doc.newPage(residentOwner(view));
  title(
    doc,
    `${m.print.signingTitle}: ${view.patient.nameDisplay}`,
    fill(m.print.signingPeriod, {
      from: localStamp(w.from, meta.timeZone),
      to: localStamp(w.to, meta.timeZone),
      hours: w.hours,
    }),
  );
  paragraph(doc, m.print.signingIntro, SMALL, { after: 6 });
  const regular = view.medications.filter((med) => med.asNeeded === null);
  if (regular.length === 0) paragraph(doc, m.print.signingNoRegular, BOLD);
  for (const med of regular) orderGrid(doc, meta, med, w);
  prnLog(doc, meta, view);
  signatureLegend(doc, meta);
}

export function renderSigningSheet(
  meta: PrintMeta,
  view: ResidentView,
  options: SigningOptions,
): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeSigningSheet(doc, meta, view, options));
}
