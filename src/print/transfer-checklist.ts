/**
 * The transfer checklist a unit prints after an outage (issue item 6): for every person of the
 * unit, what the audit log says was printed about them (which documents, how often, when) and
 * viewed during a chosen period, and by whom, with boxes to tick "transferred" and sign once
 * their paper is in the journal. It is built from the log, not from memory, so that no form or
 * signing sheet is forgotten in a drawer.
 *
 * The list is complete for the unit: people with no print or view in the period are listed too,
 * as such, and people the log names for the unit who are no longer among its residents (moved,
 * or no longer in the copy) come last, named from the patient table where it still knows them
 * and by the identity number the log wrote otherwise. Every page belongs to the unit.
 */
import type { Disclosure, PrintedDocument } from '../audit/disclosures.ts';
import type { Messages } from '../i18n/messages.ts';
import type { PatientRow, UnitRow } from '../store/queries.ts';
import { localDateTime } from '../views/local-time.ts';
import { identityDisplay } from '../views/unit.ts';
import { renderDocument } from './document.ts';
import { BOLD, paragraph, SMALL, title } from './flow.ts';
import { fill, localStamp, type PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import { table, type Cell } from './table.ts';

/** The document names a print entry's `reason` may hold; any other reason prints as written. */
export type PrintDocumentKind = keyof Messages['print']['documentKinds'];

export interface TransferChecklistInput {
  readonly unit: Pick<UnitRow, 'id' | 'name'>;
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** The unit's people in page order (room, then name): every one is listed. */
  readonly residents: readonly PatientRow[];
  /** `AuditLog.disclosures` for the same unit and period. */
  readonly disclosures: readonly Disclosure[];
  /** The snapshot's patient table, for people in the log who are not among `residents`. */
  readonly patient: (id: string) => PatientRow | undefined;
}

/** Room to tick and sign by hand. */
const ROW_HEIGHT = 24;

/** Own keys only: a reason such as "constructor" is not a document kind. */
function isDocumentKind(m: Messages, reason: string): reason is PrintDocumentKind {
  return Object.hasOwn(m.print.documentKinds, reason);
}

function documentName(m: Messages, reason: string | null): string {
  if (reason === null || reason.trim() === '') return m.print.checklistPrintUnnamed;
  return isDocumentKind(m, reason) ? m.print.documentKinds[reason] : reason;
}

/** "1 gång: 2026-11-27 09:00" or "3 gånger: 2026-11-27 09:00 – 11:30" (the date once if same). */
function times(meta: PrintMeta, n: number, first: string, last: string): string {
  const t = meta.m.print;
  const from = new Date(first);
  if (n === 1) return fill(t.checklistOnce, { time: localStamp(from, meta.timeZone) });
  const to = new Date(last);
  const sameDay = localDateTime(from, meta.timeZone).date === localDateTime(to, meta.timeZone).date;
  return fill(t.checklistMany, {
    n,
    from: localStamp(from, meta.timeZone),
    to: sameDay ? localDateTime(to, meta.timeZone).time : localStamp(to, meta.timeZone),
  });
}

function printed(meta: PrintMeta, documents: readonly PrintedDocument[]): string {
  return documents
    .map((d) =>
      fill(meta.m.print.checklistDocument, {
        document: documentName(meta.m, d.reason),
        times: times(meta, d.count, d.first, d.last),
      }),
    )
    .join('\n');
}

function row(
  meta: PrintMeta,
  who: { room: string; name: string; identity: string; note?: string },
  d: Disclosure | undefined,
): Cell[] {
  const person: Cell = {
    text: [who.name, who.identity, who.note].filter(Boolean).join('\n'),
    font: 'bold',
  };
  if (d === undefined) return [who.room, person, meta.m.print.checklistNothing, '', '', '', ''];
  return [
    who.room,
    person,
    printed(meta, d.documents),
    d.views > 0 && d.firstView !== null && d.lastView !== null
      ? times(meta, d.views, d.firstView, d.lastView)
      : '',
    d.users.join(', '),
    '',
    '',
  ];
}

/** Write the checklist into `doc`, starting on a new page owned by the unit. */
export function writeTransferChecklist(
  doc: PrintDocument,
  meta: PrintMeta,
  input: TransferChecklistInput,
): void {
  const { m } = meta;
  const t = m.print;
  const byPatient = new Map(input.disclosures.map((d) => [d.patient, d]));
  const rows: Cell[][] = input.residents.map((p) =>
    row(
      meta,
      { room: p.room ?? '', name: p.nameDisplay, identity: identityDisplay(p) },
      byPatient.get(p.id),
    ),
  );
  const inUnit = new Set(input.residents.map((p) => p.id));
  // Not of the unit any more: those the copy still knows by name, then the others by number.
  // No room: a room elsewhere would only send someone to the wrong door.
  const others = input.disclosures
    .filter((d) => !inUnit.has(d.patient))
    .map((d) => {
      const p = input.patient(d.patient);
      return p
        ? { d, known: 0, who: { name: p.nameDisplay, identity: identityDisplay(p) } }
        : {
            d,
            known: 1,
            who: { name: t.checklistNotInCopy, identity: d.patientIdent ?? d.patient },
          };
    })
    .sort(
      (a, b) =>
        a.known - b.known ||
        a.who.name.localeCompare(b.who.name, 'sv') ||
        a.who.identity.localeCompare(b.who.identity, 'sv'),
    );
  for (const { d, known, who } of others)
    rows.push(
      row(meta, { room: '', ...who, note: known === 0 ? t.checklistNotInUnit : undefined }, d),
    );

  doc.newPage({ kind: 'unit', name: input.unit.name });
  title(
    doc,
    `${t.checklistTitle}: ${input.unit.name}`,
    fill(t.checklistPeriod, {
      from: localStamp(input.from, meta.timeZone),
      to: localStamp(input.to, meta.timeZone),
    }),
  );
  paragraph(doc, t.checklistIntro, SMALL, { after: 3 });
  paragraph(
    doc,
    fill(t.checklistCount, {
      n: input.disclosures.filter((d) => inUnit.has(d.patient)).length + others.length,
      total: input.residents.length + others.length,
    }),
    BOLD,
    { after: 4 },
  );
  const c = t.checklistColumns;
  table(
    doc,
    {
      columns: [
        { header: c.room, width: 7 },
        { header: c.person, width: 20 },
        { header: c.printed, width: 25 },
        { header: c.viewed, width: 15 },
        { header: c.by, width: 12 },
        { header: c.transferred, width: 9 },
        { header: c.signature, width: 12 },
      ],
      size: 8,
      minRowHeight: ROW_HEIGHT,
    },
    rows,
  );
}

export function renderTransferChecklist(
  meta: PrintMeta,
  input: TransferChecklistInput,
): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeTransferChecklist(doc, meta, input));
}
