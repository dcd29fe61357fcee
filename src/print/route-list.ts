/**
 * The home-care route list (körlista, domain brief §3.6): a group's visits for a day or a shift,
 * in time order under each day, with the person, the address, the services and the visit's text
 * as written, the staff booked with double staffing marked so that it shows on a photocopy, and
 * a box to sign each visit as done. Every page belongs to the group.
 *
 * Two things are printed only under conditions, each checked here whatever the route holds:
 * - the address, never for a person with protected identity (the route does not read it; this
 *   file also checks the patient table's mark and prints only that the identity is protected);
 * - key and door information, only with `includeKeys: true`, which the caller passes when the
 *   access policy lets the printing person see keys (`authorize(subject, 'keys', 'view', …)`)
 *   and after it has audited the key records (`route.keys`) with the print. Without it, no key
 *   column, no key text and no hint that any exists.
 */
import { addDays } from '../views/local-time.ts';
import type { RouteWindow } from '../views/route-window.ts';
import { identityDisplay } from '../views/unit.ts';
import type { Visit } from '../views/unit-route.ts';
import { renderDocument } from './document.ts';
import { BOLD, heading, paragraph, SMALL, title } from './flow.ts';
import { dayLabel, fill, localStamp, type PrintMeta } from './meta.ts';
import type { PrintDocument } from './pdf.ts';
import { localInstant } from './signing-window.ts';
import { table, type Cell, type Column } from './table.ts';

export interface RouteListOptions {
  /** Print key and door information: only when the access policy allows it for the printer. */
  readonly includeKeys?: boolean;
}

/** A whole local day as a window for `buildRouteWindow`: midnight to midnight, DST included. */
export function dayWindow(date: string, timeZone: string): { from: Date; to: Date } {
  return {
    from: localInstant(date, '00:00', timeZone),
    to: localInstant(addDays(date, 1), '00:00', timeZone),
  };
}

/** Room to sign a visit as done. */
const ROW_HEIGHT = 24;
/** Double staffing on a grey ground: it must not be missed on a copy. */
const DOUBLE_SHADE = 0.85;

function addressCell(meta: PrintMeta, v: Visit): Cell {
  // Never an address for protected identity, whatever the route holds.
  if (v.protectedIdentity || v.patient.protected !== 0)
    return { text: meta.m.protectedAddress, font: 'bold' };
  return v.address ?? '';
}

function visitRow(meta: PrintMeta, route: RouteWindow, v: Visit, keys: boolean): Cell[] {
  const { m } = meta;
  const person = [v.patient.nameDisplay, identityDisplay(v.patient)].filter(Boolean).join('\n');
  // The services, then the visit's text as written; the services once when the text repeats them.
  const named = v.services.join(', ');
  const services =
    v.description && named && v.description.startsWith(named)
      ? v.description
      : [named, v.description].filter(Boolean).join('\n');
  const staff = v.staff.join(', ');
  const row: Cell[] = [
    { text: `${v.time}${v.endTime ? `–${v.endTime}` : ''}`, font: 'bold' },
    { text: person, font: 'bold' },
    services,
    v.doubleStaffing
      ? {
          text: [m.unitDoubleStaffing, staff].filter(Boolean).join('\n'),
          font: 'bold',
          shade: DOUBLE_SHADE,
        }
      : staff,
    addressCell(meta, v),
  ];
  if (keys) {
    const items = route.keys?.get(v.patient.id) ?? [];
    row.push(
      items.length > 0
        ? items.map((k) => k.text).join('\n')
        : { text: m.print.routeListKeysNone, shade: 0.95 },
    );
  }
  row.push('');
  return row;
}

function columns(meta: PrintMeta, keys: boolean): Column[] {
  const c = meta.m.print.routeListColumns;
  return keys
    ? [
        { header: c.time, width: 10 },
        { header: c.person, width: 16 },
        { header: c.services, width: 17 },
        { header: c.staff, width: 16 },
        { header: c.address, width: 14 },
        { header: c.keys, width: 17 },
        { header: c.done, width: 10 },
      ]
    : [
        { header: c.time, width: 10 },
        { header: c.person, width: 19 },
        { header: c.services, width: 25 },
        { header: c.staff, width: 16 },
        { header: c.address, width: 20 },
        { header: c.done, width: 10 },
      ];
}

/** Write the route list into `doc`, starting on a new page owned by the group. */
export function writeRouteList(
  doc: PrintDocument,
  meta: PrintMeta,
  route: RouteWindow,
  options: RouteListOptions = {},
): void {
  const { m } = meta;
  const t = m.print;
  const keys = options.includeKeys === true;
  if (keys && route.keys === undefined)
    throw new Error('route list: keys asked for, but the route was built without includeKeys');
  doc.newPage({ kind: 'unit', name: route.unit.name });
  title(
    doc,
    `${t.routeListTitle}: ${route.unit.name}`,
    fill(t.routeListPeriod, {
      from: localStamp(route.from, meta.timeZone),
      to: localStamp(route.to, meta.timeZone),
    }),
  );
  paragraph(doc, t.routeListIntro, SMALL, { after: 3 });
  if (keys) paragraph(doc, t.routeListKeysWarning, BOLD, { after: 3 });
  const visits = route.days.flatMap((d) => d.visits);
  if (visits.length === 0) return paragraph(doc, t.routeListNone, BOLD);
  paragraph(
    doc,
    fill(t.routeListCount, {
      n: visits.length,
      double: visits.filter((v) => v.doubleStaffing).length,
    }),
    BOLD,
    { after: 2 },
  );
  for (const day of route.days) {
    if (day.visits.length === 0) continue;
    heading(doc, dayLabel(m, day.date));
    table(
      doc,
      { columns: columns(meta, keys), size: 8, minRowHeight: ROW_HEIGHT },
      day.visits.map((v) => visitRow(meta, route, v, keys)),
    );
  }
}

export function renderRouteList(
  meta: PrintMeta,
  route: RouteWindow,
  options: RouteListOptions = {},
): Promise<Buffer> {
  return renderDocument(meta, (doc) => writeRouteList(doc, meta, route, options));
}
