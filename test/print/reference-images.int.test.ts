/**
 * Reference images (issue 6, "done when"): page 1 of every kind of printout, rendered to pixels
 * and compared with a PNG a person has looked at and approved, in `__reference__/`. The text
 * tests prove what a page says; this proves what it looks like: the frame in its margins,
 * tables and signing boxes where they belong, nothing overlapping or cut off.
 *
 * The input is fixed (seeded people, the fixed clock and audit reference of fixture.ts), so the
 * PDFs are the same bytes on every run. Rasterising them is not bit-exact everywhere (anti-
 * aliasing may round differently on another CPU or canvas build), hence the tolerance: a pixel
 * differs when one of its channels is more than THRESHOLD apart, and a page fails when more than
 * MAX_DIFFERING of its pixels differ. A moved block, a shifted table or a missing box changes
 * far more than that; one word does not (removing the label "Språk" changed 0.03 % of the
 * summary page): the words are the text tests' job, the layout is this test's.
 *
 * To accept a deliberate change of layout: `UPDATE_REFERENCE_IMAGES=1 npx vitest run
 * test/print/reference-images.int.test.ts`, then look at every image before committing it.
 * A failing comparison leaves the page as rendered and a picture of the difference in
 * test-output/reference-images/ (git-ignored), and says so in its message.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Disclosure } from '../../src/audit/disclosures.ts';
import { EDGE_CASES } from '../../src/generate/person.ts';
import { renderMedicationList } from '../../src/print/medication-list.ts';
import { renderNoteForm } from '../../src/print/note-form.ts';
import { renderResidentSummary } from '../../src/print/resident-summary.ts';
import { dayWindow, renderRouteList } from '../../src/print/route-list.ts';
import { renderSigningSheet } from '../../src/print/signing-sheet.ts';
import { renderTransferChecklist } from '../../src/print/transfer-checklist.ts';
import { renderUnitPack } from '../../src/print/unit-pack.ts';
import { getPatient, getUnit, listResidents } from '../../src/store/queries.ts';
import { buildRouteWindow } from '../../src/views/route-window.ts';
import { buildUnitView } from '../../src/views/unit.ts';
import { NOW, printStation, TIME_ZONE, type PrintStation } from './fixture.ts';
import { comparePixels, decodePng, encodePng, renderPage, type Raster } from './render-page.ts';

const REFERENCE_DIR = fileURLToPath(new URL('./__reference__/', import.meta.url));
const OUTPUT_DIR = fileURLToPath(new URL('../../test-output/reference-images/', import.meta.url));
const UPDATE = process.env.UPDATE_REFERENCE_IMAGES === '1';
/** Pixels per PDF point: A4 is 595 × 842 pixels. */
const SCALE = 1;
/** A channel may be this far off (of 255) before its pixel counts as different. */
const THRESHOLD = 32;
/** The share of a page's pixels that may differ. */
const MAX_DIFFERING = 0.005;

let s: PrintStation;

beforeAll(async () => {
  s = await printStation('print-reference');
}, 120_000);
afterAll(() => s?.db.close());

/** The unit of person 0: a nursing home, so the cover has rooms. */
function firstUnitId(): string {
  return s.view(s.patientIds[0]!).patient.unitId!;
}

/** Someone with a dated "Ej HLR" and several alerts: a full summary page. */
function summaryPerson(): string {
  return s.patientIds.find((p) => {
    const v = s.view(p);
    return v.resuscitation.some((d) => d.dated && d.doNotPerform) && v.alerts.length > 1;
  })!;
}

/** Someone with several regular orders, one given more than once a day, and a PRN order. */
function signingPerson(): string {
  return s.patientIds.find((p) => {
    const meds = s.view(p).medications;
    const regular = meds.filter((m) => m.asNeeded === null);
    return (
      regular.length >= 3 && regular.some((m) => m.times.length > 1) && meds.some((m) => m.asNeeded)
    );
  })!;
}

/**
 * A transfer checklist over 07:00–15:00 with what the audit log would report: prints of several
 * documents, views, several users, and one person the copy no longer has.
 */
function checklistDisclosures(unitId: string): Disclosure[] {
  const [a, b, c] = listResidents(s.db, unitId);
  const at = (hhmm: string) => `2026-11-27T${hhmm}:00.000Z`;
  const disclosure = (
    patient: string,
    patientIdent: string | null,
    d: Partial<Disclosure>,
  ): Disclosure => ({
    patient,
    patientIdent,
    views: 0,
    prints: 0,
    first: at('06:10'),
    last: at('06:10'),
    firstView: null,
    lastView: null,
    users: ['ssk.anna'],
    documents: [],
    ...d,
  });
  return [
    disclosure(a!.id, a!.identValue, {
      views: 2,
      prints: 3,
      last: at('09:00'),
      firstView: at('07:00'),
      lastView: at('07:30'),
      users: ['ssk.anna', 'usk.bo'],
      documents: [
        { reason: 'unit-pack', count: 2, first: at('06:10'), last: at('09:00') },
        { reason: 'note-form', count: 1, first: at('08:00'), last: at('08:00') },
      ],
    }),
    disclosure(b!.id, b!.identValue, {
      prints: 1,
      documents: [{ reason: 'unit-pack', count: 1, first: at('06:10'), last: at('06:10') }],
    }),
    disclosure(c!.id, c!.identValue, {
      views: 1,
      prints: 1,
      last: at('08:00'),
      firstView: at('08:00'),
      lastView: at('08:00'),
      users: ['ssk.anna', 'usk.cilla'],
      documents: [{ reason: 'signing-sheet', count: 1, first: at('06:10'), last: at('06:10') }],
    }),
    disclosure('gone-1', '19400101-0008', {
      views: 1,
      first: at('08:00'),
      last: at('08:00'),
      firstView: at('08:00'),
      lastView: at('08:00'),
      users: ['usk.cilla'],
    }),
  ];
}

/** Every kind of printout, made from the fixed station; the file name is the key. */
const PRINTOUTS: Record<string, () => Promise<Buffer>> = {
  'resident-summary': () => renderResidentSummary(s.meta(), s.view(summaryPerson())),
  'medication-list': () =>
    renderMedicationList(s.meta(), s.view(s.patientIds[EDGE_CASES.exactDecimal]!)),
  'signing-sheet': () =>
    renderSigningSheet(s.meta(), s.view(signingPerson()), { hours: 72, from: NOW }),
  'unit-pack-cover': () => {
    const unit = buildUnitView(s.db, firstUnitId(), { now: NOW, timeZone: TIME_ZONE })!;
    const residents = unit.residents.map((p) => s.view(p.id));
    return renderUnitPack(s.meta(), unit, residents, { hours: 72, from: NOW });
  },
  'route-list': () => {
    // Home care: the group of the person with protected identity (no address on the list).
    const group = s.view(s.patientIds[EDGE_CASES.protectedIdentity]!).patient.unitId!;
    const window = dayWindow('2026-11-28', TIME_ZONE);
    const route = buildRouteWindow(s.db, group, { ...window, timeZone: TIME_ZONE });
    return renderRouteList(s.meta(), route!);
  },
  'note-form': () => {
    // Decomposed letters in the name, and a room to print.
    const p = s.view(s.patientIds[EDGE_CASES.combiningCharacters]!).patient;
    return renderNoteForm(s.meta(), p);
  },
  'transfer-checklist': () => {
    const unit = getUnit(s.db, firstUnitId())!;
    return renderTransferChecklist(s.meta(), {
      unit,
      from: new Date('2026-11-27T06:00:00.000Z'),
      to: new Date('2026-11-27T14:00:00.000Z'),
      residents: listResidents(s.db, unit.id),
      disclosures: checklistDisclosures(unit.id),
      patient: (id) => getPatient(s.db, id),
    });
  },
};

async function writeOutput(name: string, image: Raster): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, name);
  writeFileSync(file, await encodePng(image));
  return path.relative(process.cwd(), file);
}

describe('page 1 of every printout looks like its reviewed reference image', () => {
  it.each(Object.keys(PRINTOUTS))('%s', async (kind) => {
    const pdf = await PRINTOUTS[kind]!();
    const actual = await renderPage(pdf, 1, SCALE);
    // The same bytes give the same pixels: a renderer that varies run to run would make the
    // tolerance below hide real changes.
    expect(comparePixels(actual, await renderPage(pdf, 1, SCALE), 0).differing).toBe(0);

    const reference = path.join(REFERENCE_DIR, `${kind}.png`);
    if (UPDATE) {
      mkdirSync(REFERENCE_DIR, { recursive: true });
      writeFileSync(reference, await encodePng(actual));
    }
    const actualFile = path.join(OUTPUT_DIR, `${kind}.actual.png`);
    const diffFile = path.join(OUTPUT_DIR, `${kind}.diff.png`);
    rmSync(actualFile, { force: true });
    rmSync(diffFile, { force: true });
    if (!existsSync(reference)) {
      const written = await writeOutput(`${kind}.actual.png`, actual);
      expect.fail(
        `no reference image ${path.relative(process.cwd(), reference)}; the page as rendered is in ${written}. ` +
          'Look at it, then create the reference with UPDATE_REFERENCE_IMAGES=1.',
      );
    }

    const expected = await decodePng(readFileSync(reference));
    const { differing, total, diff } = comparePixels(expected, actual, THRESHOLD);
    if (differing > total * MAX_DIFFERING) {
      const written = [await writeOutput(`${kind}.actual.png`, actual)];
      if (diff) written.push(await writeOutput(`${kind}.diff.png`, diff));
      const size =
        diff === undefined
          ? ` (size ${actual.width}×${actual.height}, reference ${expected.width}×${expected.height})`
          : '';
      expect.fail(
        `${kind}: ${differing} of ${total} pixels (${((100 * differing) / total).toFixed(2)} %) ` +
          `differ from the reference${size}, more than ${MAX_DIFFERING * 100} %. ` +
          `See ${written.join(' and ')}; if the change is intended, update the reference ` +
          'with UPDATE_REFERENCE_IMAGES=1 and review the new image.',
      );
    }
  });
});
