/**
 * Data minimisation on generated data: each station's folder holds exactly its units' people
 * (sub-units included), everything that references them, and the shared resources those need;
 * nothing of anyone else. The expectations are computed here from the source files by the
 * test's own reading, not by the partitioner's code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { partitionExport, type PartitionResult } from '../../src/exporter/partition.ts';
import { referencesOf } from '../../src/exporter/references.ts';
import { generate } from '../../src/generate/generate.ts';
import { writeExport } from '../helpers/export-fixture.ts';
import { tempDir } from '../helpers/tmp.ts';
import { readNdjson } from './fixture.ts';

type R = Record<string, unknown> & { resourceType: string; id: string };

const root = tempDir('partition');
const source = path.join(root, 'export');
const STATIONS = [
  { name: 'home1', units: ['sabo-1'] },
  { name: 'ward', units: ['sabo-2-avd-1'] },
  { name: 'mixed', units: ['hemtjanst-1', 'sabo-1-avd-2'] },
];
let result: PartitionResult;
const all: R[] = [];

function folder(dir: string): R[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) => readNdjson(path.join(dir, f)) as R[]);
}

const key = (r: R) => `${r.resourceType}/${r.id}`;

beforeAll(async () => {
  generate({ people: 300, seed: 'partition', outDir: source });
  all.push(...folder(source));
  result = await partitionExport(source, STATIONS, path.join(root, 'out'), { log: silentLogger });
});

/** The test's own reading of the unit tree: a unit and everything partOf it, at any depth. */
function unitsOf(units: readonly string[]): Set<string> {
  const parent = new Map<string, string | undefined>();
  for (const r of all.filter((r) => r.resourceType === 'Organization'))
    parent.set(r.id, ((r.partOf as { reference?: string })?.reference ?? '').split('/')[1]);
  const covered = (id: string): boolean => {
    for (let at: string | undefined = id; at !== undefined; at = parent.get(at))
      if (units.includes(at)) return true;
    return false;
  };
  return new Set([...parent.keys()].filter(covered));
}

function peopleOf(units: Set<string>): Set<string> {
  return new Set(
    all
      .filter((r) => r.resourceType === 'Patient')
      .filter((r) =>
        units.has(((r.managingOrganization as { reference?: string })?.reference ?? '').slice(13)),
      )
      .map((r) => r.id),
  );
}

describe.each(STATIONS)('station $name', (station) => {
  const units = () => unitsOf(station.units);
  const out = () => folder(path.join(root, 'out', station.name));

  it('gets exactly the people of its units and their sub-units', () => {
    const expected = peopleOf(units());
    expect(expected.size).toBeGreaterThan(5);
    const got = out().filter((r) => r.resourceType === 'Patient');
    expect(new Set(got.map((r) => r.id))).toEqual(expected);
    expect(got).toHaveLength(expected.size);
    expect(result.shares.find((s) => s.name === station.name)!.people).toBe(expected.size);
  });

  it('holds nothing that names anyone else, and everything that names its people', () => {
    const mine = peopleOf(units());
    const patientRefs = (r: R) =>
      referencesOf(r)
        .filter((k) => k.startsWith('Patient/'))
        .map((k) => k.slice(8));
    for (const r of out())
      for (const p of patientRefs(r)) expect(mine.has(p), `${key(r)} names ${p}`).toBe(true);
    const expected = all.filter(
      (r) => r.resourceType !== 'Patient' && patientRefs(r).some((p) => mine.has(p)),
    );
    const got = new Set(out().map(key));
    for (const r of expected) expect(got.has(key(r)), key(r)).toBe(true);
  });

  it('includes its units, their sub-units and ancestors, and their staff and places', () => {
    const got = out();
    const orgs = new Set(got.filter((r) => r.resourceType === 'Organization').map((r) => r.id));
    for (const u of units()) expect(orgs.has(u), u).toBe(true);
    expect(orgs.has('kommun')).toBe(true);
    const roles = got.filter((r) => r.resourceType === 'PractitionerRole');
    const owned = all.filter(
      (r) =>
        r.resourceType === 'PractitionerRole' &&
        units().has(((r.organization as { reference?: string }).reference ?? '').slice(13)),
    );
    expect(owned.length).toBeGreaterThan(0);
    for (const r of owned)
      expect(
        roles.some((g) => g.id === r.id),
        r.id,
      ).toBe(true);
    // Other stations' units are not in it (only ancestors and referenced organisations are).
    const others = new Set(
      STATIONS.filter((s) => s.name !== station.name).flatMap((s) => [...unitsOf(s.units)]),
    );
    const ancestorsOrReferenced = new Set(
      got.flatMap((r) => referencesOf(r)).filter((k) => k.startsWith('Organization/')),
    );
    for (const id of orgs)
      if (others.has(id) && !units().has(id))
        expect(ancestorsOrReferenced.has(`Organization/${id}`), id).toBe(true);
  });

  it('resolves every reference that resolved in the source', () => {
    const got = out();
    const have = new Set(got.map(key));
    const inSource = new Set(all.map(key));
    const dangling = got
      .flatMap((r) => referencesOf(r))
      .filter((k) => !have.has(k) && inSource.has(k));
    expect(dangling).toEqual([]);
    // Shared resources are there because something needs them: the referenced practitioners
    // and medicines are present.
    expect(got.some((r) => r.resourceType === 'Practitioner')).toBe(true);
    expect(got.some((r) => r.resourceType === 'Medication')).toBe(true);
  });

  it('holds a shared resource only when something in it points at it or owns it', () => {
    const got = out();
    const referenced = new Set(got.flatMap((r) => referencesOf(r)));
    const orgs = new Set(got.filter((r) => r.resourceType === 'Organization').map(key));
    const ownUnits = new Set([...units()].map((u) => `Organization/${u}`));
    const owner = (r: R) =>
      ((r.organization ?? r.managingOrganization) as { reference?: string } | undefined)?.reference;
    const shared = got.filter((r) => !referencesOf(r).some((k) => k.startsWith('Patient/')));
    expect(shared.length).toBeGreaterThan(0);
    for (const r of shared) {
      const why =
        referenced.has(key(r)) ||
        ownUnits.has(key(r)) ||
        (r.resourceType === 'Organization' && r.id === 'kommun') ||
        orgs.has(owner(r) ?? '');
      expect(why, key(r)).toBe(true);
    }
    // The medicine catalogue is not copied whole: only what this station's orders name.
    const named = [...referenced].filter((k) => k.startsWith('Medication/'));
    expect(
      got
        .filter((r) => r.resourceType === 'Medication')
        .map(key)
        .sort(),
    ).toEqual(named.sort());
  });

  it('writes a Bulk Data manifest whose counts match the files', () => {
    const dir = path.join(root, 'out', station.name);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      transactionTime: string;
      output: { type: string; url: string; count: number }[];
    };
    expect(manifest.transactionTime).toBe('2026-11-27T05:00:00.000Z');
    for (const o of manifest.output)
      expect(readNdjson(path.join(dir, o.url)), o.type).toHaveLength(o.count);
  });
});

describe('partition edge cases', () => {
  const org = (id: string, parent?: string) =>
    JSON.stringify({
      resourceType: 'Organization',
      id,
      ...(parent && { partOf: { reference: `Organization/${parent}` } }),
    });
  const patient = (id: string, unit: string) =>
    JSON.stringify({
      resourceType: 'Patient',
      id,
      managingOrganization: { reference: `Organization/${unit}` },
    });

  it('keeps lines byte for byte, follows absolute references, and sends a shared record to both', async () => {
    const weight =
      '{"resourceType":"Observation","id":"o1","subject":{"reference":"https://journal.example/fhir/Patient/p1/_history/3"},"valueQuantity":{"value":0.010}}';
    const visit =
      '{"resourceType":"Appointment","id":"a1","participant":[{"actor":{"reference":"Patient/p1"}},{"actor":{"reference":"Patient/p2"}}]}';
    const dir = writeExport(path.join(root, 'inline'), {
      Organization: [org('top'), org('u1', 'top'), org('u2', 'top')],
      Patient: [patient('p1', 'u1'), patient('p2', 'u2'), patient('p3', 'nowhere')],
      Observation: [weight],
      Appointment: [visit],
    });
    const r = await partitionExport(
      dir,
      [
        { name: 's1', units: ['u1'] },
        { name: 's2', units: ['u2'] },
      ],
      path.join(root, 'inline-out'),
      { log: silentLogger },
    );
    expect(r.unassignedPeople).toBe(1);
    const s1 = path.join(root, 'inline-out', 's1');
    expect(readFileSync(path.join(s1, 'Observation.ndjson'), 'utf8')).toBe(weight + '\n');
    expect(readFileSync(path.join(s1, 'Appointment.ndjson'), 'utf8')).toBe(visit + '\n');
    expect(readFileSync(path.join(root, 'inline-out', 's2', 'Appointment.ndjson'), 'utf8')).toBe(
      visit + '\n',
    );
    expect(existsSync(path.join(root, 'inline-out', 's2', 'Observation.ndjson'))).toBe(false);
  });

  it('refuses a unit that matches no Organization before writing anything, naming it', async () => {
    const out = path.join(root, 'unknown-out');
    await expect(
      partitionExport(
        source,
        [
          { name: 'ok', units: ['sabo-1'] },
          { name: 'typo', units: ['sabo-1', 'sabo-99'] },
        ],
        out,
        { log: silentLogger },
      ),
    ).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      details: [
        'station typo: unit "sabo-99" matches no Organization in the export',
        'check the station units against the Organization ids of the export',
      ],
    });
    expect(existsSync(out)).toBe(false);
  });

  it('names the file and line of a resource it cannot read', async () => {
    const dir = writeExport(path.join(root, 'broken'), {
      Organization: [org('u1')],
      Patient: [patient('p1', 'u1')],
      Observation: ['{"resourceType":"Observation","id":"o1"}', '{"resourceType":'],
    });
    await expect(
      partitionExport(dir, [{ name: 's', units: ['u1'] }], path.join(root, 'broken-out'), {
        log: silentLogger,
      }),
    ).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      details: ['Observation.ndjson line 2: not valid JSON'],
    });
  });
});
