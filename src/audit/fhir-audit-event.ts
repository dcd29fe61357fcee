/**
 * One audit entry as FHIR R4 AuditEvent resources, following IHE BALP (codes in balp-codes.ts):
 *
 * | action                      | type                    | subtype                      | act |
 * |-----------------------------|-------------------------|------------------------------|-----|
 * | view                        | audit-event-type rest   | restful-interaction read     | R   |
 * | search                      | audit-event-type rest   | restful-interaction search   | E   |
 * | print, export               | DCM 110106 Export       | iso-21089 disclose, read     | R   |
 * | emergency, break-glass      | DCM 110113 Sec. Alert   | DCM 110127 Emerg. Override   | E   |
 * | denied                      | DCM 110113 Sec. Alert   | BALP AuthZ-Role              | E   |
 * | sign-in, sign-in-failed     | DCM 110114 User Auth.   | DCM 110122 Login             | E   |
 * | sign-out                    | DCM 110114 User Auth.   | DCM 110123 Logout            | E   |
 * | admin                       | DCM 110113 Sec. Alert   | DCM 110137 User Sec. Attr.   | E   |
 * | import                      | DCM 110107 Import       | —                            | C   |
 *
 * Every flagged entry (emergency or break-glass, including the reads done under that access)
 * carries purposeOfEvent BTG and ETREAT, the reason as text. The reads keep their own BALP
 * pattern instead of turning into "Emergency Override Started": DICOM 110127 marks the start of
 * an override, and repeating it on every read would count one override many times.
 *
 * BALP asks for one AuditEvent per patient. An entry names at most one patient; a search hit list
 * that names several (as `Patient/…` resources and no `patient`) becomes one AuditEvent each.
 * The chain's seq and hashes travel in an entity (type Other) so a reviewer can match an event
 * back to the log: its identifier is the entry's seq, its details the hashes and station fields.
 */
import { IDENTIFIER_SYSTEMS, parseIdentity } from '../core/personnummer.ts';
import { CODE, OUTCOME_CODE, type Coding } from './balp-codes.ts';
import type { AuditEntry } from './entry.ts';
import type { AuditAction } from './vocabulary.ts';

/** Local identifier systems of the station. */
export const AUDIT_IDENTIFIER_SYSTEMS = {
  user: 'http://reservjournal.example/fhir/identifier/station-user',
  auditEntry: 'http://reservjournal.example/fhir/identifier/audit-entry',
  snapshot: 'http://reservjournal.example/fhir/identifier/snapshot',
} as const;

interface Identifier {
  readonly system?: string;
  readonly value: string;
}
interface Reference {
  readonly reference?: string;
  readonly identifier?: Identifier;
  readonly display?: string;
}
interface CodeableConcept {
  readonly coding?: readonly Coding[];
  readonly text?: string;
}
interface Agent {
  readonly type?: CodeableConcept;
  readonly role?: readonly CodeableConcept[];
  readonly who: Reference;
  readonly requestor: boolean;
}
interface Entity {
  readonly what?: Reference;
  readonly type?: Coding;
  readonly role?: Coding;
  readonly description?: string;
  readonly detail?: readonly { readonly type: string; readonly valueString: string }[];
}

/** The subset of R4 AuditEvent this station writes. */
export interface FhirAuditEvent {
  readonly resourceType: 'AuditEvent';
  readonly id: string;
  readonly type: Coding;
  readonly subtype?: readonly Coding[];
  readonly action: 'C' | 'R' | 'U' | 'D' | 'E';
  readonly recorded: string;
  readonly outcome: (typeof OUTCOME_CODE)[keyof typeof OUTCOME_CODE];
  readonly outcomeDesc?: string;
  readonly purposeOfEvent?: readonly CodeableConcept[];
  readonly agent: readonly Agent[];
  readonly source: {
    readonly site: string;
    readonly observer: Reference;
    readonly type: readonly Coding[];
  };
  readonly entity?: readonly Entity[];
}

interface Pattern {
  readonly type: Coding;
  readonly subtype: readonly Coding[];
  readonly action: FhirAuditEvent['action'];
}

const PATTERNS = {
  view: { type: CODE.rest, subtype: [CODE.read], action: 'R' },
  search: { type: CODE.rest, subtype: [CODE.search], action: 'E' },
  print: { type: CODE.export, subtype: [CODE.disclose, CODE.read], action: 'R' },
  export: { type: CODE.export, subtype: [CODE.disclose, CODE.read], action: 'R' },
  emergency: { type: CODE.securityAlert, subtype: [CODE.emergencyOverrideStarted], action: 'E' },
  'break-glass': {
    type: CODE.securityAlert,
    subtype: [CODE.emergencyOverrideStarted],
    action: 'E',
  },
  denied: { type: CODE.securityAlert, subtype: [CODE.authzRole], action: 'E' },
  'sign-in': { type: CODE.userAuthentication, subtype: [CODE.login], action: 'E' },
  'sign-in-failed': { type: CODE.userAuthentication, subtype: [CODE.login], action: 'E' },
  'sign-out': { type: CODE.userAuthentication, subtype: [CODE.logout], action: 'E' },
  admin: {
    type: CODE.securityAlert,
    subtype: [CODE.userSecurityAttributesChanged],
    action: 'E',
  },
  import: { type: CODE.import, subtype: [], action: 'C' },
} as const satisfies Record<AuditAction, Pattern>;

/** Actions whose user receives patient data (BALP: the user agent is the recipient). */
const DISCLOSING = new Set<AuditAction>([
  'view',
  'search',
  'print',
  'export',
  'emergency',
  'break-glass',
]);

function identSystem(ident: string, at: string): string | undefined {
  const kind = parseIdentity(ident, new Date(at)).kind;
  return kind === 'unknown' ? undefined : IDENTIFIER_SYSTEMS[kind];
}

function patientEntity(patient: string, ident: string | null, at: string): Entity {
  const system = ident === null ? undefined : identSystem(ident, at);
  return {
    type: CODE.person,
    role: CODE.patientRole,
    what: {
      reference: `Patient/${patient}`,
      ...(ident === null ? {} : { identifier: { ...(system ? { system } : {}), value: ident } }),
    },
  };
}

function chainEntity(e: AuditEntry): Entity {
  const detail: [string, string | null][] = [
    ['seq', String(e.seq)],
    ['hash', e.hash],
    ['prev_hash', e.prevHash],
    ['action', e.action],
    ['outcome', e.outcome],
    ['flags', e.flags?.join(' ') ?? null],
    ['reason', e.reason],
    ['session', e.session],
  ];
  return {
    type: CODE.other,
    description: 'Reservjournal audit chain entry',
    what: { identifier: { system: AUDIT_IDENTIFIER_SYSTEMS.auditEntry, value: String(e.seq) } },
    detail: detail
      .filter((d): d is [string, string] => d[1] !== null && d[1] !== '')
      .map(([type, valueString]) => ({ type, valueString })),
  };
}

function agents(e: AuditEntry, stationName: string): Agent[] {
  const list: Agent[] = [];
  if (e.user !== null)
    list.push({
      ...(DISCLOSING.has(e.action) ? { type: { coding: [CODE.informationRecipient] } } : {}),
      who: { identifier: { system: AUDIT_IDENTIFIER_SYSTEMS.user, value: e.user } },
      requestor: true,
      ...(e.role === null ? {} : { role: [{ text: e.role }] }),
    });
  if (e.unit !== null)
    list.push({
      type: { coding: [CODE.healthcareProvider] },
      who: { reference: `Organization/${e.unit}` },
      requestor: false,
    });
  list.push({
    type: { coding: [CODE.sourceRole] },
    who: { display: stationName },
    requestor: false,
  });
  return list;
}

/** The AuditEvents for one entry (more than one only for a search naming several patients). */
export function toAuditEvents(e: AuditEntry, stationName: string): FhirAuditEvent[] {
  const pattern: Pattern = PATTERNS[e.action];
  const refs = e.resources ?? [];
  const patients =
    e.patient !== null
      ? [e.patient]
      : [...new Set(refs.filter((r) => r.startsWith('Patient/')).map((r) => r.slice(8)))];
  const flagged = e.flags !== null && e.flags.length > 0;
  const common: Omit<FhirAuditEvent, 'id' | 'entity'> = {
    resourceType: 'AuditEvent',
    type: pattern.type,
    ...(pattern.subtype.length > 0 ? { subtype: pattern.subtype } : {}),
    action: pattern.action,
    recorded: e.at,
    outcome: OUTCOME_CODE[e.outcome],
    ...(e.outcome === 'success' ? {} : { outcomeDesc: e.reason ?? e.outcome }),
    ...(flagged
      ? {
          purposeOfEvent: [
            { coding: [CODE.breakTheGlass], ...(e.reason === null ? {} : { text: e.reason }) },
            { coding: [CODE.emergencyTreatment] },
          ],
        }
      : {}),
    agent: agents(e, stationName),
    source: {
      site: stationName,
      observer: { display: stationName },
      type: [CODE.applicationServer],
    },
  };
  const snapshot: Entity[] =
    e.snapshotId === null
      ? []
      : [
          {
            type: CODE.systemObject,
            description: 'journal snapshot',
            what: {
              identifier: { system: AUDIT_IDENTIFIER_SYSTEMS.snapshot, value: e.snapshotId },
            },
          },
        ];
  const dataEntities = (patient: string | undefined): Entity[] =>
    refs
      .filter((r) => (patient === undefined ? true : r !== `Patient/${patient}`))
      .filter((r) => patients.length <= 1 || !r.startsWith('Patient/'))
      .map((r) => ({ type: CODE.systemObject, role: CODE.domainResource, what: { reference: r } }));
  const one = (id: string, patient: string | undefined, ident: string | null): FhirAuditEvent => ({
    ...common,
    id,
    entity: [
      ...(patient === undefined ? [] : [patientEntity(patient, ident, e.at)]),
      ...dataEntities(patient),
      ...snapshot,
      chainEntity(e),
    ],
  });
  if (patients.length <= 1) return [one(`audit-${e.seq}`, patients[0], e.patientIdent)];
  return patients.map((p, i) => one(`audit-${e.seq}-${i + 1}`, p, null));
}
