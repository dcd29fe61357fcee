/**
 * The unit pack's cover page: which unit, how old the data is (export time and its age at the
 * print time), the period of the signing sheets, what the pack holds, and the people in it
 * with room, name, identity number and their critical flags as on the unit page. "Ej HLR" is
 * printed only with its decision date; a decision without one prints as the undated mark.
 */
import type { ResidentView } from '../views/resident.ts';
import type { FlagMark, UnitView } from '../views/unit.ts';
import type { Messages } from '../i18n/messages.ts';
import { formatAge } from '../views/format.ts';
import { BODY, paragraph, title } from './flow.ts';
import { fill, localStamp, when, type PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import type { SigningOptions } from './signing-sheet.ts';
import { table } from './table.ts';

export function flagText(m: Messages, f: FlagMark): string {
  const flags = m.unitFlags;
  if (f.kind === 'dnr') {
    if (!f.decidedOn) return flags.dnrUndated.label;
    return `${flags.dnr.label} (${fill(m.unitDecidedOn, { date: f.decidedOn })})`;
  }
  const label = flags[f.kind].label;
  return f.details.length > 0 ? `${label}: ${f.details.join(', ')}` : label;
}

/** Write the cover into `doc`, starting on a new page owned by the unit. */
export function writeUnitCover(
  doc: PrintDocument,
  meta: PrintMeta,
  unit: UnitView,
  residents: readonly ResidentView[],
  options: SigningOptions,
): void {
  const { m } = meta;
  const t = m.print;
  doc.newPage({ kind: 'unit', name: unit.unit.name });
  title(
    doc,
    t.coverTitle,
    unit.unit.parentName ? `${unit.unit.name} (${unit.unit.parentName})` : unit.unit.name,
  );
  const age = formatAge(meta.printedAt.getTime() - Date.parse(meta.transactionTime), m);
  paragraph(doc, fill(t.coverDataAge, { time: when(meta.transactionTime, meta.timeZone), age }), {
    font: 'bold',
    size: 10,
  });
  paragraph(
    doc,
    fill(t.coverSigning, { hours: options.hours, from: localStamp(options.from, meta.timeZone) }),
    BODY,
  );
  paragraph(doc, t.coverContents, BODY, { after: 8 });
  paragraph(
    doc,
    fill(t.coverResidents, { n: residents.length }),
    { font: 'bold', size: 10.5 },
    {
      after: 3,
    },
  );
  const flagsOf = new Map(unit.people.map((p) => [p.patient.id, p.flags]));
  table(
    doc,
    {
      columns: [
        { header: m.room, width: 12 },
        { header: m.name, width: 30 },
        { header: m.personnummer, width: 20 },
        { header: m.unitFlagsColumn, width: 38 },
      ],
      size: 8.5,
    },
    residents.map((v) => [
      v.patient.room ?? '',
      { text: v.patient.nameDisplay, font: 'bold' },
      v.identityDisplay,
      (flagsOf.get(v.patient.id) ?? []).map((f) => flagText(m, f)).join('; '),
    ]),
  );
}
