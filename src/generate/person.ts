/**
 * Everything the journal holds about one synthetic person, as FHIR R4 resources.
 *
 * Each person is generated from its own seeded generator (seed + index), so the output is the
 * same whatever else is generated, and people can be streamed one at a time. Persons 0–9 carry
 * the deliberate edge cases listed in EDGE_CASES whenever the data set is large enough.
 */
import { EXTENSIONS, SYSTEMS } from '../core/fhir-systems.ts';
import { formatTenDigit, IDENTIFIER_SYSTEMS, toSamordningsnummer } from '../core/personnummer.ts';
import { FAMILY, FEMALE_GIVEN, MALE_GIVEN, STREETS } from './catalog/names.ts';
import { LANGUAGES, RELATIONS } from './catalog/clinical.ts';
import { reserveNumber, type IdentityPool } from './identities.ts';
import {
  ids,
  physicianName,
  PHYSICIANS,
  placement,
  roomName,
  STAFF_PER_UNIT,
  unitOf,
  type Emit,
  type FhirResource,
} from './municipality.ts';
import { emitCare } from './person-care.ts';
import { emitMedication } from './person-medication.ts';
import { mobileNumber } from './phones.ts';
import { Rng } from './random.ts';

/** Which person index carries which edge case (see docs/data-model.md). */
export const EDGE_CASES = {
  centenarian: 0,
  combiningCharacters: 1,
  htmlNote: 2,
  exactDecimal: 3,
  partialBirthDate: 4,
  longNote: 5,
  noMedication: 6,
  danglingReference: 7,
  protectedIdentity: 8,
  samordningsnummer: 9,
} as const;

export interface PersonContext {
  readonly seed: string;
  readonly index: number;
  readonly asOf: Date;
  readonly pool: IdentityPool;
}

interface Identity {
  system: string;
  value: string;
  birthDate: string;
  male: boolean;
}

function birthDateOf(twelve: string): string {
  const y = twelve.slice(0, 4);
  const m = twelve.slice(4, 6);
  let d = Number(twelve.slice(6, 8));
  if (d > 60) d -= 60;
  // Official test numbers may have month or day 00: the birth date is then only partly known.
  if (m === '00') return y;
  if (d === 0) return `${y}-${m}`;
  return `${y}-${m}-${String(d).padStart(2, '0')}`;
}

function identity(ctx: PersonContext, rng: Rng): Identity {
  const i = ctx.index;
  const fromList = (pnr: string, system: string, value = pnr): Identity => ({
    system,
    value,
    birthDate: birthDateOf(pnr),
    male: Number(pnr[10]) % 2 === 1,
  });
  if (i === EDGE_CASES.centenarian) {
    const pnr = ctx.pool.centenarian();
    // Written in the ten-digit form with `+`, as for everyone who has turned 100.
    return fromList(pnr, IDENTIFIER_SYSTEMS.personnummer, formatTenDigit(pnr, ctx.asOf));
  }
  const pnr = ctx.pool.personnummer(i);
  if (i === EDGE_CASES.partialBirthDate || pnr === undefined) {
    const year = rng.int(1925, 1950);
    const month = String(rng.int(1, 12)).padStart(2, '0');
    const partial = i === EDGE_CASES.partialBirthDate;
    const day = partial ? '00' : String(rng.int(1, 28)).padStart(2, '0');
    return {
      system: IDENTIFIER_SYSTEMS.reservnummer,
      value: reserveNumber(rng, `${year}${month}${day}`),
      birthDate: partial ? `${year}-${month}` : `${year}-${month}-${day}`,
      male: rng.chance(0.4),
    };
  }
  if (i === EDGE_CASES.samordningsnummer || (i >= 10 && rng.chance(0.005))) {
    return fromList(pnr, IDENTIFIER_SYSTEMS.samordningsnummer, toSamordningsnummer(pnr));
  }
  return fromList(pnr, IDENTIFIER_SYSTEMS.personnummer);
}

export function emitPerson(ctx: PersonContext, emit: Emit): void {
  const rng = new Rng(`${ctx.seed}/person/${ctx.index}`);
  const i = ctx.index;
  const place = placement(i);
  const unit = unitOf(place);
  const parent = place.kind === 'nursing-home' ? ids.home(place.home) : unit;
  const homeCare = place.kind === 'home-care';
  const id = rng.uuid();
  const who = identity(ctx, rng);
  const givenList = who.male ? MALE_GIVEN : FEMALE_GIVEN;
  let given: string[] = [rng.pick(givenList), ...(rng.chance(0.3) ? [rng.pick(givenList)] : [])];
  let family: string = rng.pick(FAMILY);
  if (i === EDGE_CASES.combiningCharacters) {
    // Decomposed letters (A + combining ring, o + combining diaeresis), as some systems send them.
    given = [who.male ? 'Jo\u0308ns' : 'A\u030asa'];
    family = 'Lo\u0308vgren';
  }
  const isProtected = i === EDGE_CASES.protectedIdentity || (i >= 10 && rng.chance(0.01));
  const physicianIndex = rng.int(0, PHYSICIANS - 1);
  const physician = {
    id: ids.physician(physicianIndex),
    name: physicianName(ctx.seed, physicianIndex),
  };
  const postal = `999 ${rng.int(30, 99)}`;
  const address = homeCare
    ? [
        {
          use: 'home',
          line: [
            `${rng.pick(STREETS)} ${rng.int(1, 80)}${rng.chance(0.5) ? ` lgh ${rng.int(1001, 1404)}` : ''}`,
          ],
          postalCode: postal,
          city: 'Exempelby',
          country: 'SE',
        },
      ]
    : undefined;
  const language = rng.chance(0.05) ? rng.pick(LANGUAGES) : undefined;
  const patient: FhirResource = {
    resourceType: 'Patient',
    id,
    ...(isProtected
      ? {
          meta: {
            security: [{ system: SYSTEMS.confidentiality, code: 'R', display: 'restricted' }],
          },
        }
      : {}),
    ...(place.kind === 'nursing-home'
      ? {
          extension: [
            {
              url: EXTENSIONS.room,
              valueReference: {
                reference: `Location/${ids.room(place.home, place.ward, place.room)}`,
                display: roomName(place),
              },
            },
          ],
        }
      : {}),
    identifier: [{ system: who.system, value: who.value }],
    active: true,
    name: [{ use: 'official', family, given }],
    ...(homeCare && rng.chance(0.6)
      ? { telecom: [{ system: 'phone', value: mobileNumber(rng), use: 'mobile' }] }
      : {}),
    gender: who.male ? 'male' : 'female',
    birthDate: who.birthDate,
    ...(address ? { address } : {}),
    ...(language
      ? {
          communication: [
            {
              language: {
                coding: [{ system: 'urn:ietf:bcp:47', code: language.code }],
                text: language.text,
              },
              preferred: true,
            },
          ],
        }
      : {}),
    generalPractitioner: [{ reference: `Organization/${ids.healthCentre}` }],
    managingOrganization: { reference: `Organization/${unit}` },
  };
  emit(patient);

  // Next of kin and, for some, a legal representative.
  const kin = rng.int(i === EDGE_CASES.noMedication ? 0 : 1, 3);
  for (let k = 0; k < kin; k++) {
    const rel = rng.pick(RELATIONS);
    emit({
      resourceType: 'RelatedPerson',
      id: rng.uuid(),
      extension: [{ url: EXTENSIONS.mayReceiveInformation, valueBoolean: rng.chance(0.85) }],
      active: true,
      patient: { reference: `Patient/${id}` },
      relationship: [{ coding: [{ system: SYSTEMS.roleCode, code: rel.code }], text: rel.text }],
      name: [
        {
          family: rng.chance(0.6) ? family : rng.pick(FAMILY),
          given: [rng.pick([...FEMALE_GIVEN, ...MALE_GIVEN])],
        },
      ],
      telecom: [{ system: 'phone', value: mobileNumber(rng), use: 'mobile' }],
    });
  }
  if (rng.chance(0.08)) {
    const guardian = rng.chance(0.5) ? 'God man' : 'Förvaltare';
    emit({
      resourceType: 'RelatedPerson',
      id: rng.uuid(),
      active: true,
      patient: { reference: `Patient/${id}` },
      relationship: [{ coding: [{ system: SYSTEMS.roleCode, code: 'GUARD' }], text: guardian }],
      name: [{ family: rng.pick(FAMILY), given: [rng.pick([...FEMALE_GIVEN, ...MALE_GIVEN])] }],
      telecom: [{ system: 'phone', value: mobileNumber(rng), use: 'work' }],
    });
  }

  const staffIds = Array.from({ length: STAFF_PER_UNIT }, (_, k) => ids.staff(unit, k));
  const care = emitCare(
    {
      rng,
      patientId: id,
      index: i,
      asOf: ctx.asOf,
      unit,
      homeCare,
      isProtected,
      physician,
      nurseId: ids.nurse(parent),
      staffIds,
      edge: {
        htmlNote: i === EDGE_CASES.htmlNote,
        longNote: i === EDGE_CASES.longNote,
      },
    },
    emit,
  );
  emitMedication(
    {
      rng,
      patientId: id,
      asOf: ctx.asOf,
      physician,
      nurseId: ids.nurse(parent),
      staffIds,
      diabetic: care.diabetic,
      anticoagulated: care.anticoagulated,
      palliative: care.palliative,
      exactPatch: i === EDGE_CASES.exactDecimal,
      danglingRequester: i === EDGE_CASES.danglingReference,
      none: i === EDGE_CASES.noMedication,
    },
    emit,
  );
}
