/**
 * The per-resident printouts, the summary and the medication list, from generated people in a
 * real station database, read back from the PDF with pdfjs-dist: identity on every page, the
 * resuscitation decision only with its date, palliative status, the dosage text exactly as
 * written (decimals included), PRN rules, protected identity without address, no key or door
 * information, and markup from the journal printed as the characters it is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_CASES } from '../../src/generate/person.ts';
import { sv } from '../../src/i18n/messages.ts';
import { renderMedicationList } from '../../src/print/medication-list.ts';
import { renderResidentSummary } from '../../src/print/resident-summary.ts';
import { renderSigningSheet } from '../../src/print/signing-sheet.ts';
import type { ResidentView } from '../../src/views/resident.ts';
import { XSS_PAYLOADS } from '../corpus/xss-payloads.ts';
import { NOW, printStation, type PrintStation } from './fixture.ts';
import { dictionaries, frameProblems, readPdf, squeezed, type PageText } from './read-pdf.ts';

let s: PrintStation;

beforeAll(async () => {
  s = await printStation('print-resident');
}, 120_000);
afterAll(() => s?.db.close());

const FORBIDDEN =
  /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|URI|Annots|AcroForm)(?![A-Za-z0-9])/;
const squeeze = (text: string) => text.normalize('NFC').replace(/\s+/g, '');

function frame() {
  return {
    mark: 'Reservutskrift – förstörs efter driftstopp',
    dataAsOf: 'Uppgifter per 2026-11-27 06:00',
    printedBy: 'Utskrivet av ssk.anna 2026-11-27 09:00',
    auditRef: 'Logg a1b2c3d4e5f6',
    page: 'Sida {n}/{m}',
  };
}

/** Every page is framed and names this resident. */
function expectResidentFrame(pages: readonly PageText[], v: ResidentView): void {
  expect(frameProblems(pages, frame())).toEqual([]);
  for (const p of pages)
    expect(p.header.slice(0, 2)).toEqual([
      v.patient.nameDisplay.normalize('NFC'),
      v.identityDisplay,
    ]);
}

async function summary(v: ResidentView): Promise<PageText[]> {
  return readPdf(await renderResidentSummary(s.meta(), v));
}

async function medicationList(v: ResidentView): Promise<PageText[]> {
  return readPdf(await renderMedicationList(s.meta(), v));
}

const text = (pages: readonly PageText[]) => pages.map((p) => p.text).join(' ');

describe('the resident summary', () => {
  it('prints identity, alerts, the dated decision with physician and dates, medication, risks and contacts on one page', async () => {
    const id = s.patientIds.find((p) => {
      const v = s.view(p);
      return v.resuscitation.some((d) => d.dated && d.doNotPerform) && v.alerts.length > 1;
    })!;
    const v = s.view(id);
    const pages = await summary(v);
    expect(pages).toHaveLength(1);
    expectResidentFrame(pages, v);
    const t = text(pages);
    expect(t).toContain(`Personnummer ${v.identityDisplay}`);
    if (v.patient.room) expect(t).toContain(v.patient.room);
    for (const a of v.alerts) expect(t).toContain(a.text);
    const d = v.resuscitation.find((x) => x.dated)!;
    expect(t).toContain(
      `Ej HLR – Beslutat av ${d.physician!} · Datum ${d.decidedOn!} · Omprövas senast ${d.reviewBy!}`,
    );
    const all = squeezed(pages);
    for (const m of v.medications) expect(all).toContain(squeeze(m.dosageText));
    for (const r of v.risks.risks) if (r.mitigation) expect(all).toContain(squeeze(r.mitigation));
    for (const c of v.contacts) expect(all).toContain(squeeze(c.name));
    expect(t).toMatch(/Ansvarig sjuksköterska: \S+ \S+ – [\d -]+/);
  });

  it('prints "Ej HLR" only with its date, and an undated decision as the warning that it cannot be followed', async () => {
    let decisions = 0;
    for (const id of s.patientIds.slice(0, 30)) {
      const t = text(await summary(s.view(id)));
      for (const m of t.matchAll(/Ej HLR/g)) {
        decisions++;
        expect(t.slice(m.index), id).toMatch(
          /^Ej HLR – Beslutat av [^·]+ · Datum \d{4}-\d{2}-\d{2}/,
        );
      }
    }
    expect(decisions).toBeGreaterThan(2);
    const v = s.view(s.undatedHlr);
    expect(v.resuscitation.map((d) => d.dated)).toEqual([false]);
    const pages = await summary(v);
    const t = text(pages);
    expect(t).not.toContain('Ej HLR');
    expect(squeezed(pages)).toContain(squeeze(sv.resident.resuscitationUndated));
    expect(t).toContain('Beslutat av Doktor Odaterad · Datum: saknas i kopian');
  });

  it('prints a flag whose text already holds its date with that date once', async () => {
    const id = s.patientIds.find((p) =>
      s.view(p).alerts.some((a) => a.code === 'DNR' && /\d{4}-\d{2}-\d{2}/.test(a.text)),
    )!;
    const v = s.view(id);
    const flag = v.alerts.find((a) => a.code === 'DNR')!;
    const date = /\d{4}-\d{2}-\d{2}/.exec(flag.text)![0];
    expect(flag.since).toBeUndefined();
    const t = text(await summary(v));
    const line = t.slice(t.indexOf(flag.text), t.indexOf(flag.text) + flag.text.length + 15);
    expect(line.split(date)).toHaveLength(2);
  });

  it('prints palliative status with the as-needed injections', async () => {
    const id = s.patientIds.find((p) => s.view(p).palliative.injections.length > 0)!;
    const v = s.view(id);
    const pages = await summary(v);
    const t = text(pages);
    expect(t).toContain('Palliativ vård');
    expect(t).toContain(v.palliative.text!);
    expect(t).toContain('Vid behovs-injektioner (se läkemedelslistan):');
    for (const i of v.palliative.injections)
      expect(squeezed(pages)).toContain(squeeze(i.dosageText));
    const none = text(
      await summary(s.view(s.patientIds.find((p) => !s.view(p).palliative.active)!)),
    );
    expect(none).toContain('Palliativ vård Ingen palliativ vård registrerad i denna kopia.');
  });

  it('never prints the address of a person with protected identity, on any printout', async () => {
    const i = EDGE_CASES.protectedIdentity;
    const raw = JSON.parse(s.lines('Patient')[i]!) as {
      address: { line: string[]; postalCode: string; city: string }[];
      telecom?: { value: string }[];
    };
    const street = raw.address[0]!.line[0]!;
    const v = s.view(s.patientIds[i]!);
    expect(v.patient.protected).toBe(1);
    // Even a view model that wrongly carried the address would not print it.
    const leaky: ResidentView = { ...v, address: street, phone: raw.telecom?.[0]?.value };
    const docs = [
      await summary(leaky),
      await medicationList(leaky),
      await readPdf(await renderSigningSheet(s.meta(), leaky, { hours: 24, from: NOW })),
    ];
    for (const pages of docs) {
      const all = squeezed(pages);
      expect(all).not.toContain(squeeze(street));
      expect(all).not.toContain(squeeze(raw.address[0]!.postalCode));
      if (raw.telecom?.[0]) expect(all).not.toContain(squeeze(raw.telecom[0].value));
    }
    expect(text(docs[0]!)).toContain('Adress Skyddad identitet – adressen visas inte');
    // Someone without protection does get their address.
    const open = s.patientIds.find((p) => s.view(p).address !== undefined)!;
    expect(text(await summary(s.view(open)))).toContain(s.view(open).address!);
  });

  it('never prints key or door information', async () => {
    const basic = s.lines('Basic').filter((l) => l.includes('key-access'));
    const keyed = s.patientIds.find((p) => basic.some((l) => l.includes(`"Patient/${p}"`)))!;
    const v = s.view(keyed);
    expect(v.keyRecords).toBeGreaterThan(0);
    const secrets = basic
      .filter((l) => l.includes(`"Patient/${keyed}"`))
      .map(
        (l) =>
          (JSON.parse(l) as { extension: { valueString: string }[] }).extension[0]!.valueString,
      );
    const all = squeezed([
      ...(await summary(v)),
      ...(await medicationList(v)),
      ...(await readPdf(await renderSigningSheet(s.meta(), v, { hours: 72, from: NOW }))),
    ]);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(5);
      expect(all).not.toContain(squeeze(secret));
    }
    expect(all.toLowerCase()).not.toMatch(/nyckel|portkod/);
  });

  it('prints markup and script from the journal as the characters they are, with no link or action', async () => {
    const v = s.view(s.patientIds[20]!);
    const payloads = XSS_PAYLOADS.filter((p) => /^[\x20-\x7e]+$/.test(p.text)).slice(0, 40);
    expect(payloads.length).toBe(40);
    const hostile: ResidentView = {
      ...v,
      patient: { ...v.patient, nameDisplay: '<script>alert(1)</script>' },
      contacts: payloads.slice(0, 20).map((p) => ({
        name: p.text,
        relationship: undefined,
        phone: undefined,
        mayReceiveInformation: true,
      })),
      medications: payloads.slice(20).map((p, i) => ({
        ...v.medications[0]!,
        id: `x${i}`,
        dosageText: p.text,
      })),
    };
    for (const pdf of [
      await renderResidentSummary(s.meta(), hostile),
      await renderMedicationList(s.meta(), hostile),
    ]) {
      expect(dictionaries(pdf)).not.toMatch(FORBIDDEN);
      const pages = await readPdf(pdf);
      for (const p of pages) expect(p.header[0]).toBe('<script>alert(1)</script>');
      const all = squeezed(pages);
      for (const p of payloads.slice(20)) expect(all).toContain(squeeze(p.text));
    }
    const all = squeezed(await summary(hostile));
    for (const p of payloads.slice(0, 20)) expect(all).toContain(squeeze(p.text));
  });
});

describe('the medication list', () => {
  it('prints every active order with the dosage text verbatim, exact decimals, times and the last dose', async () => {
    const v = s.view(s.patientIds[EDGE_CASES.exactDecimal]!);
    const patch = v.medications.find((m) => m.doses.some((d) => d.includes('0.010 mg/h')))!;
    expect(patch).toBeDefined();
    const pages = await medicationList(v);
    expectResidentFrame(pages, v);
    const t = text(pages);
    const all = squeezed(pages);
    expect(t).toContain(
      'Doser som getts efter att kopian togs finns inte här. Kontrollera signeringslistan på papper.',
    );
    expect(t).toContain(`Alla aktiva ordinationer i kopian: ${v.medications.length}.`);
    expect(all).toContain(squeeze('0.010 mg/h'));
    for (const m of v.medications) {
      expect(all).toContain(squeeze(m.dosageText));
      expect(all).toContain(squeeze(m.name));
      if (m.times.length > 0) expect(all).toContain(squeeze(`Tider: ${m.times.join(', ')}`));
      const last = m.lastAdministration;
      if (last) expect(all).toContain(squeeze(new Date(last.at).toISOString().slice(0, 10)));
    }
  });

  it('prints the PRN rules: reason, maximum dose and minimum interval', async () => {
    const id = s.patientIds.find((p) =>
      s.view(p).medications.some((m) => m.asNeeded?.maxPerPeriod && m.asNeeded.minIntervalHours),
    )!;
    const v = s.view(id);
    const all = squeezed(await medicationList(v));
    for (const m of v.medications.filter((x) => x.asNeeded)) {
      const prn = m.asNeeded!;
      if (prn.reason) expect(all).toContain(squeeze(`Vid behov: ${prn.reason}`));
      if (prn.maxPerPeriod) expect(all).toContain(squeeze(`Högst ${prn.maxPerPeriod}`));
      if (prn.minIntervalHours)
        expect(all).toContain(squeeze(`minst ${prn.minIntervalHours} tim mellan doserna`));
    }
  });

  it('says so when a person has no medication', async () => {
    const v = s.view(s.patientIds[EDGE_CASES.noMedication]!);
    expect(v.medications).toEqual([]);
    const pages = await medicationList(v);
    expectResidentFrame(pages, v);
    expect(text(pages)).toContain('Inga aktiva läkemedelsordinationer i denna kopia.');
  });

  it('prints a name in decomposed letters whole, in the frame and the title', async () => {
    // The journal sent the name decomposed (o + combining diaeresis).
    expect(s.lines('Patient')[EDGE_CASES.combiningCharacters]).toMatch(/o\u0308|A\u030a/);
    const v = s.view(s.patientIds[EDGE_CASES.combiningCharacters]!);
    const pages = await medicationList(v);
    expectResidentFrame(pages, v);
    expect(pages[0]!.text).toContain(`Läkemedelslista: ${v.patient.nameDisplay.normalize('NFC')}`);
  });
});
