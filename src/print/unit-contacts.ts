/**
 * The unit pack's last part, the unit's contact list: the unit, its nurse and the GP practices
 * its people have (each once), then every person's relatives and legal representatives with
 * phone and whether they may receive information.
 */
import type { CareContact, ResidentView } from '../views/resident.ts';
import type { UnitView } from '../views/unit.ts';
import { heading, paragraph, title } from './flow.ts';
import type { PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import { table, type Cell } from './table.ts';

/** Write the contact list into `doc`, starting on a new page owned by the unit. */
export function writeUnitContacts(
  doc: PrintDocument,
  meta: PrintMeta,
  unit: UnitView,
  residents: readonly ResidentView[],
): void {
  const { m } = meta;
  const t = m.print;
  doc.newPage({ kind: 'unit', name: unit.unit.name });
  title(doc, `${t.contactListTitle}: ${unit.unit.name}`);

  heading(doc, t.contactListUnit);
  const care = new Map<string, CareContact>();
  care.set('unit', { kind: 'unit', name: unit.unit.name, phone: unit.unit.phone ?? undefined });
  for (const v of residents)
    for (const c of v.careContacts)
      if (c.kind !== 'unit') care.set(`${c.kind}\n${c.name}\n${c.phone ?? ''}`, c);
  table(
    doc,
    {
      columns: [
        { header: '', width: 25 },
        { header: t.contactName, width: 50 },
        { header: m.phone, width: 25 },
      ],
      header: false,
      size: 9,
    },
    [...care.values()].map((c) => [
      m.resident.careContactKind[c.kind],
      { text: c.name, font: 'bold' },
      c.phone ?? '',
    ]),
  );

  heading(doc, t.contactListRelatives);
  const rows: Cell[][] = residents.flatMap((v) => {
    const who = `${v.patient.room ? `${v.patient.room} ` : ''}${v.patient.nameDisplay}`;
    if (v.contacts.length === 0) return [[who, m.contactsNone, '', '', '']];
    return v.contacts.map((c, i) => [
      // The person on every line: a page break must not leave a relative without them.
      { text: who, font: i === 0 ? ('bold' as const) : ('regular' as const) },
      c.name,
      c.relationship ?? '',
      c.phone ?? '',
      c.mayReceiveInformation === undefined
        ? ''
        : c.mayReceiveInformation
          ? m.mayReceiveInformation
          : m.mayNotReceiveInformation,
    ]);
  });
  if (rows.length === 0) return paragraph(doc, m.contactsNone);
  table(
    doc,
    {
      columns: [
        { header: t.contactPerson, width: 25 },
        { header: t.contactName, width: 22 },
        { header: t.contactRelation, width: 17 },
        { header: m.phone, width: 17 },
        { header: t.contactInformation, width: 19 },
      ],
      size: 8.5,
    },
    rows,
  );
}
