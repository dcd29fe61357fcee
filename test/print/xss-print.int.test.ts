/**
 * W1 for paper: the project's XSS corpus (test/corpus/xss-payloads.ts, 557 payloads) planted in
 * the dosage texts and alert texts of a generated journal, loaded through the real loader, and
 * printed as medication lists, summaries and a unit pack. A PDF runs no script of ours (PR1:
 * no JavaScript, actions or links); what must hold is that every payload comes out as the literal
 * text it is, and that no payload turns into a PDF action or link.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { DEFAULT_AS_OF, generate } from '../../src/generate/generate.ts';
import { sv } from '../../src/i18n/messages.ts';
import type { PrintMeta } from '../../src/print/meta.ts';
import { renderMedicationList } from '../../src/print/medication-list.ts';
import { renderResidentSummary } from '../../src/print/resident-summary.ts';
import { renderUnitPack } from '../../src/print/unit-pack.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { buildResidentView, type ResidentView } from '../../src/views/resident.ts';
import { buildUnitView } from '../../src/views/unit.ts';
import { probeOf, XSS_PAYLOADS } from '../corpus/xss-payloads.ts';
import { tempDir } from '../helpers/tmp.ts';
import { dictionaries, readPdf, squeezed } from './read-pdf.ts';

const NOW = new Date('2026-11-27T08:00:00Z');
const TZ = 'Europe/Stockholm';
let db: Db;
/** Payload ids planted in a field the printouts show, per patient. */
const planted = new Map<string, number[]>();

type Json = Record<string, unknown>;

beforeAll(async () => {
  const dir = tempDir('xss-print');
  const source = path.join(dir, 'export');
  generate({ people: 90, seed: 'xss-print', outDir: source });
  let next = 0;
  const payload = () => XSS_PAYLOADS[next++ % XSS_PAYLOADS.length]!;
  const rewrite = (type: string, edit: (r: Json) => void) => {
    const file = path.join(source, `${type}.ndjson`);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Json);
    for (const r of lines) edit(r);
    writeFileSync(file, lines.map((r) => JSON.stringify(r) + '\n').join(''));
  };
  const patientOf = (r: Json) =>
    String((r.subject as { reference?: string } | undefined)?.reference ?? '').replace(
      'Patient/',
      '',
    );
  const mark = (r: Json, id: number) => {
    const list = planted.get(patientOf(r)) ?? [];
    list.push(id);
    planted.set(patientOf(r), list);
  };
  // Active orders' dosage text: printed verbatim on the medication list.
  rewrite('MedicationRequest', (r) => {
    const dosage = (r.dosageInstruction as Json[] | undefined)?.[0];
    if (r.status !== 'active' || !dosage) return;
    const p = payload();
    dosage.text = `${typeof dosage.text === 'string' ? dosage.text : ''} ${p.text}`;
    mark(r, p.id);
  });
  // Alert texts: printed on the summary.
  rewrite('Flag', (r) => {
    const code = r.code as Json | undefined;
    if (r.status !== 'active' || !code) return;
    const p = payload();
    code.text = p.text;
    mark(r, p.id);
  });
  const dbFile = path.join(dir, 'xss.sqlite');
  await loadBulkExport({
    sourceDir: source,
    dbFile,
    now: new Date(DEFAULT_AS_OF),
    log: silentLogger,
  });
  db = openReadOnly(dbFile);
}, 120_000);
afterAll(() => db?.close());

const meta: PrintMeta = {
  m: sv,
  timeZone: TZ,
  transactionTime: DEFAULT_AS_OF,
  printedBy: 'Test Skrivare',
  printedAt: NOW,
  auditRef: 'f'.repeat(64),
};

/** Text as pdfjs reads it, whitespace removed (long payloads wrap over lines). */
const bare = (s: string) => s.replace(/\s+/g, '');

describe('W1 on paper: XSS payloads print as inert text', () => {
  it('prints every planted payload literally on the medication lists and summaries, with no PDF action', async () => {
    const views = [...planted.keys()]
      .map((id) => buildResidentView(db, id, { now: NOW, timeZone: TZ }))
      .filter((v): v is ResidentView => v !== undefined);
    const seen = new Set<number>();
    const problems: string[] = [];
    for (const v of views) {
      for (const pdf of [
        await renderMedicationList(meta, v),
        await renderResidentSummary(meta, v),
      ]) {
        const found = dictionaries(pdf).match(
          /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|URI|Annots|AcroForm)\b/,
        );
        if (found) problems.push(`${v.patient.id}: ${found[0]}`);
        const text = bare(squeezed(await readPdf(pdf)));
        for (const id of planted.get(v.patient.id) ?? [])
          if (text.includes(bare(probeOf({ id })))) seen.add(id);
      }
    }
    expect(problems).toEqual([]);
    // Several hundred distinct payloads reached paper, each as its literal text.
    expect(seen.size).toBeGreaterThanOrEqual(300);
    const missing = [...planted.values()].flat().filter((id) => !seen.has(id));
    // A payload planted in an order that the copy does not show as active is not printed;
    // everything else must be.
    expect(missing.length / (seen.size + missing.length)).toBeLessThan(0.1);
  });

  it('prints a whole unit pack of payload-laden residents with no PDF action or link', async () => {
    const unit = db
      .prepare(
        'SELECT unit_id FROM patient WHERE unit_id IS NOT NULL GROUP BY unit_id ORDER BY count(*) DESC LIMIT 1',
      )
      .pluck()
      .get() as string;
    const view = buildUnitView(db, unit, { now: NOW, timeZone: TZ })!;
    const residents = view.residents
      .map((p) => buildResidentView(db, p.id, { now: NOW, timeZone: TZ }))
      .filter((v): v is ResidentView => v !== undefined);
    const pdf = await renderUnitPack(meta, view, residents, { hours: 24, from: NOW });
    expect(dictionaries(pdf)).not.toMatch(
      /\/(JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|URI|Annots|AcroForm)\b/,
    );
    const pages = await readPdf(pdf);
    const text = bare(squeezed(pages));
    const inPack = residents.flatMap((v) => planted.get(v.patient.id) ?? []);
    expect(inPack.filter((id) => text.includes(bare(probeOf({ id })))).length).toBeGreaterThan(0);
  });
});
