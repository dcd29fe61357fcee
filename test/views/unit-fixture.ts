/**
 * A hand-written export for the unit view tests: one ward and one home-care group whose people
 * carry each odd case the generator does not write (undated resuscitation decision, flags only
 * in Condition, ended flags, `when` and `event` timings, bounded and interval orders, visits
 * written in UTC, protected identity known only from a Flag) and markup in free text.
 */
import { writeExport } from '../helpers/export-fixture.ts';

const XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">';
const PNR = 'http://electronichealth.se/identifier/personnummer';
const ALERT = 'http://reservjournal.example/fhir/CodeSystem/alert';
const ICD = 'urn:oid:1.2.752.116.1.1.1.1.3';
const ROOM = 'http://reservjournal.example/fhir/StructureDefinition/residence-room';
const DD = 'http://reservjournal.example/fhir/StructureDefinition/dose-dispensed';

export const FX = {
  ward: 'avd-x',
  group: 'hg-x',
  /** Ward: undated DNR flag, choking and palliative only as Conditions, markup in name. */
  p1: 'fx-p1',
  /** Ward: dated DNR as ServiceRequest and Flag (the later date wins). */
  p2: 'fx-p2',
  /** Ward: protected by meta.security, a "do resuscitate" decision. */
  p3: 'fx-p3',
  /** Home care: protected identity known only from a Flag; has an address in the record. */
  q1: 'fx-q1',
  /** Home care: an old and a home address. */
  q2: 'fx-q2',
  q1Street: 'Hemliga gränd 7',
  q2Street: 'Synliga vägen 3',
  q2OldStreet: 'Gamla vägen 99',
  xss: XSS,
} as const;

const j = (o: object) => JSON.stringify(o);
const ref = (id: string) => ({ reference: `Patient/${id}` });

function patient(id: string, unit: string, name: string, extra: object = {}) {
  return j({
    resourceType: 'Patient',
    id,
    identifier: [{ system: PNR, value: '191212121212' }],
    name: [{ use: 'official', text: name }],
    managingOrganization: { reference: `Organization/${unit}` },
    ...extra,
  });
}

function flag(id: string, who: string, code: string, extra: object = {}) {
  return j({
    resourceType: 'Flag',
    id,
    status: 'active',
    code: { coding: [{ system: ALERT, code }], text: `${code} ${XSS}` },
    subject: ref(who),
    ...extra,
  });
}

function order(id: string, who: string, name: string, dosage: object[], extra: object = {}) {
  return j({
    resourceType: 'MedicationRequest',
    id,
    status: 'active',
    intent: 'order',
    medicationReference: { reference: `Medication/${name}`, display: name },
    subject: ref(who),
    dosageInstruction: dosage,
    ...extra,
  });
}

const tab = (value: number) => [{ doseQuantity: { value, unit: 'tablett' } }];

function visit(id: string, who: string, start: string, extra: object = {}, staff = ['s1']) {
  return j({
    resourceType: 'Appointment',
    id,
    status: 'booked',
    serviceType: [{ text: 'Tillsyn' }],
    start,
    participant: [
      { actor: ref(who), status: 'accepted' },
      ...staff.map((s) => ({ actor: { reference: `Practitioner/${s}` }, status: 'accepted' })),
    ],
    ...extra,
  });
}

export function writeUnitFixture(dir: string): string {
  return writeExport(dir, {
    Organization: [
      j({
        resourceType: 'Organization',
        id: FX.ward,
        name: `Avdelning X ${XSS}`,
        type: [{ coding: [{ code: 'ward' }] }],
      }),
      j({
        resourceType: 'Organization',
        id: FX.group,
        name: 'Hemtjänst X',
        type: [{ coding: [{ code: 'home-care-group' }] }],
      }),
    ],
    Patient: [
      patient(FX.p1, FX.ward, `Ada ${XSS}`, {
        extension: [{ url: ROOM, valueReference: { display: 'Rum 1' } }],
      }),
      patient(FX.p2, FX.ward, 'Bo Berg', {
        extension: [{ url: ROOM, valueReference: { display: 'Rum 2' } }],
      }),
      patient(FX.p3, FX.ward, 'Cia Cederlund', {
        meta: { security: [{ code: 'R' }] },
        extension: [{ url: ROOM, valueReference: { display: 'Rum 3' } }],
      }),
      patient(FX.q1, FX.group, 'Dan Dahl', {
        address: [{ use: 'home', line: [FX.q1Street], postalCode: '999 01', city: 'Exempelby' }],
      }),
      patient(FX.q2, FX.group, 'Eva Ek', {
        address: [
          { use: 'old', line: [FX.q2OldStreet], city: 'Exempelby' },
          { use: 'home', line: [FX.q2Street], postalCode: '999 02', city: 'Exempelby' },
        ],
      }),
    ],
    Practitioner: [
      j({ resourceType: 'Practitioner', id: 's1', name: [{ given: ['Siv'], family: 'Sund' }] }),
      j({ resourceType: 'Practitioner', id: 's2', name: [{ given: ['Tor'], family: 'Tell' }] }),
    ],
    Medication: [
      j({ resourceType: 'Medication', id: 'm-unnamed', code: { text: `Medicin ${XSS}` } }),
    ],
    Flag: [
      flag('f1', FX.p1, 'DNR'),
      flag('f2', FX.p1, 'MRSA', { period: { start: '2025-01-01', end: '2026-11-01' } }),
      flag('f3', FX.p1, 'VRE', { period: { start: '2026-10-01' } }),
      flag('f4', FX.p2, 'DNR', { period: { start: '2025-06-01' } }),
      flag('f5', FX.p2, 'CHOKING', { status: 'inactive' }),
      flag('f6', FX.q1, 'PROTECTED'),
    ],
    Condition: [
      j({
        resourceType: 'Condition',
        id: 'c1',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { coding: [{ system: ICD, code: 'R13.1' }] },
        subject: ref(FX.p1),
      }),
      j({
        resourceType: 'Condition',
        id: 'c2',
        code: { coding: [{ system: ICD, code: 'Z51.5' }] },
        subject: ref(FX.p1),
      }),
      j({
        resourceType: 'Condition',
        id: 'c3',
        clinicalStatus: { coding: [{ code: 'resolved' }] },
        code: { coding: [{ system: ICD, code: 'Z51.5' }] },
        subject: ref(FX.p2),
      }),
    ],
    AllergyIntolerance: [
      j({
        resourceType: 'AllergyIntolerance',
        id: 'a1',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { text: `Nötter ${XSS}` },
        patient: ref(FX.p1),
      }),
      j({
        resourceType: 'AllergyIntolerance',
        id: 'a2',
        clinicalStatus: { coding: [{ code: 'resolved' }] },
        code: { text: 'Penicillin' },
        patient: ref(FX.p2),
      }),
    ],
    ServiceRequest: [
      j({
        resourceType: 'ServiceRequest',
        id: 'sr-dnr',
        status: 'active',
        intent: 'order',
        doNotPerform: true,
        code: { coding: [{ system: 'http://snomed.info/sct', code: '89666000' }] },
        subject: ref(FX.p2),
        authoredOn: '2026-01-10',
      }),
      j({
        resourceType: 'ServiceRequest',
        id: 'sr-cpr',
        status: 'active',
        intent: 'order',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '89666000' }] },
        subject: ref(FX.p3),
        authoredOn: '2026-02-01',
      }),
    ],
    MedicationRequest: [
      j({
        resourceType: 'MedicationRequest',
        id: 'mr-when',
        status: 'active',
        intent: 'order',
        extension: [{ url: DD, valueBoolean: true }],
        medicationReference: { reference: 'Medication/m-unnamed' },
        subject: ref(FX.p1),
        dosageInstruction: [
          {
            text: `1 tablett morgon och kväll ${XSS}`,
            timing: { repeat: { when: ['MORN', 'EVE'] } },
            doseAndRate: tab(1),
          },
        ],
      }),
      order('mr-two-times', FX.p1, 'Tvåtider', [
        {
          text: '1 tablett kl 8 och 21',
          timing: { repeat: { timeOfDay: ['21:00:00', '08:00:00'] } },
          doseAndRate: tab(1),
        },
      ]),
      order('mr-ended', FX.p1, 'Utsatt', [
        {
          text: 'slut igår',
          timing: { repeat: { timeOfDay: ['08:00:00'], boundsPeriod: { end: '2026-11-26' } } },
        },
      ]),
      order('mr-every-2-days', FX.p1, 'Varannan', [
        {
          text: '1 tablett varannan dag',
          timing: { repeat: { frequency: 1, period: 2, periodUnit: 'd' } },
          doseAndRate: tab(1),
        },
      ]),
      order('mr-mixed', FX.p2, 'Blandad', [
        {
          text: '1 tablett kl 8, vid behov ytterligare 1',
          timing: { repeat: { timeOfDay: ['08:00:00'] } },
          doseAndRate: tab(1),
        },
        {
          text: '1 tablett kl 8, vid behov ytterligare 1',
          asNeededCodeableConcept: { text: 'smärta' },
          timing: { repeat: { frequency: 1, period: 4, periodUnit: 'h' } },
          maxDosePerPeriod: {
            numerator: { value: 2, unit: 'tablett' },
            denominator: { value: 1, unit: 'dygn' },
          },
          doseAndRate: tab(1),
        },
      ]),
      order(
        'mr-on-hold',
        FX.p2,
        'Pausad',
        [{ text: 'pausad', timing: { repeat: { timeOfDay: ['08:00:00'] } } }],
        { status: 'on-hold' },
      ),
      order('mr-event', FX.p2, 'Engångs', [
        {
          text: 'kl 14 idag och i morgon',
          timing: { event: ['2026-11-27T14:00:00+01:00', '2026-11-28T14:00:00+01:00'] },
          doseAndRate: tab(2),
        },
      ]),
      order('mr-no-dosage', FX.p3, 'Utan dosering', []),
      // Written by hand: JSON.stringify would turn 0.250 into 0.25.
      `{"resourceType":"MedicationRequest","id":"mr-exact","status":"active","intent":"order","medicationReference":{"display":"Morfin"},"subject":{"reference":"Patient/${FX.p3}"},"dosageInstruction":[{"text":"0,250 ml kl 12","timing":{"repeat":{"timeOfDay":["12:00:00"]}},"doseAndRate":[{"doseQuantity":{"value":0.250,"unit":"ml"}}]}]}`,
      order('mr-weekend', FX.p3, 'Helg', [
        {
          text: 'lör–sön kl 18',
          timing: { repeat: { dayOfWeek: ['sat', 'sun'], timeOfDay: ['18:00:00'] } },
          doseAndRate: tab(1),
        },
      ]),
    ],
    Appointment: [
      visit('v-text-double', FX.q2, '2026-11-27T09:00:00+01:00', {
        description: `Dusch. Dubbelbemanning. ${XSS}`,
      }),
      visit('v-cancelled', FX.q2, '2026-11-27T07:00:00+01:00', { status: 'cancelled' }),
      visit('v-utc-tomorrow', FX.q2, '2026-11-28T01:00:00Z'),
      visit('v-later', FX.q2, '2026-11-29T08:00:00+01:00'),
      visit('v-protected', FX.q1, '2026-11-27T08:30:00+01:00', {}, ['s1', 's2']),
    ],
  });
}
