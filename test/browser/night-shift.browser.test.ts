/**
 * The night-shift walk of the record-views issue, in Chromium against `reservjournal serve` on a
 * real station holding two imported snapshots: sign in, search a resident by part of a name typed
 * without diacritics, open them, read medication, the resuscitation decision and alerts with the
 * data age on screen, see what changed since the previous snapshot — every page clean under
 * axe-core — and find every view and search in the audit log with the right fields.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stationAudit } from '../../src/station/access.ts';
import { openStation } from '../../src/station/station.ts';
import { TEST_PASSWORD } from '../helpers/access.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { runCli, startCli, type RunningCli } from '../helpers/cli.ts';
import {
  build,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { readPdf, squeezed } from '../print/read-pdf.ts';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

let dir: string;
let dataDir: string;
let server: RunningCli;
let browser: Browser;
let target: { id: string; given: string; family: string; unit: string };
const NEW_ALERT = 'Nytt sedan i går: ESBL i urin, basala hygienrutiner';

type Json = Record<string, unknown>;
const readLines = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Json);

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(`axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

beforeAll(async () => {
  dir = tempDir('night-shift');
  const exporter = makeExporter(path.join(dir, 'exporter'));
  const first = generatedSource(path.join(dir, 'export-1'), 40, 'night-shift');
  // The resident of the walk: someone in a nursing home whose family name has å, ä or ö.
  const patients = readLines(path.join(first, 'Patient.ndjson')) as {
    id: string;
    name: { given: string[]; family: string }[];
    managingOrganization?: { reference: string };
  }[];
  const p = patients.find(
    (x) => /[åäö]/.test(x.name[0]!.family) && x.managingOrganization?.reference.includes('avd'),
  )!;
  target = {
    id: p.id,
    given: p.name[0]!.given[0]!,
    family: p.name[0]!.family,
    unit: p.managingOrganization!.reference.replace('Organization/', ''),
  };
  // The next copy: the same journal plus one new alert for that resident.
  const second = path.join(dir, 'export-2');
  cpSync(first, second, { recursive: true });
  const flag = {
    resourceType: 'Flag',
    id: 'night-shift-new-alert',
    status: 'active',
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'clinical' },
        ],
      },
    ],
    code: { text: NEW_ALERT },
    subject: { reference: `Patient/${target.id}` },
    period: { start: '2026-11-26' },
  };
  writeFileSync(
    path.join(second, 'Flag.ndjson'),
    readFileSync(path.join(second, 'Flag.ndjson'), 'utf8') + JSON.stringify(flag) + '\n',
  );
  const manifest = JSON.parse(readFileSync(path.join(second, 'manifest.json'), 'utf8')) as {
    output: { type: string; count?: number }[];
  };
  for (const o of manifest.output) if (o.type === 'Flag' && o.count !== undefined) o.count++;
  writeFileSync(path.join(second, 'manifest.json'), JSON.stringify(manifest));

  const station = makeStation(path.join(dir, 'station'), exporter);
  dataDir = station.dataDir;
  for (const [sequence, source] of [
    [1, first],
    [2, second],
  ] as const) {
    const file = await build({
      sourceDir: source,
      sequence,
      exporter,
      recipients: [station.publicKey],
      out: path.join(dir, `snapshot-${sequence}.rjsnap`),
    });
    await importInto(station, file);
  }
  const added = await runCli(
    [
      'users',
      'add',
      'natt',
      '--role',
      'nurse',
      '--units',
      'kommun',
      '--display-name',
      'Nina Natt',
      '--data-dir',
      dataDir,
    ],
    { input: `${TEST_PASSWORD}\n` },
  );
  expect(added.code, added.stderr).toBe(0);
  [server, browser] = await Promise.all([
    startCli(['serve', '--data-dir', dataDir, '--port', '0']),
    launchBrowser(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a night-shift walk through the station', () => {
  it('signs in, finds, reads and sees what changed, with every page accessible and audited', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url)) foreign.push(r.url());
    });
    const problems: string[] = [];
    const axe = async (where: string) => {
      for (const v of await axeViolations(page)) problems.push(`${where}: ${v}`);
    };

    await page.goto(server.url);
    await page.waitForURL(/\/logga-in$/);
    await axe('sign-in');
    await page.getByLabel('Användarnamn').fill('natt');
    await page.getByLabel('Lösenord').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Logga in', exact: true }).click();
    await page.waitForURL(`${server.url}/`);
    expect(await page.getByTestId('data-age').innerText()).toMatch(
      /^Uppgifter per \d{4}-\d{2}-\d{2} \d{2}:\d{2}/,
    );
    // The search box has focus: typing goes straight into it.
    expect(await page.evaluate('document.activeElement && document.activeElement.name')).toBe('q');
    await axe('start');

    // Part of the family name, without diacritics and in lower case.
    const typed = target.family
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .slice(0, 5);
    await page.keyboard.type(`${target.given.toLowerCase()} ${typed}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/(sok|boende\/.+)$/);
    if (page.url().endsWith('/sok')) {
      await axe('search results');
      await page.locator(`a[href="/boende/${target.id}"]`).click();
    }
    await page.waitForURL(`${server.url}/boende/${target.id}`);
    expect(page.url()).not.toContain(typed);
    const h1 = await page.locator('h1').innerText();
    expect(h1.normalize('NFC')).toContain(target.family.normalize('NFC'));
    expect(await page.getByTestId('data-age').innerText()).toMatch(/^Uppgifter per /);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Läkemedel');
    expect(text).toContain('Ställningstagande till hjärt-lungräddning');
    expect(text).toContain('Varningar och överkänslighet');
    expect(text).toContain(NEW_ALERT);
    // The new alert is marked as a change since the previous copy.
    const badges = page.getByTestId('change-badge');
    expect(await badges.count()).toBeGreaterThan(0);
    expect(await badges.first().innerText()).toMatch(/Ändrat sedan förra kopian/);
    await axe('resident');

    // Print the resident's medication list from the page: the answer is the PDF itself.
    await page.getByLabel('Utskrift', { exact: true }).selectOption('lakemedel');
    // Headless Chromium hands a PDF answer to its download manager: read the file from there.
    const [printed, download] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/utskrift/boende/${target.id}`)),
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Skapa PDF' }).click(),
    ]);
    expect(printed.status()).toBe(200);
    expect(printed.headers()['content-type']).toBe('application/pdf');
    expect(download.suggestedFilename()).toBe('reservutskrift.pdf');
    const pdf = await readPdf(readFileSync(await download.path()));
    expect(pdf.length).toBeGreaterThan(0);
    expect(pdf.every((p) => p.footer.join(' ').includes('Nina Natt'))).toBe(true);
    expect(squeezed(pdf).normalize('NFC')).toContain(target.family.normalize('NFC'));
    await page.goto(`${server.url}/boende/${target.id}`);

    // The unit page lists the resident with the data age above it.
    await page.goto(`${server.url}/enhet/${target.unit}`);
    expect((await page.locator('main').innerText()).normalize('NFC')).toContain(
      target.family.normalize('NFC'),
    );
    expect(await page.getByTestId('data-age').innerText()).toMatch(/^Uppgifter per /);
    await axe('unit');

    expect(problems).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();

    // Every view and search is in the audit log, with who, what, which copy and the outcome.
    const station = openStation(dataDir);
    const audit = stationAudit(station, { now: () => new Date() });
    try {
      const entries = audit.query({ user: 'natt', limit: 1000 });
      const search = entries.filter((e) => e.action === 'search');
      const views = entries.filter((e) => e.action === 'view' && e.patient === target.id);
      expect(search.some((e) => e.patient === target.id)).toBe(true);
      expect(views.length).toBeGreaterThanOrEqual(2);
      const active = station.row().activeSnapshotId;
      for (const e of [...search, ...views])
        expect(e).toMatchObject({
          user: 'natt',
          role: 'nurse',
          outcome: 'success',
          snapshotId: active,
        });
      expect(views.every((e) => e.unit === target.unit)).toBe(true);
      expect(entries.some((e) => e.action === 'sign-in')).toBe(true);
      const prints = entries.filter((e) => e.action === 'print');
      expect(prints.map((e) => [e.patient, e.reason])).toEqual([[target.id, 'medication-list']]);
    } finally {
      audit.close();
      station.close();
    }
  });
});
