/**
 * What changed since the previous copy, on real SQLite: two snapshot databases loaded from a
 * generated export and from a copy of it with known edits (a stopped order, a changed dosage
 * text, a new alert, a revised resuscitation decision, a move between units, a person removed,
 * a person added). Every other resident must show no change at all. Then the station source's
 * previous(), with real signed snapshots imported into a real station.
 */
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { DEFAULT_AS_OF, generate } from '../../src/generate/generate.ts';
import { messagesFor } from '../../src/i18n/messages.ts';
import { stationSnapshotSource } from '../../src/station/snapshot-source.ts';
import { openStation } from '../../src/station/station.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { getUnit } from '../../src/store/queries.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { CHANGE_SECTIONS, residentChanges, unitChanges } from '../../src/views/changes.ts';
import type { PageContext } from '../../src/web/layout.ts';
import { changeBadge, unitChangesSection } from '../../src/web/pages/changes.ts';
import { visibleText } from '../helpers/html-text.ts';
import { readType, type Res } from '../helpers/ndjson.ts';
import {
  build,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('changes');
let before: Db;
let after: Db;
let people: Res[];

const ref = (r: Res, key: string) => (r[key] as { reference?: string } | undefined)?.reference;
const subjectOf = (r: Res) =>
  (ref(r, 'subject') ?? ref(r, 'patient'))?.replace(/^Patient\//, '') ?? '';
const unitOf = (p: Res) => ref(p, 'managingOrganization')!.replace(/^Organization\//, '');
const isProtected = (p: Res) => JSON.stringify(p.meta ?? {}).includes('"R"');
const nameOf = (p: Res) => {
  const n = (p.name as { given: string[]; family: string }[])[0]!;
  return `${n.given.join(' ')} ${n.family}`.normalize('NFC');
};

/** The people and resources the edits touch, chosen from the generated data. */
const pick = {} as {
  unitA: string;
  unitB: string;
  stopped: Res;
  redosed: Res;
  stoppedFor: Res;
  alerted: Res;
  hlr: Res;
  hlrRequest: Res;
  hlrFlag: Res;
  moved: Res;
  removed: Res;
  hidden: Res;
  touched: Res;
  touchedObservation: Res;
};
const NEW_PATIENT = 'ny-person-1';
const NEW_FLAG = 'ny-flagga-1';
const NEW_DOSAGE = '1 tablett morgon och kväll (ändrad)';
const NEW_HLR_FLAG = 'Ställningstagande: ej hjärt-lungräddning (beslut 2026-11-26)';

/** Rewrite the export's files with `edit` per type and keep the manifest's counts right. */
function editExport(dir: string, edit: (type: string, lines: string[]) => string[]): void {
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as {
    output: { type: string; url: string; count: number }[];
  };
  for (const out of manifest.output) {
    const lines = edit(out.type, readType(dir, out.type).lines);
    writeFileSync(path.join(dir, out.url), lines.map((l) => `${l}\n`).join(''));
    out.count = lines.length;
  }
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
}

function chooseEdits(dir: string): void {
  people = readType(dir, 'Patient').resources;
  const orders = readType(dir, 'MedicationRequest').resources;
  const flags = readType(dir, 'Flag').resources;
  const requests = readType(dir, 'ServiceRequest').resources;
  const observations = readType(dir, 'Observation').resources;
  const hidden = people.find(isProtected)!;
  const units = [...new Set(people.map(unitOf))];
  pick.unitB = unitOf(hidden);
  pick.unitA = units.find((u) => u !== pick.unitB)!;
  const used = new Set<string>([hidden.id]);
  const take = (ok: (p: Res) => boolean) => {
    const p = people.find((x) => !used.has(x.id) && !isProtected(x) && ok(x))!;
    used.add(p.id);
    return p;
  };
  const activeOrders = (p: Res) =>
    orders.filter((o) => subjectOf(o) === p.id && o.status === 'active');
  const inA = (p: Res) => unitOf(p) === pick.unitA;
  pick.hidden = hidden;
  pick.stoppedFor = take((p) => inA(p) && activeOrders(p).length >= 2);
  [pick.stopped, pick.redosed] = activeOrders(pick.stoppedFor) as [Res, Res];
  pick.alerted = take(inA);
  const dnr = (p: Res) =>
    flags.find(
      (f) =>
        subjectOf(f) === p.id && f.status === 'active' && JSON.stringify(f.code).includes('"DNR"'),
    );
  pick.hlr = take((p) => dnr(p) !== undefined);
  pick.hlrFlag = dnr(pick.hlr)!;
  pick.hlrRequest = requests.find(
    (r) => subjectOf(r) === pick.hlr.id && JSON.stringify(r.code).includes('89666000'),
  )!;
  pick.moved = take(inA);
  pick.removed = take(inA);
  pick.touched = take((p) => inA(p) && observations.some((o) => subjectOf(o) === p.id));
  pick.touchedObservation = observations.find((o) => subjectOf(o) === pick.touched.id)!;
}

function applyEdits(dir: string): void {
  const { unitA, unitB } = pick;
  const json = (line: string) => JSON.parse(line) as Res;
  const idOf = (line: string) => json(line).id;
  editExport(dir, (type, lines) => {
    // The removed person and everything about them.
    let out = lines.filter((l) => !l.includes(pick.removed.id));
    const replace = (id: string, f: (line: string) => string) =>
      (out = out.map((l) => (idOf(l) === id ? f(l) : l)));
    const reunit = (from: string, to: string) => (l: string) =>
      l.replace(`"Organization/${from}"}`, `"Organization/${to}"}`);
    switch (type) {
      case 'MedicationRequest':
        replace(pick.stopped.id, (l) => l.replace('"status":"active"', '"status":"stopped"'));
        replace(pick.redosed.id, (l) => {
          const r = json(l);
          for (const d of r.dosageInstruction as { text: string }[]) d.text = NEW_DOSAGE;
          // Without a display text: the name comes from the Medication resource.
          delete (r.medicationReference as { display?: string }).display;
          return JSON.stringify(r);
        });
        out.push(
          JSON.stringify({
            resourceType: 'MedicationRequest',
            id: 'ny-ordination-1',
            status: 'active',
            intent: 'order',
            medicationReference: { reference: 'Medication/lm-paracetamol-500' },
            subject: { reference: `Patient/${NEW_PATIENT}` },
            dosageInstruction: [{ text: '1 g vid behov' }],
          }),
        );
        break;
      case 'Flag':
        out.push(
          JSON.stringify({
            resourceType: 'Flag',
            id: NEW_FLAG,
            status: 'active',
            code: { coding: [{ code: 'MRSA' }], text: 'Smitta: MRSA <b>bärare</b>' },
            subject: { reference: `Patient/${pick.alerted.id}` },
            period: { start: '2026-11-26' },
          }),
        );
        replace(pick.hlrFlag.id, (l) => {
          const f = json(l);
          (f.code as { text: string }).text = NEW_HLR_FLAG;
          f.period = { start: '2026-11-26' };
          return JSON.stringify(f);
        });
        break;
      case 'ServiceRequest':
        replace(pick.hlrRequest.id, (l) => {
          const r = json(l);
          r.authoredOn = '2026-11-26';
          r.reasonCode = [{ text: 'Omprövat efter samtal med patienten.' }];
          return JSON.stringify(r);
        });
        break;
      case 'Patient':
        replace(pick.moved.id, reunit(unitA, unitB));
        replace(pick.hidden.id, reunit(unitB, unitA));
        out.push(
          JSON.stringify({
            resourceType: 'Patient',
            id: NEW_PATIENT,
            identifier: [
              {
                system: 'http://electronichealth.se/identifier/personnummer',
                value: '189001019802',
              },
            ],
            name: [{ use: 'official', family: 'Nykomling', given: ['Nora'] }],
            managingOrganization: { reference: `Organization/${unitA}` },
          }),
        );
        break;
      case 'Observation':
        // Only the version and the key order differ: not a change in care.
        replace(pick.touchedObservation.id, (l) =>
          l.replace(
            `{"resourceType":"Observation","id":"${pick.touchedObservation.id}",`,
            `{"meta":{"versionId":"7","lastUpdated":"2026-11-27T04:00:00Z"},"id":"${pick.touchedObservation.id}","resourceType":"Observation",`,
          ),
        );
        break;
    }
    return out;
  });
}

async function load(dir: string, file: string): Promise<Db> {
  await loadBulkExport({
    sourceDir: dir,
    dbFile: file,
    now: new Date(DEFAULT_AS_OF),
    log: silentLogger,
  });
  return openReadOnly(file);
}

beforeAll(async () => {
  const a = path.join(root, 'export-a');
  const b = path.join(root, 'export-b');
  generate({ people: 30, seed: 'changes', outDir: a });
  cpSync(a, b, { recursive: true });
  chooseEdits(a);
  applyEdits(b);
  before = await load(a, path.join(root, 'a.sqlite'));
  after = await load(b, path.join(root, 'b.sqlite'));
  // The touched Observation really was rewritten (so "no change" below means something).
  expect(readType(b, 'Observation').lines.some((l) => l.startsWith('{"meta"'))).toBe(true);
}, 120_000);

afterAll(() => {
  before?.close();
  after?.close();
});

const unitName = (id: string) => getUnit(after, id)!.name;
const medName = (r: Res) => (r.medicationReference as { display: string }).display;
const dosageOf = (r: Res) => (r.dosageInstruction as { text: string }[])[0]!.text;

/** Every section empty except the ones given. */
function onlySections(changes: ReturnType<typeof residentChanges>, expected: object) {
  const empty = Object.fromEntries(CHANGE_SECTIONS.map((s) => [s, []]));
  expect(changes.sections).toEqual({ ...empty, ...expected });
}

describe('residentChanges', () => {
  it('names a stopped order and a changed dosage text, with the medicine name from the data', () => {
    const c = residentChanges(after, before, pick.stoppedFor.id);
    expect(c.newResident).toBe(false);
    onlySections(c, {
      medication: [
        {
          kind: 'removed',
          type: 'MedicationRequest',
          id: pick.stopped.id,
          label: medName(pick.stopped),
        },
        {
          kind: 'changed',
          type: 'MedicationRequest',
          id: pick.redosed.id,
          label: medName(pick.redosed),
          before: dosageOf(pick.redosed),
          after: NEW_DOSAGE,
        },
      ],
    });
    expect(c.count).toBe(2);
  });

  it('names a new alert with its text verbatim', () => {
    const c = residentChanges(after, before, pick.alerted.id);
    onlySections(c, {
      alerts: [{ kind: 'added', type: 'Flag', id: NEW_FLAG, label: 'Smitta: MRSA <b>bärare</b>' }],
    });
  });

  it('shows a revised resuscitation decision: the order with its new date, the flag before and after', () => {
    const c = residentChanges(after, before, pick.hlr.id);
    onlySections(c, {
      resuscitation: [
        {
          kind: 'changed',
          type: 'ServiceRequest',
          id: pick.hlrRequest.id,
          label: 'Hjärt-lungräddning (HLR)',
          date: '2026-11-26',
        },
        {
          kind: 'changed',
          type: 'Flag',
          id: pick.hlrFlag.id,
          label: NEW_HLR_FLAG,
          before: (pick.hlrFlag.code as { text: string }).text,
          after: NEW_HLR_FLAG,
        },
      ],
    });
  });

  it('shows a move to another unit as an identity change naming both units', () => {
    const c = residentChanges(after, before, pick.moved.id);
    onlySections(c, {
      identity: [
        {
          kind: 'changed',
          type: 'Patient',
          id: pick.moved.id,
          label: nameOf(pick.moved),
          field: 'unit',
          before: unitName(pick.unitA),
          after: unitName(pick.unitB),
        },
      ],
    });
  });

  it('marks a person who is not in the previous copy as new, listing nothing else', () => {
    const c = residentChanges(after, before, NEW_PATIENT);
    expect(c).toMatchObject({ newResident: true, count: 0 });
    onlySections(c, {});
  });

  it('lists a removed person as gone, with their active orders removed', () => {
    const c = residentChanges(after, before, pick.removed.id);
    expect(c.sections.identity).toEqual([
      { kind: 'removed', type: 'Patient', id: pick.removed.id, label: nameOf(pick.removed) },
    ]);
    const active = readType(path.join(root, 'export-a'), 'MedicationRequest').resources.filter(
      (o) => subjectOf(o) === pick.removed.id && o.status === 'active',
    );
    expect(c.sections.medication.map((i) => i.id).sort()).toEqual(active.map((o) => o.id).sort());
    expect(c.sections.medication.every((i) => i.kind === 'removed')).toBe(true);
  });

  it('finds no change for anyone else, including a resource whose version and key order changed', () => {
    const edited = new Set([
      pick.stoppedFor.id,
      pick.alerted.id,
      pick.hlr.id,
      pick.moved.id,
      pick.hidden.id,
      pick.removed.id,
    ]);
    const others = people.filter((p) => !edited.has(p.id));
    expect(others.map((p) => p.id)).toContain(pick.touched.id);
    for (const p of others) {
      const c = residentChanges(after, before, p.id);
      expect({ id: p.id, count: c.count, newResident: c.newResident }).toEqual({
        id: p.id,
        count: 0,
        newResident: false,
      });
    }
  });
});

describe('unitChanges', () => {
  it('lists new and departed residents and the medication changes of the unit', () => {
    const c = unitChanges(after, before, pick.unitA);
    const byId = <T extends { id: string }>(list: readonly T[]) =>
      [...list].sort((x, y) => x.id.localeCompare(y.id));
    expect(byId(c.newResidents)).toEqual(
      byId([
        { id: NEW_PATIENT, name: 'Nora Nykomling', room: null, from: 'new' },
        // Protected identity: the unit they came from is not named.
        { id: pick.hidden.id, name: nameOf(pick.hidden), room: null, from: 'moved' },
      ]),
    );
    expect(byId(c.departedResidents)).toEqual(
      byId([
        {
          id: pick.moved.id,
          name: nameOf(pick.moved),
          room: expect.any(String) as string,
          to: 'moved',
          toUnit: unitName(pick.unitB),
        },
        {
          id: pick.removed.id,
          name: nameOf(pick.removed),
          room: expect.any(String) as string,
          to: 'gone',
        },
      ]),
    );
    // The new person's order is not a "medication change": they are listed as new instead.
    expect(c.medication).toEqual([
      {
        id: pick.stoppedFor.id,
        name: nameOf(pick.stoppedFor),
        room: expect.any(String) as string,
        added: 0,
        removed: 1,
        changed: 1,
        items: residentChanges(after, before, pick.stoppedFor.id).sections.medication,
      },
    ]);
    expect(c.count).toBe(5);
  });

  it('names the unit a person moved from, but not the one a protected person moved to', () => {
    const c = unitChanges(after, before, pick.unitB);
    expect(c.newResidents).toEqual([
      {
        id: pick.moved.id,
        name: nameOf(pick.moved),
        room: expect.any(String) as string,
        from: 'moved',
        fromUnit: unitName(pick.unitA),
      },
    ]);
    expect(c.departedResidents).toEqual([
      { id: pick.hidden.id, name: nameOf(pick.hidden), room: null, to: 'moved' },
    ]);
    expect(c.medication).toEqual([]);
  });
});

describe('rendering', () => {
  const ctx = (lang: 'sv' | 'en'): PageContext => ({
    m: messagesFor(lang),
    nonce: 'n',
    timeZone: 'Europe/Stockholm',
    transactionTime: DEFAULT_AS_OF,
    freshness: { state: 'ok', ageMs: 0 },
  });

  it('renders a section badge in words, with the items listed and journal text escaped', async () => {
    const alerts = residentChanges(after, before, pick.alerted.id).sections.alerts;
    const sv = String(await changeBadge(ctx('sv'), alerts));
    expect(sv).toContain('<details class="changes-badge"');
    expect(sv).toContain('Smitta: MRSA &lt;b&gt;bärare&lt;/b&gt;');
    expect(visibleText(sv)).toContain(
      'Ändrat sedan förra kopian (1) Nytt: Smitta: MRSA <b>bärare</b>',
    );
    const med = residentChanges(after, before, pick.stoppedFor.id).sections.medication;
    const en = visibleText(String(await changeBadge(ctx('en'), med)));
    expect(en).toContain('Changed since the previous copy (2)');
    expect(en).toContain(`Stopped or removed: ${medName(pick.stopped)}`);
    expect(en).toContain(`Before: ${dosageOf(pick.redosed)} Now: ${NEW_DOSAGE}`);
    expect(changeBadge(ctx('sv'), [])).toBe('');
  });

  it('renders the unit section without naming where a protected person went', async () => {
    const text = visibleText(
      String(
        await unitChangesSection(ctx('sv'), unitChanges(after, before, pick.unitB), {
          previousTransactionTime: DEFAULT_AS_OF,
        }),
      ),
    );
    expect(text).toContain('Jämfört med kopian per 2026-11-27 06:00.');
    expect(text).toContain(`${nameOf(pick.moved)}`);
    expect(text).toContain(`flyttad hit från ${unitName(pick.unitA)}`);
    expect(text).toContain(`${nameOf(pick.hidden)} – flyttad till en annan enhet`);
    expect(text).not.toContain(`till ${unitName(pick.unitA)}`);
  });
});

/** Open file descriptors of this process that point into `dir` (Linux; empty elsewhere). */
function openFilesUnder(dir: string): string[] {
  if (!existsSync('/proc/self/fd')) return [];
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return [];
    }
  });
}

describe('previous() of the station snapshot source', () => {
  it('names the retained snapshot just below, reuses handles, and closes each when no longer needed', async () => {
    const dir = path.join(root, 'station-test');
    const exporter = makeExporter(path.join(dir, 'exporter'));
    const station = makeStation(path.join(dir, 'station'), exporter);
    const sourceDir = generatedSource(path.join(dir, 'export'), 12, 'prev');
    const snapshot = (seq: number) =>
      build({
        sourceDir,
        sequence: seq,
        exporter,
        recipients: [station.publicKey],
        out: path.join(dir, `s${seq}.rjsnap`),
      });
    const snapshotsDir = stationPaths(station.dataDir).snapshotsDir;
    const open = openStation(station.dataDir);
    const source = stationSnapshotSource(open);
    try {
      const id1 = (await importInto(station, await snapshot(1))).snapshotId;
      const first = source.current()!;
      expect(source.previous(first)).toBeUndefined();
      first.release!();

      const id2 = (await importInto(station, await snapshot(2))).snapshotId;
      const c2 = source.current()!;
      const p1 = source.previous(c2)!;
      expect([c2.info.snapshotId, p1.info.snapshotId]).toEqual([id2, id1]);
      // Same data in both copies: nothing changed for anyone.
      const someone = (c2.db.prepare('SELECT id FROM patient LIMIT 1').get() as { id: string }).id;
      expect(residentChanges(c2.db, p1.db, someone).count).toBe(0);
      // A second request shares the open handles.
      const c2b = source.current()!;
      const p1b = source.previous(c2b)!;
      expect([c2b.db, p1b.db]).toEqual([c2.db, p1.db]);
      c2b.release!();
      p1b.release!();

      // Keep 2: snapshot 1 is deleted (its file removed) while a request still holds it.
      const id3 = (await importInto(station, await snapshot(3), { keep: 2 })).snapshotId;
      const c3 = source.current()!;
      const p2 = source.previous(c3)!;
      expect([c3.info.snapshotId, p2.info.snapshotId]).toEqual([id3, id2]);
      // The previous copy is the handle the older request still holds, not a second one.
      expect(p2.db).toBe(c2.db);
      // The older request's own previous copy is gone from the station now.
      expect(source.previous(c2)).toBeUndefined();
      expect(p1.db.open).toBe(true);
      p1.release!();
      expect(p1.db.open).toBe(false);
      c2.release!();
      p2.release!();
      // Snapshot 2 is still the previous one of snapshot 3: asking again gives an open handle.
      const p2b = source.previous(c3)!;
      expect(p2b.info.snapshotId).toBe(id2);
      expect(p2b.db.open).toBe(true);
      p2b.release!();
      c3.release!();
      expect(c3.db.open).toBe(true);

      // A snapshot the control database does not know has no previous one.
      expect(source.previous({ db: c3.db, info: { ...c3.info, snapshotId: 'unknown' } })).toBe(
        undefined,
      );

      // A retained file that vanished (retention racing the request) means "no previous copy".
      const other = stationSnapshotSource(open);
      const c = other.current()!;
      rmSync(stationPaths(station.dataDir).snapshot(id2));
      expect(other.previous(c)).toBeUndefined();
      c.release!();
      other.close();
      expect(c.db.open).toBe(false);

      source.close();
      expect(c3.db.open).toBe(false);
      expect(p2b.db.open).toBe(false);
      expect(openFilesUnder(snapshotsDir)).toEqual([]);
    } finally {
      source.close();
      open.close();
    }
  }, 120_000);
});
