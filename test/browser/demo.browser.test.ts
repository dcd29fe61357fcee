import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/cli/commands/demo-accounts.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_CASES } from '../../src/generate/person.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startCli, type RunningCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

let demo: RunningCli;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir('browser');
  [demo, browser] = await Promise.all([
    startCli(['demo', '--data-dir', dataDir, '--port', '0', '--people', '60']),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

function demoPatient(index: number): { name: string; unit: string } {
  const line = readFileSync(path.join(dataDir, 'export', 'Patient.ndjson'), 'utf8').split('\n')[
    index
  ]!;
  const p = JSON.parse(line) as {
    name: { given: string[]; family: string }[];
    managingOrganization: { reference: string };
  };
  return {
    name: `${p.name[0]!.given.join(' ')} ${p.name[0]!.family}`.normalize('NFC'),
    unit: p.managingOrganization.reference.replace('Organization/', ''),
  };
}

async function signInAs(page: Page, name: string, code = ''): Promise<void> {
  await page.goto(demo.url);
  await page.waitForURL(/\/logga-in$/);
  await page.getByLabel('Användarnamn').fill(name);
  await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
  if (code) await page.getByLabel('Engångskod', { exact: false }).fill(code);
  await page.getByRole('button', { name: 'Logga in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/logga-in'));
}

describe('the demo station in a browser', () => {
  it('walks from the unit list to a resident and shows the data age, medication and notes as text', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(demo.url)) foreign.push(r.url());
    });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    const target = demoPatient(EDGE_CASES.htmlNote);
    await signInAs(page, 'sjukskoterska');
    const age = page.getByTestId('data-age');
    expect(await age.innerText()).toMatch(
      /^Uppgifter per \d{4}-\d{2}-\d{2} (06|18):00 \(för \d+ (min|tim) sedan\)/,
    );

    await page.locator(`a[href="/enhet/${target.unit}"]`).click();
    await page.getByRole('link', { name: target.name, exact: true }).click();
    await page.waitForURL(/\/boende\//);
    expect(await page.locator('h1').innerText()).toContain(target.name);

    // The data age is on the resident page too.
    expect(await page.getByTestId('data-age').innerText()).toMatch(/^Uppgifter per /);
    // Dosage text verbatim, as in the source.
    const dosage = (await page.locator('.dosage').first().innerText()).trim();
    expect(dosage.length).toBeGreaterThan(5);
    const source = readFileSync(path.join(dataDir, 'export', 'MedicationRequest.ndjson'), 'utf8');
    expect(source).toContain(`"text":${JSON.stringify(dosage)}`);

    // The note with HTML and a script tag is shown as text and never runs.
    const note = page.getByTestId('note').filter({ hasText: '<script>' });
    expect(await note.count()).toBe(1);
    expect(await note.innerText()).toContain('<script>window.__xss = 1</script>');
    expect(
      await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
    expect(await page.locator('main script, main img').count()).toBe(0);

    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds a resident by a name typed without diacritics and opens them', async () => {
    const page = await browser.newPage();
    const target = demoPatient(EDGE_CASES.combiningCharacters);
    await signInAs(page, 'sjukskoterska');
    await page.getByLabel('Personnummer, namn eller rum').fill('lovgren');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/sok$/);
    await page.getByRole('link', { name: target.name }).click();
    await page.waitForURL(/\/boende\//);
    expect(await page.locator('h1').innerText()).toContain(target.name);
    expect(page.url()).not.toContain('lovgren');
    await page.close();
  });
});
