import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../src/cli/commands/demo-accounts.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/auth/totp.ts';
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
    await page
      .getByTestId('unit-residents')
      .getByRole('link', { name: target.name, exact: true })
      .click();
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

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; returns the violated rule ids. */
async function axeViolations(page: Page): Promise<string[]> {
  // page.evaluate runs through the DevTools protocol, outside the page's CSP.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(o: unknown): Promise<{ violations: { id: string }[] }> };
      }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => v.id);
  });
}

function totpSecretOf(account: string): string {
  const m = new RegExp(
    `  ${account} .*\\n\\s+engångskod: node bin/reservjournal\\.js totp ([A-Z2-7]+)`,
  ).exec(demo.output().stdout);
  if (!m) throw new Error(`no TOTP secret printed for ${account}`);
  return m[1]!;
}

describe('signing in and out in a browser', () => {
  it('SE5: after sign-out the Back button shows no patient data', async () => {
    const page = await browser.newPage();
    const target = demoPatient(EDGE_CASES.htmlNote);
    await signInAs(page, 'sjukskoterska');
    await page.locator(`a[href="/enhet/${target.unit}"]`).click();
    await page
      .getByTestId('unit-residents')
      .getByRole('link', { name: target.name, exact: true })
      .click();
    await page.waitForURL(/\/boende\//);
    expect(await page.content()).toContain(target.name);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.waitForURL(/\/logga-in\?ut=1$/);
    expect(await page.getByTestId('notice').innerText()).toContain('Du är utloggad');
    await page.goBack();
    await page.waitForLoadState();
    expect(page.url()).toMatch(/\/logga-in/);
    expect(await page.content()).not.toContain(target.name);
    await page.close();
  });

  it('lets the on-call manager issue a code that a colleague without an account signs in with', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(demo.url)) foreign.push(r.url());
    });
    await page.goto(`${demo.url}/logga-in`);
    expect(await axeViolations(page)).toEqual([]);
    await signInAs(page, 'jour', totpCode(totpSecretOf('jour'), new Date()));
    await page.getByRole('link', { name: 'Nödkoder' }).click();
    await page.waitForURL(/\/jour$/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Enhet').selectOption({ label: 'Björkhagen, avdelning Blåsippan' });
    await page.getByLabel('Giltig i timmar').fill('2');
    await page.getByLabel('Anledning').fill('vikarie utan konto i natt');
    await page.getByRole('button', { name: 'Skapa nödkod' }).click();
    const code = (await page.getByTestId('new-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await page.getByRole('button', { name: 'Byt användare' }).click();
    await page.waitForURL(/\/logga-in/);

    await page.getByLabel('Nödkod', { exact: true }).fill(code);
    await page.getByLabel('Ditt för- och efternamn').fill('Vera Vikarie');
    await page.getByRole('button', { name: 'Logga in med nödkod' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/logga-in'));
    expect(await page.getByTestId('user-bar').innerText()).toContain('Nödåtkomst');
    const units = await page.locator('ul.units a').allInnerTexts();
    expect(units.length).toBe(1);
    expect(units[0]).toContain('Blåsippan');
    expect(await axeViolations(page)).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('W2: the page’s own script runs under the CSP; an injected inline script does not', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    await signInAs(page, 'sjukskoterska');
    const loaded = await page.evaluate(() =>
      performance.getEntriesByType('resource').some((e) => e.name.endsWith('/assets/idle.js')),
    );
    expect(loaded).toBe(true);
    // Written as a string: the test files are compiled without the DOM types.
    const injected = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1';
      document.body.appendChild(s);
      return window.__injected;
    })()`);
    expect(injected).toBeUndefined();
    expect(violations.some((v) => v.includes('Content Security Policy'))).toBe(true);
    await page.close();
  });
});
