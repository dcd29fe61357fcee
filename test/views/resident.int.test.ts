/**
 * The resident view model and page on a real station database: generated people (with the edge
 * cases of src/generate/person.ts) loaded into real SQLite, plus a few planted resources the
 * generator does not write (an undated resuscitation decision, Senior Alert measures as a care
 * plan, a rehabilitation plan with a goal, types the station has no section for, markup in
 * places it must stay text). Assertions are on the view model and on the rendered HTML.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { freshness } from '../../src/core/freshness.ts';
import { EXTENSIONS, SYSTEMS } from '../../src/core/fhir-systems.ts';
import { DEFAULT_AS_OF, generate, type BulkManifest } from '../../src/generate/generate.ts';
import { EDGE_CASES } from '../../src/generate/person.ts';
import { en, sv } from '../../src/i18n/messages.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { buildResidentView, type ResidentView } from '../../src/views/resident.ts';
import type { PageContext } from '../../src/web/layout.ts';
import { residentPage } from '../../src/web/pages/resident.ts';
import { visibleText } from '../helpers/html-text.ts';
import { tempDir } from '../helpers/tmp.ts';

const PEOPLE = 40;
/** A home-care client without an edge case: the planted resources are theirs. */
const TARGET = 12;
const NOW = new Date('2026-11-27T08:00:00Z');

let db: Db;
let sourceDir: string;
let patientIds: string[];
let target: string;

function lines(type: string): string[] {
  try {
    return readFileSync(path.join(sourceDir, `${type}.ndjson`), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
  } catch {
    return [];
  }
}

/** Raw resources of one type that belong to a patient (by subject, patient or participant). */
function rawOf(type: string, patientId: string): string[] {
  return lines(type).filter((l) => l.includes(`"Patient/${patientId}"`));
}

/** Append NDJSON lines (written as text, so decimals keep their digits) and fix the manifest. */
function plant(type: string, resources: string[]): void {
  appendFileSync(path.join(sourceDir, `${type}.ndjson`), resources.map((r) => `${r}\n`).join(''));
  const file = path.join(sourceDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BulkManifest;
  const out = manifest.output.find((o) => o.type === type);
  if (out) (out as { count: number }).count += resources.length;
  else manifest.output.push({ type, url: `${type}.ndjson`, count: resources.length });
  writeFileSync(file, JSON.stringify(manifest, null, 2));
}

function plantAll(p: string): void {
  const subject = `{"reference":"Patient/${p}"}`;
  const regime = (code: string) => `{"coding":[{"system":"${SYSTEMS.regime}","code":"${code}"}]}`;
  plant('ServiceRequest', [
    // A resuscitation decision whose date is missing from the copy.
    `{"resourceType":"ServiceRequest","id":"plant-hlr-undated","status":"active","intent":"order","doNotPerform":true,"code":{"coding":[{"system":"${SYSTEMS.snomed}","code":"89666000"}],"text":"HLR"},"subject":${subject},"requester":{"display":"Doktor Odaterad"}}`,
    // Another limit of treatment, with its physician and dates.
    `{"resourceType":"ServiceRequest","id":"plant-limit","extension":[{"url":"${EXTENSIONS.reviewDate}","valueDate":"2027-10-01"}],"status":"active","intent":"order","category":[${regime('HSL')}],"doNotPerform":true,"code":{"text":"Inläggning på sjukhus"},"subject":${subject},"authoredOn":"2026-10-01","requester":{"display":"Doktor Gräns"}}`,
  ]);
  plant('RiskAssessment', [
    `{"resourceType":"RiskAssessment","id":"plant-risk","status":"final","code":{"text":"Riskbedömning blåsa (planterad)"},"subject":${subject},"occurrenceDateTime":"2026-11-01","prediction":[{"outcome":{"text":"Blåsproblem"},"qualitativeRisk":{"coding":[{"system":"${SYSTEMS.riskProbability}","code":"high"}]}}]}`,
  ]);
  plant('CarePlan', [
    `{"resourceType":"CarePlan","id":"plant-measures","status":"active","intent":"plan","category":[{"text":"Senior Alert – åtgärder"}],"subject":${subject},"supportingInfo":[{"reference":"RiskAssessment/plant-risk"}],"activity":[{"detail":{"status":"in-progress","description":"Toalettbesök var 3:e timme nattetid"}}]}`,
    `{"resourceType":"CarePlan","id":"plant-rehab","status":"active","intent":"plan","category":[{"coding":[{"system":"${SYSTEMS.carePlanKind}","code":"rehabplan"}],"text":"Rehabiliteringsplan"}],"title":"Rehabiliteringsplan","subject":${subject},"period":{"start":"2026-09-01"},"goal":[{"reference":"Goal/plant-goal"}],"activity":[{"detail":{"status":"in-progress","description":"Gångträning två gånger dagligen","scheduledString":"kl 10 och 16"}}]}`,
  ]);
  plant('Goal', [
    `{"resourceType":"Goal","id":"plant-goal","lifecycleStatus":"active","description":{"text":"Kunna gå till matsalen med rollator"},"subject":${subject},"target":[{"dueDate":"2027-02-01"}]}`,
  ]);
  plant('Observation', [
    `{"resourceType":"Observation","id":"plant-inr","status":"final","code":{"coding":[{"system":"${SYSTEMS.loinc}","code":"6301-6"}],"text":"PK(INR)"},"subject":${subject},"effectiveDateTime":"2026-11-26T09:00:00+01:00","valueQuantity":{"value":2.50,"unit":"INR","system":"${SYSTEMS.ucum}","code":"{INR}"}}`,
    `{"resourceType":"Observation","id":"plant-inr-old","status":"final","code":{"coding":[{"system":"${SYSTEMS.loinc}","code":"6301-6"}],"text":"PK(INR)"},"subject":${subject},"effectiveDateTime":"2026-11-25T09:00:00+01:00","valueQuantity":{"value":3.10,"unit":"INR"}}`,
    `{"resourceType":"Observation","id":"plant-bp","status":"final","code":{"text":"Blodtryck"},"subject":${subject},"effectiveDateTime":"2026-11-26T10:00:00+01:00","component":[{"code":{"text":"Systoliskt"},"valueQuantity":{"value":142,"unit":"mmHg"}},{"code":{"text":"Diastoliskt"},"valueQuantity":{"value":88,"unit":"mmHg"}}]}`,
  ]);
  plant('DocumentReference', [
    `{"resourceType":"DocumentReference","id":"plant-note-html","status":"current","type":{"text":"Journalanteckning"},"category":[${regime('HSL')}],"subject":${subject},"date":"2026-11-26T20:00:00Z","content":[{"attachment":{"contentType":"text/html","data":"${Buffer.from('<p>Ring <b>läkaren</b></p><script>window.__xss=9</script>').toString('base64')}"}}]}`,
  ]);
  // Types with no section of their own: listed generically, never from text.div.
  plant('Consent', [
    `{"resourceType":"Consent","id":"plant-consent","status":"active","text":{"status":"generated","div":"<div xmlns=\\"http://www.w3.org/1999/xhtml\\"><b>DIVTEXT</b><script>window.__xss=7</script></div>"},"scope":{"text":"Informationsdelning"},"category":[{"text":"Samtycke"}],"patient":${subject},"dateTime":"2026-05-05"}`,
  ]);
  plant('Trygghetskamera', [
    `{"resourceType":"Trygghetskamera","id":"plant-cam","status":"active","subject":${subject},"date":"2026-11-20","description":"Kamera i hallen <img src=x onerror=\\"window.__xss=3\\">"}`,
  ]);
  plant('Basic', [
    `{"resourceType":"Basic","id":"plant-basic","code":{"text":"Önskemål om musik vid vård i livets slut"},"subject":${subject},"created":"2026-01-10"}`,
  ]);
}

beforeAll(async () => {
  const dir = tempDir('resident-view');
  sourceDir = path.join(dir, 'export');
  // A seed whose first 40 people include a palliative person and texture-modified diets.
  generate({ people: PEOPLE, seed: 'resident', outDir: sourceDir });
  // Person i is line i of Patient.ndjson: the generator writes people in index order.
  patientIds = lines('Patient').map((l) => (JSON.parse(l) as { id: string }).id);
  target = patientIds[TARGET]!;
  plantAll(target);
  await loadBulkExport({
    sourceDir,
    dbFile: path.join(dir, 'station.sqlite'),
    now: new Date(DEFAULT_AS_OF),
    log: silentLogger,
  });
  db = openReadOnly(path.join(dir, 'station.sqlite'));
}, 120_000);
afterAll(() => db?.close());

function view(id: string): ResidentView {
  const v = buildResidentView(db, id, { now: NOW });
  if (!v) throw new Error(`no resident ${id}`);
  return v;
}

async function render(
  id: string,
  options: { mayViewKeys?: boolean; lang?: 'sv' | 'en' } = {},
): Promise<string> {
  const ctx: PageContext = {
    m: options.lang === 'en' ? en : sv,
    nonce: 'test-nonce',
    timeZone: 'Europe/Stockholm',
    transactionTime: DEFAULT_AS_OF,
    freshness: freshness(DEFAULT_AS_OF, NOW, { warningHours: 14, criticalHours: 26 }),
  };
  return String(await residentPage(ctx, view(id), { mayViewKeys: options.mayViewKeys ?? false }));
}

/** The HTML of one section, by its id (`<section … data-section="id">`). */
function sectionOf(html: string, id: string): string {
  const at = html.indexOf(`data-section="${id}"`);
  if (at === -1) return '';
  const start = html.indexOf('>', at) + 1;
  const end = html.indexOf('</section>', start);
  return html.slice(start, end);
}

function people(where: (raw: Record<string, string[]>, id: string) => boolean): string[] {
  const types = ['ServiceRequest', 'Device', 'Appointment', 'NutritionOrder', 'Basic'];
  const byType = Object.fromEntries(types.map((t) => [t, lines(t)]));
  return patientIds.filter((id) =>
    where(
      Object.fromEntries(
        types.map((t) => [t, byType[t]!.filter((l) => l.includes(`"Patient/${id}"`))]),
      ),
      id,
    ),
  );
}

describe('the resident page', () => {
  it('shows the sections in the order of the issue', async () => {
    const html = await render(target);
    const order = [...html.matchAll(/<h2 id="h-([a-z]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([
      'identity',
      'alerts',
      'hlr',
      'palliative',
      'med',
      'risks',
      'care',
      'notes',
      'contacts',
      'devices',
      'visits',
      'obs',
      ...(view(target).diet.length > 0 ? ['diet'] : []),
      'diagnoses',
      'other',
    ]);
    // Every section is labelled by its heading.
    for (const id of order) expect(html).toContain(`aria-labelledby="h-${id}"`);
  });

  it('never carries or shows the address of a person with protected identity', async () => {
    const id = patientIds[EDGE_CASES.protectedIdentity]!;
    const raw = JSON.parse(lines('Patient')[EDGE_CASES.protectedIdentity]!) as {
      address: { line: string[]; postalCode: string }[];
    };
    const street = raw.address[0]!.line[0]!;
    const v = view(id);
    expect(v.patient.protected).toBe(1);
    expect(v.address).toBeUndefined();
    expect(v.phone).toBeUndefined();
    for (const lang of ['sv', 'en'] as const) {
      const html = await render(id, { lang, mayViewKeys: true });
      expect(html).not.toContain(street);
      expect(html).not.toContain(raw.address[0]!.postalCode);
    }
    expect(visibleText(await render(id))).toContain('Skyddad identitet – adressen visas inte');
    // Someone without protection does get their address.
    const open = patientIds[TARGET]!;
    const openRaw = JSON.parse(lines('Patient')[TARGET]!) as { address: { line: string[] }[] };
    expect(await render(open)).toContain(openRaw.address[0]!.line[0]!);
  });

  it('shows alerts and allergies, the dangerous allergies marked', async () => {
    const id = patientIds.find((p) =>
      rawOf('AllergyIntolerance', p).some((l) => l.includes('"criticality":"high"')),
    )!;
    const v = view(id);
    const high = v.alerts.find((a) => a.kind === 'allergy' && a.criticality === 'high')!;
    expect(high.text).not.toBe('');
    const text = visibleText(sectionOf(await render(id), 'alerts'));
    expect(text).toContain(`${high.text} – ${high.detail!} Allvarlig reaktion`);
  });

  it('shows a resuscitation decision with its physician, date and review date, and an undated one as not valid', async () => {
    const dated = people((r) =>
      r.ServiceRequest!.some((l) => l.includes('89666000') && l.includes('"doNotPerform":true')),
    )[0]!;
    const d = view(dated).resuscitation[0]!;
    expect(d).toMatchObject({ doNotPerform: true, dated: true, reviewOverdue: false });
    expect(d.physician).toMatch(/\S+ \S+/);
    expect(visibleText(sectionOf(await render(dated), 'hlr'))).toMatch(
      /Ej HLR Beslutat av \S+ \S+ Datum \d{4}-\d{2}-\d{2} Omprövas senast \d{4}-\d{2}-\d{2}/,
    );

    const undated = view(target).resuscitation.find((x) => x.physician === 'Doktor Odaterad')!;
    expect(undated.dated).toBe(false);
    const hlr = sectionOf(await render(target), 'hlr');
    const block = hlr.slice(hlr.indexOf('>', hlr.indexOf('class="decision undated"')) + 1);
    expect(visibleText(block)).toMatch(
      /^Ett ställningstagande finns men saknar beslutsdatum i kopian\. Det kan inte följas: utan daterat beslut gäller att HLR ska ges\./,
    );
    expect(visibleText(block.slice(0, block.indexOf('</div>')))).not.toContain('Ej HLR');
    // Other limits of treatment, with the same physician and dates.
    expect(visibleText(hlr)).toContain(
      'Ska inte ges/göras: Inläggning på sjukhus Beslutat av Doktor Gräns Datum 2026-10-01 Omprövas senast 2027-10-01',
    );
  });

  it('shows palliative status with the as-needed injections', async () => {
    const id = patientIds.find((p) =>
      lines('Flag').some((l) => l.includes(`"Patient/${p}"`) && l.includes('"PALLIATIVE"')),
    )!;
    const v = view(id);
    expect(v.palliative.active).toBe(true);
    expect(v.palliative.injections.map((i) => i.route)).toContain('Subkutan');
    const text = visibleText(sectionOf(await render(id), 'palliative'));
    expect(text).toContain('Vid behovs-injektioner');
    expect(text).toContain(v.palliative.injections[0]!.dosageText);
    expect(visibleText(sectionOf(await render(target), 'palliative'))).toBe(
      'Palliativ vård Ingen palliativ vård registrerad i denna kopia.',
    );
  });

  it('lists medication with the dosage text verbatim, exact decimals, PRN rules and the last dose', async () => {
    const id = patientIds[EDGE_CASES.exactDecimal]!;
    const v = view(id);
    const patch = v.medications.find((m) => m.doses.some((d) => d.includes('0.010 mg/h')))!;
    expect(patch).toBeDefined();
    const raw = rawOf('MedicationRequest', id).find((l) => l.includes(`"id":"${patch.id}"`))!;
    expect(raw).toContain(`"text":${JSON.stringify(patch.dosageText)}`);
    const html = await render(id);
    const med = visibleText(sectionOf(html, 'med'));
    expect(med).toContain('0.010 mg/h');
    expect(med).toContain(patch.dosageText);
    expect(med).toContain(
      'Doser som getts efter att kopian togs finns inte här. Kontrollera signeringslistan på papper.',
    );
    // Each regular order carries its last documented administration before the export.
    for (const m of v.medications.filter((x) => x.asNeeded === null))
      expect(m.lastAdministration?.at, m.name).toBeDefined();

    const prn = patientIds
      .flatMap((p) => view(p).medications.map((m) => ({ p, m })))
      .find(({ m }) => m.asNeeded?.maxPerPeriod !== undefined)!;
    const prnText = visibleText(sectionOf(await render(prn.p), 'med'));
    expect(prnText).toContain(`Vid behov : ${prn.m.asNeeded!.reason!}`);
    expect(prnText).toContain(`Högst ${prn.m.asNeeded!.maxPerPeriod!}`);
  });

  it('says so when a person has no medication', async () => {
    const id = patientIds[EDGE_CASES.noMedication]!;
    expect(view(id).medications).toEqual([]);
    expect(visibleText(sectionOf(await render(id), 'med'))).toContain(
      'Inga aktiva läkemedelsordinationer i denna kopia.',
    );
  });

  it('shows risks with their measures first: the assessment’s own and a linked Senior Alert plan', async () => {
    const v = view(target);
    const planted = v.risks.risks.find((r) => r.id === 'plant-risk')!;
    expect(planted).toMatchObject({ outcome: 'Blåsproblem', level: 'high' });
    expect(planted.plans.map((p) => p.activities[0]!.text)).toEqual([
      'Toalettbesök var 3:e timme nattetid',
    ]);
    // The measure plan belongs to the risk, not to the care plans.
    expect(v.care.plans.map((p) => p.id)).not.toContain('plant-measures');
    expect(v.risks.measurePlans).toEqual([]);
    // High risks come first.
    expect(v.risks.risks[0]!.level).toBe('high');

    const html = sectionOf(await render(target), 'risks');
    const block = html.slice(html.indexOf('Blåsproblem'));
    expect(visibleText(block)).toMatch(
      /^Blåsproblem – hög risk Åtgärder: Senior Alert – åtgärder Toalettbesök var 3:e timme nattetid Riskbedömning blåsa \(planterad\) · Bedömd 2026-11-01/,
    );
    // Generated assessments: the mitigation verbatim.
    for (const r of v.risks.risks.filter((x) => x.id !== 'plant-risk')) {
      const raw = rawOf('RiskAssessment', target).find((l) => l.includes(`"id":"${r.id}"`))!;
      expect(raw).toContain(`"mitigation":${JSON.stringify(r.mitigation)}`);
      expect(html).toContain(r.mitigation!.replace(/&/g, '&amp;'));
    }
  });

  it('shows care plans by kind: the genomförandeplan as social care, a rehabilitation plan with its goal', async () => {
    const v = view(target);
    const kinds = v.care.plans.map((p) => p.kind);
    expect(kinds[0]).toBe('social');
    expect(kinds).toContain('rehab');
    const social = v.care.plans.find((p) => p.kind === 'social')!;
    expect(social).toMatchObject({ title: 'Genomförandeplan', regime: 'SoL' });
    const rehab = v.care.plans.find((p) => p.id === 'plant-rehab')!;
    expect(rehab.goals).toEqual([
      {
        id: 'plant-goal',
        text: 'Kunna gå till matsalen med rollator',
        status: 'active',
        due: '2027-02-01',
      },
    ]);
    expect(v.care.otherGoals).toEqual([]);
    expect(v.care.services.length).toBeGreaterThan(0);
    expect(v.care.services.every((s) => s.regime === 'SoL')).toBe(true);

    const html = sectionOf(await render(target), 'care');
    expect(html).toContain('data-kind="social"');
    expect(visibleText(html)).toContain('Genomförandeplan SoL Social omsorg (SoL) · Gäller från');
    expect(visibleText(html)).toContain(
      'Rehabiliteringsplan Rehabilitering (HSL) · Gäller från 2026-09-01 Mål: Kunna gå till matsalen med rollator (senast 2027-02-01) Så här: Gångträning två gånger dagligen (kl 10 och 16)',
    );
    expect(visibleText(html)).toContain('Beviljade insatser');
  });

  it('marks each note of the last 7 days SoL or HSL and shows journal markup as text', async () => {
    const id = patientIds[EDGE_CASES.htmlNote]!;
    const v = view(id);
    expect(v.notes.length).toBeGreaterThan(0);
    for (const n of v.notes) {
      expect(['SoL', 'HSL']).toContain(n.regime);
      expect(Date.parse(n.date!)).toBeGreaterThanOrEqual(NOW.getTime() - 7 * 24 * 3600_000);
    }
    const html = await render(id);
    const notes = sectionOf(html, 'notes');
    const marked = [
      ...notes.matchAll(/data-regime="(SoL|HSL)"[\s\S]*?class="regime regime-(sol|hsl)"/g),
    ];
    expect(marked).toHaveLength(v.notes.length);
    for (const m of marked) expect(m[2]).toBe(m[1]!.toLowerCase());
    expect(notes).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
    // The page as rendered here (no signed-in user) has no script element and no markup from
    // the journal at all.
    expect(html).not.toMatch(/<script|<img|<b>/);

    // An HTML attachment is shown as its text, tags and all.
    const planted = sectionOf(await render(target), 'notes');
    expect(planted).toContain('&lt;p&gt;Ring &lt;b&gt;läkaren&lt;/b&gt;&lt;/p&gt;');
  });

  it('shows relatives and whom to call', async () => {
    const v = view(target);
    expect(v.contacts.length).toBeGreaterThan(0);
    expect(v.careContacts.map((c) => c.kind)).toEqual(['unit', 'nurse', 'gp']);
    const text = visibleText(sectionOf(await render(target), 'contacts'));
    for (const c of v.contacts) expect(text).toContain(c.name);
    expect(text).toMatch(/Ansvarig sjuksköterska: \S+ \S+ – [\d -]+/);
    expect(text).toContain('Vårdcentral: Vårdcentralen Exempelby (Region Exempel)');
  });

  it('shows devices with the safety alarm first', async () => {
    const id = people(
      (r) => r.Device!.some((l) => l.includes('"alarm"')) && r.Device!.length > 1,
    )[0]!;
    const v = view(id);
    expect(v.devices[0]!.safetyAlarm).toBe(true);
    expect(v.devices.filter((d) => d.safetyAlarm)).toHaveLength(1);
    const html = sectionOf(await render(id), 'devices');
    expect(html.indexOf('Trygghetslarm (armband)')).toBeLessThan(
      html.indexOf('data-testid="device"', html.indexOf('data-testid="device"') + 1),
    );
    expect(visibleText(html)).toContain(
      'Trygghetslarm Trygghetslarm (armband), larmet går till hemtjänstens nattpatrull',
    );
  });

  it('lists the upcoming home-care visits in time order with services and double staffing', async () => {
    const doubled = people((r) => r.Appointment!.some((l) => l.includes('Dubbelbemanning')))[0]!;
    const single = people(
      (r) =>
        r.Appointment!.length > 0 && !r.Appointment!.some((l) => l.includes('Dubbelbemanning')),
    )[0]!;
    for (const id of [doubled, single]) {
      const v = view(id);
      expect(v.visits.length).toBeGreaterThan(0);
      const starts = v.visits.map((x) => Date.parse(x.start));
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
      for (const x of v.visits) {
        expect(Date.parse(x.end!)).toBeGreaterThanOrEqual(NOW.getTime());
        expect(x.services.length).toBe(1);
        expect(x.doubleStaffing).toBe(id === doubled);
        expect(x.staffCount).toBe(id === doubled ? 2 : 1);
        expect(x.staff).toHaveLength(x.staffCount);
      }
      const html = sectionOf(await render(id), 'visits');
      expect([...html.matchAll(/data-testid="visit"/g)]).toHaveLength(v.visits.length);
      expect(html.includes('Dubbelbemanning</span>')).toBe(id === doubled);
      expect(visibleText(html)).toContain(
        `${v.visits[0]!.services[0]!} ${v.visits[0]!.description!}`,
      );
    }
    // Nursing-home residents have no visits section.
    const ward = patientIds[0]!;
    expect(view(ward).homeCare).toBe(false);
    expect(await render(ward)).not.toContain('data-section="visits"');
  });

  it('shows the latest weight, glucose and INR exactly as written, with unit and date', async () => {
    const v = view(target);
    const inr = v.observations.find((o) => o.kind === 'inr')!;
    expect(inr.latest).toEqual({
      value: '2.50 INR',
      date: '2026-11-26T09:00:00+01:00',
      status: 'final',
    });
    expect(inr.previous!.value).toBe('3.10 INR');
    const bp = v.observations.find((o) => o.label === 'Blodtryck')!;
    expect(bp.latest.value).toBe('142 mmHg / 88 mmHg');
    expect(v.observations[0]!.kind).toBe('weight');

    const text = visibleText(sectionOf(await render(target), 'obs'));
    expect(text).toContain('PK(INR) 2.50 INR 2026-11-26 09:00 3.10 INR (2026-11-25 09:00)');

    // Generated weights: the digits exactly as in the source line.
    for (const id of patientIds.slice(0, 15)) {
      const w = view(id).observations.find((o) => o.kind === 'weight')!;
      const raw = rawOf('Observation', id).find((l) => l.includes('"29463-7"'))!;
      const digits = /"valueQuantity":\{"value":([0-9.]+)/.exec(raw)![1]!;
      expect(w.latest.value).toBe(`${digits} kg`);
    }
    const glucose = patientIds
      .map((id) => view(id).observations.find((o) => o.kind === 'glucose'))
      .find((o) => o !== undefined);
    if (glucose) expect(glucose.latest.value).toMatch(/^\d+(\.\d)? mmol\/l$/);
  });

  it('shows diet and texture where the copy has a diet order', async () => {
    const id = people((r) => r.NutritionOrder!.some((l) => l.includes('texture')))[0]!;
    const v = view(id);
    expect(v.diet[0]!.texture).toBeDefined();
    const text = visibleText(sectionOf(await render(id), 'diet'));
    expect(text).toContain(`Konsistens ${v.diet[0]!.texture!}`);
    const without = people((r) => r.NutritionOrder!.length === 0)[0]!;
    expect(await render(without)).not.toContain('data-section="diet"');
  });

  it('lists resources of unhandled and unknown types generically, never from text.div', async () => {
    const v = view(target);
    expect(v.other.map((g) => `${g.type}/${g.id}`)).toEqual([
      'Basic/plant-basic',
      'Consent/plant-consent',
      'Trygghetskamera/plant-cam',
    ]);
    const html = sectionOf(await render(target), 'other');
    const text = visibleText(html);
    expect(text).toContain('Basic · 2026-01-10 Önskemål om musik vid vård i livets slut');
    expect(text).toContain('Consent · 2026-05-05 · active Consent/plant-consent');
    expect(text).toContain(
      'Trygghetskamera · 2026-11-20 · active Kamera i hallen <img src=x onerror="window.__xss=3">',
    );
    expect(html).not.toContain('DIVTEXT');
    expect(html).not.toMatch(/<img|<script/);
    // People with nothing unusual have no such section.
    expect(await render(patientIds[0]!)).not.toContain('data-section="other"');
  });

  it('never puts key or door information on the page: at most a button, when the policy allows', async () => {
    const homeCare = people((r) => r.Basic!.length > 0).filter((id) => id !== target);
    expect(homeCare.length).toBeGreaterThan(0);
    for (const id of [...homeCare.slice(0, 5), target]) {
      const basic = rawOf('Basic', id).find((l) => l.includes('key-access'))!;
      const secret = (JSON.parse(basic) as { extension: { valueString: string }[] }).extension[0]!
        .valueString;
      const v = view(id);
      expect(v.keyRecords).toBe(1);
      expect(JSON.stringify(v)).not.toContain(secret);
      for (const mayViewKeys of [true, false]) {
        const html = await render(id, { mayViewKeys });
        expect(html).not.toContain(secret);
        expect(html).not.toMatch(/lås-id|portkod \d/i);
        expect(html.includes(`action="/boende/${id}/nycklar"`)).toBe(mayViewKeys);
      }
    }
    const button = visibleText(
      (await render(target, { mayViewKeys: true })).match(
        /<form\s+class="keys-button"[\s\S]*?<\/form>/,
      )![0],
    );
    expect(button).toBe('Visa nyckel och portkod Visningen loggas.');
    // A nursing-home resident has no key records: no button, whatever the flag says.
    expect(await render(patientIds[0]!, { mayViewKeys: false })).not.toContain('/nycklar');
  });

  it('speaks English when asked, in every new section', async () => {
    const text = visibleText(await render(target, { lang: 'en', mayViewKeys: true }));
    for (const heading of [
      'Palliative care',
      'Risks and measures',
      'Care plans and implementation plan',
      'Assistive devices and safety alarm',
      'Visits',
      'Latest measurements',
      'Diagnoses',
      'Other information',
      'Show key and door code',
    ])
      expect(text).toContain(heading);
    expect(text).not.toMatch(/Risker och åtgärder|Hjälpmedel|Senaste mätvärden|Övriga uppgifter/);
  });
});
