/**
 * The synthetic municipality: nursing homes with wards and rooms, home-care groups, their staff,
 * and the regional health centre whose physicians write orders. The layout depends only on the
 * number of people, so each person's unit and room follow from their index without lookups.
 */
import { EXTENSIONS, SYSTEMS } from '../core/fhir-systems.ts';
import { IDENTIFIER_SYSTEMS } from '../core/personnummer.ts';
import {
  FAMILY,
  HOME_CARE_AREAS,
  NURSING_HOMES,
  STAFF_GIVEN,
  STREETS,
  WARDS,
} from './catalog/names.ts';
import { landlineNumber, mobileNumber } from './phones.ts';
import { Rng } from './random.ts';

export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;
export type Emit = (resource: FhirResource) => void;

export const WARDS_PER_HOME = 3;
export const ROOMS_PER_WARD = 12;
export const CLIENTS_PER_GROUP = 45;
export const MUNICIPALITY = 'Exempelby kommun';
export const HSA_PREFIX = 'SE9990000000-';

export interface Layout {
  readonly people: number;
  readonly homes: number;
  readonly groups: number;
}

export type Placement =
  | { kind: 'nursing-home'; home: number; ward: number; room: number }
  | { kind: 'home-care'; group: number };

/** Two in five people live in nursing homes, three in five get home care. */
export function placement(i: number): Placement {
  const block = Math.floor(i / 5);
  const pos = i % 5;
  if (pos < 2) {
    const k = block * 2 + pos;
    const perHome = WARDS_PER_HOME * ROOMS_PER_WARD;
    return {
      kind: 'nursing-home',
      home: Math.floor(k / perHome),
      ward: Math.floor((k % perHome) / ROOMS_PER_WARD),
      room: k % ROOMS_PER_WARD,
    };
  }
  return { kind: 'home-care', group: Math.floor((block * 3 + pos - 2) / CLIENTS_PER_GROUP) };
}

export function planLayout(people: number): Layout {
  const nursing = Math.floor(people / 5) * 2 + Math.min(people % 5, 2);
  const homeCare = people - nursing;
  return {
    people,
    homes: Math.max(2, Math.ceil(nursing / (WARDS_PER_HOME * ROOMS_PER_WARD))),
    groups: Math.max(2, Math.ceil(homeCare / CLIENTS_PER_GROUP)),
  };
}

export const ids = {
  municipality: 'kommun',
  healthCentre: 'vardcentral',
  home: (h: number) => `sabo-${h + 1}`,
  ward: (h: number, w: number) => `sabo-${h + 1}-avd-${w + 1}`,
  room: (h: number, w: number, r: number) => `sabo-${h + 1}-avd-${w + 1}-rum-${r + 1}`,
  group: (g: number) => `hemtjanst-${g + 1}`,
  nurse: (unit: string) => `${unit}-ssk`,
  manager: (unit: string) => `${unit}-ec`,
  staff: (unit: string, k: number) => `${unit}-personal-${k + 1}`,
  physician: (k: number) => `lakare-${k + 1}`,
};

export const STAFF_PER_UNIT = 4;
export const PHYSICIANS = 6;

export function homeName(h: number): string {
  const base = NURSING_HOMES[h % NURSING_HOMES.length]!;
  const round = Math.floor(h / NURSING_HOMES.length);
  return `${base}${round > 0 ? ` ${round + 1}` : ''} vård- och omsorgsboende`;
}

export function wardName(h: number, w: number): string {
  return `${homeName(h).replace(' vård- och omsorgsboende', '')}, avdelning ${WARDS[w % WARDS.length]!}`;
}

export function groupName(g: number): string {
  const base = HOME_CARE_AREAS[g % HOME_CARE_AREAS.length]!;
  const round = Math.floor(g / HOME_CARE_AREAS.length);
  return `Hemtjänst ${base}${round > 0 ? ` ${round + 1}` : ''}`;
}

/** The unit Organization id a placement belongs to (a ward or a home-care group). */
export function unitOf(p: Placement): string {
  return p.kind === 'nursing-home' ? ids.ward(p.home, p.ward) : ids.group(p.group);
}

function hsa(suffix: string) {
  return [{ system: IDENTIFIER_SYSTEMS.hsaId, value: `${HSA_PREFIX}${suffix}` }];
}

function organization(
  id: string,
  name: string,
  type: string,
  partOf: string | undefined,
  phone?: string,
): FhirResource {
  return {
    resourceType: 'Organization',
    id,
    identifier: hsa(`E${id.toUpperCase().replace(/[^A-Z0-9]/g, '')}`),
    active: true,
    type: [{ coding: [{ system: SYSTEMS.unitType, code: type }] }],
    name,
    ...(phone ? { telecom: [{ system: 'phone', value: phone, use: 'work' }] } : {}),
    ...(partOf ? { partOf: { reference: `Organization/${partOf}` } } : {}),
  };
}

const ROLE_TEXT = {
  nurse: 'Sjuksköterska',
  manager: 'Enhetschef',
  staff: 'Undersköterska',
  physician: 'Läkare',
  mas: 'Medicinskt ansvarig sjuksköterska (MAS)',
} as const;

function practitioner(
  id: string,
  rng: Rng,
  role: keyof typeof ROLE_TEXT,
  unit: string,
  phone: string | undefined,
  delegatedBy?: string,
  asOf?: string,
): FhirResource[] {
  const family = rng.pick(FAMILY);
  const given = rng.pick(STAFF_GIVEN);
  const prac: FhirResource = {
    resourceType: 'Practitioner',
    id,
    identifier: hsa(`P${id.toUpperCase().replace(/[^A-Z0-9]/g, '')}`),
    active: true,
    name: [{ family, given: [given] }],
    ...(phone ? { telecom: [{ system: 'phone', value: phone, use: 'work' }] } : {}),
  };
  const extension =
    delegatedBy && asOf
      ? [
          {
            url: EXTENSIONS.delegation,
            extension: [
              {
                url: 'scope',
                valueString:
                  'Läkemedelshantering: iordningställande och administrering av tabletter, insulin med penna, plåster',
              },
              {
                url: 'period',
                valuePeriod: {
                  start: `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4, 10)}`,
                  end: `${asOf.slice(0, 4)}-12-31`,
                },
              },
              { url: 'delegatedBy', valueReference: { reference: `Practitioner/${delegatedBy}` } },
            ],
          },
        ]
      : undefined;
  const roleResource: FhirResource = {
    resourceType: 'PractitionerRole',
    id: `roll-${id}`,
    ...(extension ? { extension } : {}),
    active: true,
    practitioner: { reference: `Practitioner/${id}`, display: `${given} ${family}` },
    organization: { reference: `Organization/${unit}` },
    code: [{ coding: [{ system: SYSTEMS.staffRole, code: role }], text: ROLE_TEXT[role] }],
    ...(phone ? { telecom: [{ system: 'phone', value: phone, use: 'work' }] } : {}),
  };
  return [prac, roleResource];
}

export function physicianName(seed: string, k: number): string {
  const rng = new Rng(`${seed}/physician/${k}`);
  return `${rng.pick(STAFF_GIVEN)} ${rng.pick(FAMILY)}`;
}

/** Staff for one unit: a nurse and a manager for the home or group, care staff per unit. */
function unitStaff(seed: string, unit: string, parent: string, emitAll: Emit, asOf: string) {
  const rng = new Rng(`${seed}/staff/${unit}`);
  for (let k = 0; k < STAFF_PER_UNIT; k++) {
    // Half of the care staff hold a medication delegation from the unit's nurse.
    const delegated = k % 2 === 0;
    for (const r of practitioner(
      ids.staff(unit, k),
      rng,
      'staff',
      unit,
      undefined,
      delegated ? ids.nurse(parent) : undefined,
      asOf,
    ))
      emitAll(r);
  }
}

/** Write every organisation, location and staff resource of the municipality. */
export function emitMunicipality(seed: string, layout: Layout, asOf: string, emit: Emit): void {
  const rng = new Rng(`${seed}/municipality`);
  emit(
    organization(ids.municipality, MUNICIPALITY, 'municipality', undefined, landlineNumber(rng)),
  );
  emit(
    organization(
      ids.healthCentre,
      'Vårdcentralen Exempelby (Region Exempel)',
      'health-centre',
      undefined,
      landlineNumber(rng),
    ),
  );
  for (const r of practitioner('kommun-mas', rng, 'mas', ids.municipality, mobileNumber(rng)))
    emit(r);
  for (let k = 0; k < PHYSICIANS; k++) {
    const prng = new Rng(`${seed}/physician/${k}`);
    for (const r of practitioner(
      ids.physician(k),
      prng,
      'physician',
      ids.healthCentre,
      landlineNumber(rng),
    ))
      emit(r);
  }
  for (let h = 0; h < layout.homes; h++) {
    const home = ids.home(h);
    const street = `${rng.pick(STREETS)} ${rng.int(1, 60)}`;
    emit(organization(home, homeName(h), 'nursing-home', ids.municipality, landlineNumber(rng)));
    emit({
      resourceType: 'Location',
      id: `plats-${home}`,
      status: 'active',
      name: homeName(h),
      mode: 'instance',
      physicalType: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'bu' },
        ],
      },
      address: { line: [street], postalCode: '999 10', city: 'Exempelby', country: 'SE' },
      managingOrganization: { reference: `Organization/${home}` },
    });
    for (const r of practitioner(ids.nurse(home), rng, 'nurse', home, mobileNumber(rng))) emit(r);
    for (const r of practitioner(ids.manager(home), rng, 'manager', home, mobileNumber(rng)))
      emit(r);
    for (let w = 0; w < WARDS_PER_HOME; w++) {
      const ward = ids.ward(h, w);
      emit(organization(ward, wardName(h, w), 'ward', home, landlineNumber(rng)));
      emit({
        resourceType: 'Location',
        id: `plats-${ward}`,
        status: 'active',
        name: wardName(h, w),
        mode: 'instance',
        physicalType: {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'wa' },
          ],
        },
        managingOrganization: { reference: `Organization/${ward}` },
        partOf: { reference: `Location/plats-${home}` },
      });
      for (let r = 0; r < ROOMS_PER_WARD; r++) {
        emit({
          resourceType: 'Location',
          id: ids.room(h, w, r),
          status: 'active',
          name: `Rum ${w + 1}${String(r + 1).padStart(2, '0')}`,
          mode: 'instance',
          physicalType: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/location-physical-type',
                code: 'ro',
              },
            ],
          },
          managingOrganization: { reference: `Organization/${ward}` },
          partOf: { reference: `Location/plats-${ward}` },
        });
      }
      unitStaff(seed, ward, home, emit, asOf);
    }
  }
  for (let g = 0; g < layout.groups; g++) {
    const group = ids.group(g);
    emit(
      organization(group, groupName(g), 'home-care-group', ids.municipality, landlineNumber(rng)),
    );
    for (const r of practitioner(ids.nurse(group), rng, 'nurse', group, mobileNumber(rng))) emit(r);
    for (const r of practitioner(ids.manager(group), rng, 'manager', group, mobileNumber(rng)))
      emit(r);
    unitStaff(seed, group, group, emit, asOf);
  }
}

/** Room display name for a placement, matching the Location names above. */
export function roomName(p: Extract<Placement, { kind: 'nursing-home' }>): string {
  return `Rum ${p.ward + 1}${String(p.room + 1).padStart(2, '0')}`;
}
