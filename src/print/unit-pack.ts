/**
 * The unit pack: one PDF for a whole unit's outage folder. A cover page (unit, data age, people
 * and rooms), then for each person the summary, the medication list and the signing sheet, each
 * starting on a new page whose frame names that person, then the unit's contact list. The
 * residents are printed in the order given (the unit page's order: room, then name); the caller
 * chooses them and audits the print for each of them before the bytes leave.
 */
import type { ResidentView } from '../views/resident.ts';
import type { UnitView } from '../views/unit.ts';
import { renderDocument } from './document.ts';
import { writeMedicationList } from './medication-list.ts';
import type { PrintMeta } from './meta.ts';
import { writeResidentSummary } from './resident-summary.ts';
import { writeSigningSheet, type SigningOptions } from './signing-sheet.ts';
import { writeUnitContacts } from './unit-contacts.ts';
import { writeUnitCover } from './unit-cover.ts';

export function renderUnitPack(
  meta: PrintMeta,
  unit: UnitView,
  residents: readonly ResidentView[],
  options: SigningOptions,
): Promise<Buffer> {
  return renderDocument(meta, (doc) => {
    writeUnitCover(doc, meta, unit, residents, options);
    for (const view of residents) {
      writeResidentSummary(doc, meta, view);
      writeMedicationList(doc, meta, view);
      writeSigningSheet(doc, meta, view, options);
    }
    writeUnitContacts(doc, meta, unit, residents);
  });
}
