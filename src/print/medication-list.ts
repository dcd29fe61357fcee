/**
 * The medication list (domain brief §3.1): every active order of the copy with the dosage text
 * exactly as written, the structured times and doses beside it (never instead of it), the PRN
 * rules with maximum dose and minimum interval, dose-dispensed and who gives it, and the last
 * documented administration before the export, under the warning that doses given after the
 * export are not in this copy.
 */
import type { ResidentView } from '../views/resident.ts';
import { renderDocument } from './document.ts';
import { BOLD, paragraph, title } from './flow.ts';
import { givenByText, lastGivenText, medicationName, scheduleText } from './medication-text.ts';
import { fill, residentOwner, type PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import { table } from './table.ts';

/** Write the list into `doc`, starting on a new page. */
export function writeMedicationList(doc: PrintDocument, meta: PrintMeta, view: ResidentView): void {
  const { m } = meta;
  doc.newPage(residentOwner(view));
  title(doc, `${m.print.medicationListTitle}: ${view.patient.nameDisplay}`);
  paragraph(doc, m.medicationLaterDoses, BOLD, { after: 3 });
  if (view.medications.length === 0) return paragraph(doc, m.medicationNone);
  paragraph(doc, fill(m.print.medicationCount, { n: view.medications.length }), undefined, {
    after: 4,
  });
  table(
    doc,
    {
      columns: [
        { header: m.medication, width: 20 },
        { header: m.dosageText, width: 28 },
        { header: m.timesAndDose, width: 18 },
        { header: m.givenBy, width: 18 },
        { header: m.lastGiven, width: 16 },
      ],
      size: 8.5,
    },
    view.medications.map((med) => [
      {
        text: `${medicationName(m, med)}${med.route ? `\n${m.print.route}: ${med.route}` : ''}`,
        font: 'bold',
      },
      med.dosageText,
      scheduleText(m, med),
      givenByText(m, med),
      lastGivenText(m, med, meta.timeZone),
    ]),
  );
}

export function renderMedicationList(meta: PrintMeta, view: ResidentView): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeMedicationList(doc, meta, view));
}
