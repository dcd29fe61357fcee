/**
 * The one authorization policy of the station: a table of role × record section × action, plus
 * the unit rule. Every web route and every print path asks `authorize()`; nothing else decides
 * who may see what, so the table below is the whole answer to "who can see this?" and the tests
 * are generated from it (matrix rows Z1, Z2).
 *
 * The unit rule: patient data is shown only for residents of the units a person works in (their
 * account's units, narrowed by the staff roster in the snapshot when the account is linked to
 * it), of the one unit an emergency code was issued for, or — after the person has given a
 * reason — of any unit by break-glass, which is flagged and reviewed. Key and door information
 * (digital lock ids, key locations) is shown only to home-care roles for home-care residents,
 * and never through break-glass: it opens a person's home.
 */

export const ROLES = ['staff', 'nurse', 'oncall', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** What a request touches. Patient sections carry patient data and follow the unit rule. */
export const SECTIONS = {
  units: { patientData: false },
  residents: { patientData: true },
  record: { patientData: true },
  keys: { patientData: true },
  search: { patientData: true },
  print: { patientData: true },
  emergencyCodes: { patientData: false },
  auditLog: { patientData: false },
  station: { patientData: false },
  /** The status page: the copy's age, the link and the log delivery; no patient data. */
  status: { patientData: false },
} as const;
export type Section = keyof typeof SECTIONS;

export const ACTIONS = ['view', 'print', 'issue', 'review'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * Role × section → actions. Anything not listed is denied. `admin` runs the station and sees no
 * patient data; `auditor` reviews the log and sees no records (the log itself names patients,
 * which is what a log review needs).
 */
export const PERMISSIONS: Readonly<Record<Role, Partial<Record<Section, readonly Action[]>>>> = {
  staff: {
    units: ['view'],
    residents: ['view', 'print'],
    record: ['view', 'print'],
    keys: ['view'],
    search: ['view'],
    print: ['print'],
    status: ['view'],
  },
  nurse: {
    units: ['view'],
    residents: ['view', 'print'],
    record: ['view', 'print'],
    keys: ['view'],
    search: ['view'],
    print: ['print'],
    status: ['view'],
  },
  oncall: {
    units: ['view'],
    residents: ['view', 'print'],
    record: ['view', 'print'],
    search: ['view'],
    print: ['print'],
    emergencyCodes: ['view', 'issue'],
    status: ['view'],
  },
  admin: { station: ['view'], emergencyCodes: ['view'], status: ['view'] },
  auditor: { auditLog: ['view', 'review'], status: ['view'] },
};

/** Unit facts the unit rule needs: the resident's unit and the units above it. */
export interface UnitFacts {
  readonly id: string;
  /** The units it belongs to, nearest first (a ward's nursing home, then the municipality). */
  readonly ancestors: readonly string[];
  readonly homeCare: boolean;
}

export interface Subject {
  readonly role: Role;
  /** Unit ids the person works in (a unit covers the units beneath it: a home its wards). */
  readonly units: ReadonlySet<string>;
  /** When signed in with an emergency code: the only unit it opens. */
  readonly emergencyUnit?: string;
  /** Residents opened by break-glass in this session (patient id → reason). */
  readonly breakGlass: ReadonlyMap<string, string>;
}

export type Scope = 'unit' | 'emergency' | 'break-glass';

export type Decision =
  | { readonly allow: true; readonly scope: Scope | null }
  | { readonly allow: false; readonly why: 'role' | 'unit' | 'break-glass-required' };

export function covers(units: ReadonlySet<string>, unit: UnitFacts): boolean {
  return units.has(unit.id) || unit.ancestors.some((a) => units.has(a));
}

function roleAllows(role: Role, section: Section, action: Action): boolean {
  return PERMISSIONS[role][section]?.includes(action) ?? false;
}

/**
 * May `subject` do `action` on `section`, for a resident or unit described by `target`?
 * Sections without patient data ignore the target. `patientId` is given for one resident's
 * record so that a break-glass grant for exactly that resident counts.
 */
export function authorize(
  subject: Subject,
  section: Section,
  action: Action,
  target?: { readonly unit: UnitFacts | null; readonly patientId?: string },
): Decision {
  if (!roleAllows(subject.role, section, action)) return { allow: false, why: 'role' };
  if (!SECTIONS[section].patientData || target === undefined) return { allow: true, scope: null };
  const unit = target.unit;
  if (subject.emergencyUnit !== undefined) {
    // An emergency code opens its one unit and nothing else, not even by break-glass.
    if (unit !== null && covers(new Set([subject.emergencyUnit]), unit))
      return section === 'keys' && !unit.homeCare
        ? { allow: false, why: 'role' }
        : { allow: true, scope: 'emergency' };
    return { allow: false, why: 'unit' };
  }
  if (section === 'keys') {
    // Home-care roles only: the person works in a home-care group and the resident lives there.
    if (unit === null || !unit.homeCare || !covers(subject.units, unit))
      return { allow: false, why: 'role' };
    return { allow: true, scope: 'unit' };
  }
  if (unit !== null && covers(subject.units, unit)) return { allow: true, scope: 'unit' };
  if (target.patientId !== undefined && subject.breakGlass.has(target.patientId))
    return { allow: true, scope: 'break-glass' };
  // Break-glass opens one resident's record, never a whole unit list.
  return section === 'record'
    ? { allow: false, why: 'break-glass-required' }
    : { allow: false, why: 'unit' };
}
