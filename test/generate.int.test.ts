import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTENSIONS, SYSTEMS } from '../src/core/fhir-systems.ts';
import {
  IDENTIFIER_SYSTEMS,
  parseIdentity,
  toSamordningsnummer,
} from '../src/core/personnummer.ts';
import { DEFAULT_AS_OF, generate, type BulkManifest } from '../src/generate/generate.ts';
import { loadTestPersonnummer } from '../src/generate/identities.ts';
import { fhirProblems } from './helpers/fhir-validator.ts';
import { readType, type Res } from './helpers/ndjson.ts';
import { tempDir } from './helpers/tmp.ts';

const PEOPLE = 300;
const root = tempDir('generate');
const dirA = path.join(root, 'a');
const asOf = new Date(DEFAULT_AS_OF);

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(path.join(dir, f)))
          .digest('hex'),
      ]),
  );
}

const all = (type: string): Res[] => readType(dirA, type).resources;
const lines = (type: string): string[] => readType(dirA, type).lines;

beforeAll(() => {
  generate({ people: PEOPLE, seed: 'test-seed', outDir: dirA });
});

describe('generate: the export folder', () => {
  it('gives identical bytes for the same seed and different bytes for another seed', () => {
    const dirB = path.join(root, 'b');
    const dirC = path.join(root, 'c');
    generate({ people: PEOPLE, seed: 'test-seed', outDir: dirB });
    generate({ people: PEOPLE, seed: 'other-seed', outDir: dirC });
    expect(digest(dirB)).toEqual(digest(dirA));
    expect(digest(dirC)['Patient.ndjson']).not.toBe(digest(dirA)['Patient.ndjson']);
  });

  it('writes a Bulk Data manifest whose outputs match the NDJSON files line for line', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(dirA, 'manifest.json'), 'utf8'),
    ) as BulkManifest;
    expect(manifest.transactionTime).toBe(asOf.toISOString());
    expect(manifest.request).toMatch(/\/\$export$/);
    expect(manifest.requiresAccessToken).toBe(false);
    expect(manifest.error).toEqual([]);
    const files = readdirSync(dirA)
      .filter((f) => f.endsWith('.ndjson'))
      .sort();
    expect(manifest.output.map((o) => o.url).sort()).toEqual(files);
    for (const o of manifest.output) {
      expect(o.url).toBe(`${o.type}.ndjson`);
      const { resources } = readType(dirA, o.type);
      expect(resources.length, o.type).toBe(o.count);
      expect(new Set(resources.map((r) => r.resourceType)), o.type).toEqual(new Set([o.type]));
    }
  });

  it('refuses to write into a folder that already has files unless forced', () => {
    expect(() => generate({ people: 1, seed: 'x', outDir: dirA })).toThrow(
      expect.objectContaining({ code: 'GENERATE_OUT_NOT_EMPTY' }),
    );
  });

  it('holds every resource type the station needs', () => {
    const types = readdirSync(dirA)
      .filter((f) => f.endsWith('.ndjson'))
      .map((f) => f.replace('.ndjson', ''));
    for (const t of [
      'Organization',
      'Location',
      'Practitioner',
      'PractitionerRole',
      'Patient',
      'RelatedPerson',
      'AllergyIntolerance',
      'Flag',
      'Condition',
      'Medication',
      'MedicationRequest',
      'MedicationAdministration',
      'CarePlan',
      'ServiceRequest',
      'RiskAssessment',
      'Observation',
      'Device',
      'DeviceUseStatement',
      'NutritionOrder',
      'Appointment',
      'DocumentReference',
      'Basic',
    ]) {
      expect(types, t).toContain(t);
    }
  });

  it('writes only valid FHIR R4 resources', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const f of readdirSync(dirA).filter((x) => x.endsWith('.ndjson'))) {
      for (const r of readType(dirA, f.replace('.ndjson', '')).resources) {
        checked++;
        for (const p of fhirProblems(r)) problems.push(`${r.resourceType}/${r.id} ${p}`);
      }
    }
    expect(checked).toBeGreaterThan(PEOPLE * 20);
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('has a validator that does report broken resources (so the check above can fail)', () => {
    expect(fhirProblems({ resourceType: 'Patient', id: 'x', birthDate: '1932-5' })).not.toEqual([]);
    expect(
      fhirProblems({ resourceType: 'MedicationRequest', id: 'x', status: 'active' }),
    ).not.toEqual([]);
  });
});

describe('generate: people and identities', () => {
  it('gives every Patient a test personnummer, a samordningsnummer derived from one, or a reserve number', () => {
    const list = new Set(loadTestPersonnummer());
    const derived = new Set([...list].map(toSamordningsnummer));
    const kinds = new Map<string, number>();
    for (const p of all('Patient')) {
      const ids = p.identifier as { system: string; value: string }[];
      expect(ids).toHaveLength(1);
      const { system, value } = ids[0]!;
      const parsed = parseIdentity(value, asOf);
      if (system === IDENTIFIER_SYSTEMS.personnummer)
        expect(list.has(parsed.normalized), value).toBe(true);
      else if (system === IDENTIFIER_SYSTEMS.samordningsnummer)
        expect(derived.has(value), value).toBe(true);
      else {
        expect(system).toBe(IDENTIFIER_SYSTEMS.reservnummer);
        expect(value).toMatch(/[A-Z]/);
      }
      kinds.set(system, (kinds.get(system) ?? 0) + 1);
    }
    expect(kinds.get(IDENTIFIER_SYSTEMS.samordningsnummer)).toBeGreaterThanOrEqual(1);
    expect(kinds.get(IDENTIFIER_SYSTEMS.reservnummer)).toBeGreaterThanOrEqual(1);
  });

  it('switches to reserve numbers once the test list runs out', () => {
    const dir = path.join(root, 'big');
    generate({ people: 2500, seed: 'big', outDir: dir });
    const reserve = readType(dir, 'Patient').resources.filter(
      (p) => (p.identifier as { system: string }[])[0]!.system === IDENTIFIER_SYSTEMS.reservnummer,
    );
    expect(reserve.length).toBeGreaterThan(500);
    expect(new Set(reserve.map((p) => (p.identifier as { value: string }[])[0]!.value)).size).toBe(
      reserve.length,
    );
  });

  it('uses Swedish names with å, ä and ö and home addresses for home-care clients', () => {
    const patients = all('Patient');
    const names = patients.map((p) => JSON.stringify(p.name));
    expect(names.some((n) => /[åäöÅÄÖ]/.test(n))).toBe(true);
    const withAddress = patients.filter((p) => Array.isArray(p.address));
    expect(withAddress.length).toBeGreaterThan(PEOPLE / 3);
    for (const p of withAddress)
      expect((p.managingOrganization as { reference: string }).reference).toMatch(/hemtjanst/);
  });
});

describe('generate: the municipality', () => {
  it('has at least two nursing homes with wards and rooms and two home-care groups, all with HSA-ids', () => {
    const orgs = all('Organization');
    const kind = (k: string) => orgs.filter((o) => JSON.stringify(o.type).includes(`"${k}"`));
    expect(kind('nursing-home').length).toBeGreaterThanOrEqual(2);
    expect(kind('ward').length).toBeGreaterThanOrEqual(4);
    expect(kind('home-care-group').length).toBeGreaterThanOrEqual(2);
    for (const o of orgs) expect(JSON.stringify(o.identifier)).toContain(IDENTIFIER_SYSTEMS.hsaId);
    const rooms = all('Location').filter((l) => JSON.stringify(l.physicalType).includes('"ro"'));
    expect(rooms.length).toBeGreaterThanOrEqual(2 * 3 * 12);
  });

  it('ties staff to units, some with a medication delegation', () => {
    const roles = all('PractitionerRole');
    expect(
      roles.every((r) =>
        (r.organization as { reference: string }).reference.startsWith('Organization/'),
      ),
    ).toBe(true);
    expect(
      roles.some((r) => JSON.stringify(r.extension ?? []).includes(EXTENSIONS.delegation)),
    ).toBe(true);
  });
});

describe('generate: clinical content', () => {
  it('writes medication orders with verbatim Swedish dosage text and structured timing of every kind', () => {
    const orders = all('MedicationRequest');
    const text = (r: Res) => JSON.stringify(r.dosageInstruction);
    expect(orders.some((r) => text(r).includes('"timeOfDay":["08:00:00"]'))).toBe(true);
    expect(
      orders.some(
        (r) => text(r).includes('asNeededCodeableConcept') && text(r).includes('maxDosePerPeriod'),
      ),
    ).toBe(true);
    expect(orders.some((r) => text(r).includes('"code":"[IU]"'))).toBe(true);
    expect(
      orders.some((r) => text(r).includes('Waran') || JSON.stringify(r).includes('warfarin')),
    ).toBe(true);
    expect(
      orders.some((r) => JSON.stringify(r.extension ?? []).includes(EXTENSIONS.doseDispensed)),
    ).toBe(true);
    expect(orders.some((r) => text(r).includes('vid behov'))).toBe(true);
  });

  it('records the last administrations before the export and visits for the next 72 hours', () => {
    const admins = all('MedicationAdministration');
    expect(admins.length).toBeGreaterThan(PEOPLE);
    for (const a of admins)
      expect(Date.parse(a.effectiveDateTime as string)).toBeLessThan(asOf.getTime());
    const visits = all('Appointment');
    for (const v of visits) {
      const start = Date.parse(v.start as string);
      expect(start).toBeGreaterThan(asOf.getTime());
      expect(start).toBeLessThanOrEqual(asOf.getTime() + 72 * 3600_000);
    }
    expect(visits.some((v) => (v.participant as unknown[]).length >= 3)).toBe(true);
  });

  it('writes resuscitation decisions with doNotPerform, physician, date and review date', () => {
    const decisions = all('ServiceRequest').filter((s) =>
      JSON.stringify(s.code).includes('89666000'),
    );
    expect(decisions.length).toBeGreaterThan(0);
    for (const d of decisions) {
      expect(d.doNotPerform).toBe(true);
      expect(d.authoredOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((d.requester as { reference: string }).reference).toMatch(/^Practitioner\//);
      expect(JSON.stringify(d.extension)).toContain(EXTENSIONS.reviewDate);
    }
  });

  it('has notes from the last seven days only, in Swedish', () => {
    const notes = all('DocumentReference');
    for (const n of notes) {
      const t = Date.parse(n.date as string);
      expect(t).toBeLessThan(asOf.getTime());
      expect(t).toBeGreaterThanOrEqual(asOf.getTime() - 7 * 24 * 3600_000);
    }
    const texts = notes.map((n) =>
      Buffer.from(
        (n.content as { attachment: { data: string } }[])[0]!.attachment.data,
        'base64',
      ).toString(),
    );
    expect(texts.some((t) => /natten|tillsyn|omläggning/i.test(t))).toBe(true);
  });

  it('includes alerts of each kind and key information only for home-care clients', () => {
    const flags = all('Flag').map((f) => JSON.stringify(f.code));
    for (const code of ['"DNR"', '"CHOKING"', '"PROTECTED"', '"ALLERGY"']) {
      expect(
        flags.some((f) => f.includes(code)),
        code,
      ).toBe(true);
    }
    const patients = new Map(all('Patient').map((p) => [`Patient/${p.id}`, p]));
    for (const b of all('Basic')) {
      const owner = patients.get((b.subject as { reference: string }).reference)!;
      expect((owner.managingOrganization as { reference: string }).reference).toMatch(/hemtjanst/);
      expect(JSON.stringify(b.meta)).toContain(SYSTEMS.confidentiality);
    }
  });
});

describe('generate: deliberate edge cases', () => {
  it('has a centenarian written with the + separator', () => {
    const p = all('Patient').find((x) =>
      (x.identifier as { value: string }[])[0]!.value.includes('+'),
    );
    expect(p).toBeDefined();
    expect(
      asOf.getUTCFullYear() - Number((p!.birthDate as string).slice(0, 4)),
    ).toBeGreaterThanOrEqual(100);
  });

  it('has a name written with combining characters', () => {
    expect(
      all('Patient').some(
        (p) => JSON.stringify(p.name) !== JSON.stringify(p.name).normalize('NFC'),
      ),
    ).toBe(true);
  });

  it('has a note with HTML and a script tag, and a very long note', () => {
    const texts = all('DocumentReference').map((n) =>
      Buffer.from(
        (n.content as { attachment: { data: string } }[])[0]!.attachment.data,
        'base64',
      ).toString(),
    );
    expect(texts.some((t) => t.includes('<script>'))).toBe(true);
    expect(Math.max(...texts.map((t) => t.length))).toBeGreaterThan(20_000);
  });

  it('writes a decimal as 0.010 in the raw text', () => {
    expect(lines('MedicationRequest').some((l) => l.includes('"value":0.010,'))).toBe(true);
  });

  it('has a partial birth date, a person without medication, a protected identity and a dangling reference', () => {
    const patients = all('Patient');
    expect(patients.some((p) => /^\d{4}-\d{2}$/.test(p.birthDate as string))).toBe(true);
    const medicated = new Set(
      all('MedicationRequest').map((r) => (r.subject as { reference: string }).reference),
    );
    expect(patients.some((p) => !medicated.has(`Patient/${p.id}`))).toBe(true);
    expect(patients.some((p) => JSON.stringify(p.meta ?? {}).includes('"code":"R"'))).toBe(true);
    const practitioners = new Set(all('Practitioner').map((p) => `Practitioner/${p.id}`));
    const requesters = all('MedicationRequest').map(
      (r) => (r.requester as { reference: string }).reference,
    );
    expect(requesters.some((r) => !practitioners.has(r))).toBe(true);
  });
});
