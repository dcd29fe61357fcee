/**
 * The unit page's view model and rendering, on real SQLite: a generated municipality (the
 * right people, the right flags for each, the round and the route checked against the export
 * itself) and a hand-written export with the odd cases and markup in every free-text field.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { messagesFor, type Lang } from '../../src/i18n/messages.ts';
import * as unitTexts from '../../src/i18n/catalog/unit.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { listResidents, listUnits } from '../../src/store/queries.ts';
import { localDateTime } from '../../src/views/local-time.ts';
import { buildUnitView, type FlagKind, type UnitView } from '../../src/views/unit.ts';
import { FLAG_KINDS } from '../../src/views/unit-flags.ts';
import { EVENT_TIMING_ORDER } from '../../src/views/unit-round.ts';
import { buildRoute } from '../../src/views/unit-route.ts';
import { ResourceReader, loadAppointments } from '../../src/views/unit-load.ts';
import { parseExact } from '../../src/core/exact-json.ts';
import { getResource } from '../../src/store/queries.ts';
import type { PageContext } from '../../src/web/layout.ts';
import { unitPage } from '../../src/web/pages/unit.ts';
import { html } from '../../src/web/html.ts';
import { visibleText } from '../helpers/html-text.ts';
import { readType, type Res } from '../helpers/ndjson.ts';
import { buildStationDb } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FX, writeUnitFixture } from './unit-fixture.ts';

const TZ = 'Europe/Stockholm';
/** 09:00 in Stockholm on Friday 2026-11-27, three hours after the export. */
const NOW = new Date('2026-11-27T08:00:00Z');

const root = tempDir('unit-view');
let db: Db;
let fx: Db;
let source: string;

beforeAll(async () => {
  source = await buildStationDb(path.join(root, 'generated'), 120, 'unit-view');
  db = openReadOnly(path.join(root, 'generated', 'station.sqlite'));
  const fixture = writeUnitFixture(path.join(root, 'fixture'));
  await loadBulkExport({
    sourceDir: fixture,
    dbFile: path.join(root, 'fixture.sqlite'),
    now: NOW,
    log: silentLogger,
  });
  fx = openReadOnly(path.join(root, 'fixture.sqlite'));
  return () => {
    db.close();
    fx.close();
  };
});

function view(d: Db, unitId: string, now = NOW, timeZone = TZ): UnitView {
  const v = buildUnitView(d, unitId, { now, timeZone });
  if (!v) throw new Error(`no unit ${unitId}`);
  return v;
}

function ctxFor(lang: Lang = 'sv'): PageContext {
  return {
    m: messagesFor(lang),
    nonce: 'test',
    timeZone: TZ,
    transactionTime: '2026-11-27T05:00:00.000Z',
    freshness: { state: 'ok', ageMs: 3 * 3600_000 },
  };
}

async function render(v: UnitView, lang: Lang = 'sv', changes?: ReturnType<typeof html>) {
  return String(await unitPage(ctxFor(lang), v, changes));
}

/** The generated export, read back: the oracle for the generated-data tests. */
const exported = (() => {
  let cache: Record<string, Res[]> | undefined;
  return (type: string): Res[] => {
    cache ??= {};
    return (cache[type] ??= readType(source, type).resources);
  };
})();

const patientOf = (r: Res) =>
  String(
    (r.subject ?? r.patient) ? ((r.subject ?? r.patient) as { reference: string }).reference : '',
  ).replace('Patient/', '');

const FLAG_CODE_KIND: Record<string, FlagKind> = {
  DNR: 'dnr',
  ALLERGY: 'allergy',
  MRSA: 'infection',
  ESBL: 'infection',
  CHOKING: 'choking',
  PALLIATIVE: 'palliative',
  THREAT: 'threat',
  PROTECTED: 'protected',
};

describe('unit view on generated data', () => {
  it('is undefined for a unit the snapshot does not hold', () => {
    expect(buildUnitView(db, 'no-such-unit', { now: NOW, timeZone: TZ })).toBeUndefined();
  });

  it('lists exactly the unit’s residents, in page order, as the audit needs them', () => {
    for (const u of listUnits(db)) {
      const v = view(db, u.id);
      expect(v.residents).toEqual(listResidents(db, u.id));
      expect(v.people.map((p) => p.patient)).toEqual(v.residents);
      for (const p of v.people) {
        if (p.patient.identNorm && /^\d{12}$/.test(p.patient.identNorm))
          expect(p.identityDisplay).toBe(
            `${p.patient.identNorm.slice(0, 8)}-${p.patient.identNorm.slice(8)}`,
          );
      }
    }
  });

  it('shows for each person exactly the flags the journal holds, DNR with its decision date', () => {
    const expected = new Map<string, Set<FlagKind>>();
    for (const f of exported('Flag')) {
      const code = (f.code as { coding: { code: string }[] }).coding[0]!.code;
      const kind = FLAG_CODE_KIND[code];
      if (!kind || f.status !== 'active') continue;
      const who = patientOf(f);
      expected.set(who, (expected.get(who) ?? new Set()).add(kind));
    }
    const decided = new Map(
      exported('ServiceRequest')
        .filter((s) => s.doNotPerform === true)
        .map((s) => [patientOf(s), String(s.authoredOn)]),
    );
    const seen = new Set<FlagKind>();
    for (const u of listUnits(db)) {
      for (const p of view(db, u.id).people) {
        const kinds = p.flags.map((f) => f.kind);
        kinds.forEach((k) => seen.add(k));
        expect(new Set(kinds), p.patient.nameDisplay).toEqual(
          expected.get(p.patient.id) ?? new Set(),
        );
        expect(kinds).toEqual(FLAG_KINDS.filter((k) => kinds.includes(k)));
        const dnr = p.flags.find((f) => f.kind === 'dnr');
        if (dnr) expect(dnr.decidedOn).toBe(decided.get(p.patient.id));
      }
    }
    // The data set is large enough for every kind the generator writes to occur.
    for (const k of ['dnr', 'allergy', 'infection', 'choking', 'protected'] as const)
      expect(seen).toContain(k);
  });

  it('puts every scheduled dose of today on the round in time order, PRN orders apart', () => {
    const requests = exported('MedicationRequest').filter((r) => r.status === 'active');
    type Instr = {
      text: string;
      asNeededCodeableConcept?: unknown;
      timing?: { repeat?: { timeOfDay?: string[]; dayOfWeek?: string[] } };
    };
    let weekendOrders = 0;
    for (const u of listUnits(db)) {
      const v = view(db, u.id);
      const people = new Set(v.residents.map((p) => p.id));
      const mine = requests.filter((r) => people.has(patientOf(r)));
      const times = v.round.slots.map((s) => s.time);
      expect(v.round.slots.every((s) => s.kind === 'clock')).toBe(true);
      expect(times).toEqual([...times].sort());
      expect(new Set(times).size).toBe(times.length);
      const inSlots = new Set(v.round.slots.flatMap((s) => s.doses.map((d) => d.requestId)));
      for (const r of mine) {
        const instr = r.dosageInstruction as Instr[];
        if (instr[0]!.asNeededCodeableConcept) {
          const prn = v.round.asNeeded.find((o) => o.requestId === r.id);
          expect(prn?.dosageText).toBe(instr[0]!.text);
          expect(inSlots.has(r.id)).toBe(false);
          continue;
        }
        expect(v.round.asNeeded.some((o) => o.requestId === r.id)).toBe(false);
        for (const d of instr) {
          const repeat = d.timing?.repeat ?? {};
          const today = !repeat.dayOfWeek || repeat.dayOfWeek.includes('fri');
          if (!today) weekendOrders++;
          for (const t of repeat.timeOfDay ?? []) {
            const slot = v.round.slots.find((s) => s.time === t.slice(0, 5));
            const dose = slot?.doses.find((x) => x.requestId === r.id);
            if (!today) expect(dose).toBeUndefined();
            else {
              expect(dose?.dosageText).toBe(d.text);
              const dd = (r.extension as { valueBoolean: boolean }[] | undefined)?.[0];
              expect(dose?.doseDispensed).toBe(dd?.valueBoolean);
            }
          }
        }
      }
      // Stopped orders never reach the round.
      const stopped = exported('MedicationRequest').filter(
        (r) => r.status !== 'active' && people.has(patientOf(r)),
      );
      for (const r of stopped) expect(inSlots.has(r.id)).toBe(false);
    }
    expect(weekendOrders).toBeGreaterThan(0);
  });

  it('takes "today" from the clock passed in, in the station’s time zone', () => {
    const lateFriday = new Date('2026-11-27T23:30:00Z');
    expect(view(db, listUnits(db)[0]!.id, lateFriday).today).toBe('2026-11-28');
    expect(view(db, listUnits(db)[0]!.id, lateFriday, 'UTC').today).toBe('2026-11-27');
  });

  it('gives a route for today and tomorrow to home-care groups only, in time order', () => {
    const appointments = exported('Appointment');
    let visits = 0;
    let double = 0;
    for (const u of listUnits(db)) {
      const v = view(db, u.id);
      if (u.kind !== 'home-care-group') {
        expect(v.route).toBeUndefined();
        expect(v.homeCare).toBe(false);
        continue;
      }
      expect(v.route?.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28']);
      const people = new Set(v.residents.map((p) => p.id));
      for (const day of v.route!) {
        const want = appointments.filter(
          (a) =>
            people.has(
              (a.participant as { actor: { reference: string } }[])[0]!.actor.reference.slice(8),
            ) && localDateTime(new Date(String(a.start)), TZ).date === day.date,
        );
        expect(day.visits.map((x) => x.id).sort()).toEqual(want.map((a) => a.id).sort());
        const times = day.visits.map((x) => x.time);
        expect(times).toEqual([...times].sort());
        for (const x of day.visits) {
          const a = want.find((w) => w.id === x.id)!;
          const staff = (a.participant as unknown[]).length - 1;
          expect(x.doubleStaffing).toBe(staff >= 2);
          expect(x.staff).toHaveLength(staff);
          visits++;
          if (x.doubleStaffing) double++;
        }
      }
    }
    expect(visits).toBeGreaterThan(0);
    expect(double).toBeGreaterThan(0);
  });

  it('never shows the address of a person with protected identity, in the view or the page', async () => {
    const hidden = exported('Patient').filter((p) =>
      ((p.meta as { security?: { code: string }[] } | undefined)?.security ?? []).some(
        (s) => s.code === 'R',
      ),
    );
    const homeCare = hidden.filter((p) => p.address);
    expect(homeCare.length).toBeGreaterThan(0);
    for (const p of homeCare) {
      const unit = (p.managingOrganization as { reference: string }).reference.slice(13);
      const v = view(db, unit);
      const person = v.people.find((x) => x.patient.id === p.id)!;
      expect(person.flags.map((f) => f.kind)).toContain('protected');
      const theirs = v.route!.flatMap((d) => d.visits).filter((x) => x.patient.id === p.id);
      expect(theirs.length).toBeGreaterThan(0);
      for (const x of theirs) {
        expect(x.protectedIdentity).toBe(true);
        expect(x.address).toBeUndefined();
      }
      const line = (p.address as { line: string[] }[])[0]!.line[0]!;
      const others = v.route!.flatMap((d) => d.visits).filter((x) => x.patient.id !== p.id);
      expect(others.some((x) => x.address?.includes(line))).toBe(false);
      const page = await render(v);
      expect(page).not.toContain(line);
      expect(page).toContain(messagesFor('sv').protectedAddress);
    }
  });

  it('renders flags with words, a legend for every flag, and no inline styles or images', async () => {
    const m = messagesFor('sv');
    for (const u of listUnits(db)) {
      const v = view(db, u.id);
      const page = await render(v);
      expect(page).not.toMatch(/\sstyle=/i);
      expect(page).not.toMatch(/<img|<script(?! nonce="test")|https?:\/\//i);
      const legend = /data-testid="flag-legend">([\s\S]*?)<\/section>/.exec(page)![1]!;
      for (const k of FLAG_KINDS) {
        expect(legend).toContain(`flag-${k}"`);
        expect(visibleText(legend)).toContain(m.unitFlags[k].label);
        expect(visibleText(legend)).toContain(m.unitFlags[k].legend);
      }
      const items = [...page.matchAll(/<li\s+class="flag flag-(\w+)"[^>]*>([\s\S]*?)<\/li>/g)];
      expect(items).toHaveLength(v.people.reduce((n, p) => n + p.flags.length, 0));
      for (const [, kind, inner] of items)
        expect(visibleText(inner!)).toContain(m.unitFlags[kind as FlagKind].label);
      expect(page.includes('data-testid="unit-route"')).toBe(v.homeCare);
    }
  });
});

describe('unit view on odd and hostile data', () => {
  it('reads every flag from wherever the journal keeps it, and only flags in force', () => {
    const v = view(fx, FX.ward);
    const flags = Object.fromEntries(v.people.map((p) => [p.patient.id, p.flags]));
    expect(flags[FX.p1]!.map((f) => f.kind)).toEqual([
      'dnrUndated',
      'allergy',
      'infection',
      'choking',
      'palliative',
    ]);
    expect(flags[FX.p1]!.find((f) => f.kind === 'infection')!.details).toEqual(['VRE']);
    expect(flags[FX.p2]).toEqual([{ kind: 'dnr', details: [], decidedOn: '2026-01-10' }]);
    expect(flags[FX.p3]).toEqual([{ kind: 'protected', details: [] }]);
    expect(view(fx, FX.group).people.find((p) => p.patient.id === FX.q1)!.flags).toEqual([
      { kind: 'protected', details: [] },
    ]);
  });

  it('places `when`, `event`, interval, bounded and weekday timings on the right day', () => {
    const v = view(fx, FX.ward);
    const slots = v.round.slots.map((s) => [s.time, s.doses.map((d) => d.requestId)]);
    expect(slots).toEqual([
      ['08:00', ['mr-two-times', 'mr-mixed']],
      ['MORN', ['mr-when']],
      ['12:00', ['mr-exact']],
      ['14:00', ['mr-event']],
      ['EVE', ['mr-when']],
      ['21:00', ['mr-two-times']],
    ]);
    expect(v.round.unscheduled.map((d) => d.requestId)).toEqual([
      'mr-every-2-days',
      'mr-no-dosage',
    ]);
    expect(v.round.asNeeded).toEqual([
      expect.objectContaining({
        requestId: 'mr-mixed',
        reason: 'smärta',
        dose: '1 tablett',
        maxPerPeriod: '2 tablett / 1 dygn',
        minIntervalHours: '4',
      }),
    ]);
    // Dose digits exactly as written.
    expect(v.round.slots[2]!.doses[0]!.dose).toBe('0.250 ml');
    const when = v.round.slots[1]!.doses[0]!;
    expect(when.medication).toBe(`Medicin ${FX.xss}`);
    expect(when.doseDispensed).toBe(true);
    expect(when.dosageText).toBe(`1 tablett morgon och kväll ${FX.xss}`);

    const saturday = view(fx, FX.ward, new Date('2026-11-27T23:30:00Z'));
    expect(saturday.round.date).toBe('2026-11-28');
    expect(saturday.round.slots.find((s) => s.time === '18:00')?.doses[0]?.requestId).toBe(
      'mr-weekend',
    );
    expect(saturday.round.slots.find((s) => s.time === '14:00')?.doses[0]?.requestId).toBe(
      'mr-event',
    );
  });

  it('builds the route on the local clock: cancelled and later visits left out', () => {
    const v = view(fx, FX.group);
    const route = v.route!.map((d) => [d.date, d.visits.map((x) => [x.time, x.id])]);
    expect(route).toEqual([
      [
        '2026-11-27',
        [
          ['08:30', 'v-protected'],
          ['09:00', 'v-text-double'],
        ],
      ],
      ['2026-11-28', [['02:00', 'v-utc-tomorrow']]],
    ]);
    const [prot, text] = v.route![0]!.visits;
    expect(prot).toMatchObject({
      protectedIdentity: true,
      address: undefined,
      doubleStaffing: true,
      staff: ['Siv Sund', 'Tor Tell'],
    });
    expect(text).toMatchObject({
      protectedIdentity: false,
      address: `${FX.q2Street}, 999 02 Exempelby`,
      doubleStaffing: true,
      services: ['Tillsyn'],
    });
    const utc = view(fx, FX.group, NOW, 'UTC').route!;
    expect(utc[1]!.visits.map((x) => x.time)).toEqual(['01:00']);
  });

  it('hides a protected address in the route even if a loader were to hand it over', () => {
    const residents = listResidents(fx, FX.group);
    const reader = new ResourceReader();
    const route = buildRoute({
      days: ['2026-11-27'],
      timeZone: TZ,
      residents,
      appointments: loadAppointments(fx, FX.group, '2026-11-26', '2026-11-29', reader),
      protectedIds: new Set([FX.q1]),
      patients: new Map(
        [FX.q1, FX.q2].map((id) => [id, parseExact(getResource(fx, 'Patient', id)!.raw)]),
      ),
      practitioners: new Map(),
    });
    const q1 = route[0]!.visits.find((x) => x.patient.id === FX.q1)!;
    expect(q1).toMatchObject({ protectedIdentity: true, address: undefined });
  });

  it('escapes every journal text and keeps the changes slot separate', async () => {
    for (const unit of [FX.ward, FX.group]) {
      const changes = html`<section data-testid="unit-changes">Ändringar</section>`;
      const page = await render(view(fx, unit), 'sv', changes);
      expect(page).not.toContain('<script>window');
      expect(page).not.toContain('<img');
      expect(page).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
      expect(page).toMatch(
        /<div class="unit-changes" data-testid="unit-changes-slot"><section data-testid="unit-changes">Ändringar<\/section><\/div>/,
      );
      expect(page).not.toContain(FX.q1Street);
      expect(page).not.toContain(FX.q2OldStreet);
    }
    const page = await render(view(fx, FX.group));
    expect(page).toContain(FX.q2Street);
    expect(await render(view(fx, FX.ward))).not.toContain('unit-changes-slot');
  });

  it('renders the undated decision as a call to check, never as "Ej HLR"', async () => {
    const m = messagesFor('sv');
    const page = await render(view(fx, FX.ward));
    const row = (id: string) =>
      new RegExp(`<tr data-patient="${id}">([\\s\\S]*?)</tr>`).exec(page)![1]!;
    expect(visibleText(row(FX.p1))).toContain(m.unitFlags.dnrUndated.label);
    expect(visibleText(row(FX.p1))).not.toContain(`${m.unitFlags.dnr.label} `);
    expect(visibleText(row(FX.p2))).toContain(`${m.unitFlags.dnr.label} (beslut 2026-01-10)`);
  });

  it('speaks English when asked, with the same structure', async () => {
    const en = messagesFor('en');
    const page = await render(view(fx, FX.ward), 'en');
    expect(page).toContain('<html lang="en">');
    expect(visibleText(page)).toContain(`${en.unitFlags.dnr.label} (decided 2026-01-10)`);
    expect(visibleText(page)).toContain(en.unitEventTiming.MORN);
    expect(visibleText(page)).toContain(en.unitPrnTitle);
    expect(page).not.toContain(messagesFor('sv').unitPrnTitle + '<');
  });
});

describe('unit catalogue', () => {
  it('names every event timing the round sorts, in both languages', () => {
    const codes = Object.keys(EVENT_TIMING_ORDER).sort();
    expect(Object.keys(unitTexts.sv.unitEventTiming).sort()).toEqual(codes);
    expect(Object.keys(unitTexts.en.unitEventTiming).sort()).toEqual(codes);
  });
});
