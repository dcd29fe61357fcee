/**
 * Headless Chromium for UI tests, driven by playwright-core. The browser binary comes with the
 * @sparticuz/chromium npm package, so `npm ci` is the only set-up. The flags keep Chromium from
 * calling home: this machine has no network, and the station must work without one.
 */
import chromium from '@sparticuz/chromium';
import { chromium as playwright, type Browser } from 'playwright-core';

export async function launchBrowser(): Promise<Browser> {
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    // Not chromium.args: those are tuned for serverless hosts (single process, web security off),
    // which would both hide security behaviour and make closing one page end the browser.
    args: [
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    headless: true,
  });
}
