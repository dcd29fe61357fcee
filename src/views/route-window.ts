/**
 * A home-care group's visits for any window of time, a day or a shift (`from` inclusive, `to`
 * exclusive), for the printed route list. The same route as the unit page's (unit.ts
 * `loadRoute`, unit-route.ts `buildRoute`): visits in time order, grouped by the local calendar
 * days the window touches, protected addresses never read.
 *
 * Key and door information opens a person's home (domain brief §3.6): it is read only when the
 * caller says the printing person may see it (`includeKeys`, decided by `authorize(subject,
 * 'keys', 'view', …)`), and then only for the people with a visit in the window, the way the
 * audited key route reads it (resident/keys.ts). Without `includeKeys` none is read at all.
 */
import type { Db } from '../store/db.ts';
import { getUnit, listResidents, type UnitRow } from '../store/queries.ts';
import { addDays, localDateTime } from './local-time.ts';
import { keyInformation, type KeyItem } from './resident/keys.ts';
import { HOME_CARE_KIND, loadRoute, protectedIds, unitPeople } from './unit.ts';
import { ResourceReader } from './unit-load.ts';
import type { RouteDay } from './unit-route.ts';

export interface RouteWindowOptions {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  /** IANA time zone of the station (config.timeZone). */
  readonly timeZone: string;
  /** Read the key and door information of the people visited (the caller has authorized it). */
  readonly includeKeys?: boolean;
}

export interface RouteWindow {
  readonly unit: UnitRow;
  readonly homeCare: boolean;
  readonly from: Date;
  readonly to: Date;
  /** Every local date the window touches, each with its visits in time order. */
  readonly days: readonly RouteDay[];
  /** Per person visited: their key and door information. Undefined unless `includeKeys`. */
  readonly keys: ReadonlyMap<string, readonly KeyItem[]> | undefined;
  /** Resources that could not be read for display. */
  readonly unreadable: number;
}

/** The local dates from the one `from` falls on through the one just before `to`. */
export function windowDays(from: Date, to: Date, timeZone: string): string[] {
  if (to.getTime() <= from.getTime()) return [];
  const first = localDateTime(from, timeZone).date;
  const last = localDateTime(new Date(to.getTime() - 1), timeZone).date;
  const days = [first];
  while (days[days.length - 1]! < last) days.push(addDays(days[days.length - 1]!, 1));
  return days;
}

export function buildRouteWindow(
  db: Db,
  unitId: string,
  options: RouteWindowOptions,
): RouteWindow | undefined {
  const unit = getUnit(db, unitId);
  if (!unit) return undefined;
  const { from, to, timeZone } = options;
  const reader = new ResourceReader();
  const residents = listResidents(db, unit.id);
  const days = windowDays(from, to, timeZone);
  const { people } = unitPeople(
    db,
    unit.id,
    residents,
    { today: days[0] ?? localDateTime(from, timeZone).date, timeZone },
    reader,
  );
  const route = loadRoute(
    db,
    unit.id,
    { days, timeZone, residents, protectedIds: protectedIds(people), window: { from, to } },
    reader,
  );
  let keys: Map<string, KeyItem[]> | undefined;
  if (options.includeKeys === true) {
    keys = new Map();
    for (const visit of route.flatMap((d) => d.visits))
      if (!keys.has(visit.patient.id))
        keys.set(visit.patient.id, keyInformation(db, visit.patient.id));
  }
  return {
    unit,
    homeCare: unit.kind === HOME_CARE_KIND,
    from,
    to,
    days: route,
    keys,
    unreadable: reader.unreadable,
  };
}
