/**
 * Item 8 of the record-views issue in a real browser: the station works by keyboard alone, has
 * large targets and meets WCAG 2.1 AA, with axe-core reporting nothing on any page.
 *
 * One station (generated data, a real control database and audit log) is served over HTTP, and
 * an account of every role signs in through the form in Chromium. Each crawls the pages it can
 * reach by links (at most PAGE_CAP), then the pages only a form reaches: search results, the
 * break-glass request, the key page, a freshly issued emergency code, the filtered log review, a
 * 404, and the sign-in page with an error notice and after signing out. The same pages are then
 * visited once more in English, switched by the button in the header. On every page: axe-core
 * (WCAG 2.0 and 2.1, A and AA), the page's language, and the size of every button, form control
 * and header or navigation link (24×24 CSS px, WCAG 2.2's minimum as a pragmatic bar; links in
 * running text and tables are exempt). On the first page of each kind, every Tab stop must show
 * a visible focus indicator. A second test signs in, searches, opens a resident and skips to the
 * content with the keyboard alone.
 *
 * Page-side code is written as strings: the tests are compiled without DOM types. Init scripts
 * and `page.evaluate` run outside the page's CSP, so axe can be injected into a page whose CSP
 * only admits the station's own scripts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/auth/totp.ts';
import { keyInformation } from '../../src/views/resident/keys.ts';
import { createTestUser, TEST_PASSWORD, type TestUser } from '../helpers/access.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGE_CAP = 60;
const MIN_TARGET = 24;

type Lang = 'sv' | 'en';

/** One line per rule broken: `rule: target, target, …`. */
const AXE_RUN = `axe.run(document, {
  runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} },
  resultTypes: ['violations'],
}).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

/** A short name for an element in a report: its tag, name and text. */
const DESCRIBE = `(el) => {
  const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ');
  const name = el.getAttribute('name');
  return el.tagName.toLowerCase() + (name ? '[name=' + name + ']' : '') +
    (text ? ' "' + text.slice(0, 40) + '"' : '');
}`;

/**
 * Buttons, form controls and header or navigation links smaller than MIN_TARGET either way.
 * Links in running text and table cells are exempt (the inline exception of WCAG 2.5.8).
 */
const SMALL_TARGETS = `(() => {
  const describe = ${DESCRIBE};
  const out = [];
  const targets = 'button, input:not([type=hidden]), select, textarea, summary, header a[href], main nav a[href]';
  for (const el of document.querySelectorAll(targets)) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < ${MIN_TARGET} || r.height < ${MIN_TARGET})
      out.push(describe(el) + ' is ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  return out;
})()`;

/** What draws a focus indicator, to compare an element focused and not. */
const RING = `(el) => {
  const s = getComputedStyle(el);
  return { outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor, shadow: s.boxShadow };
}`;

/** The focused element: its place in the document, a description and its ring. */
const ACTIVE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  return {
    index: [...document.querySelectorAll('*')].indexOf(el),
    what: (${DESCRIBE})(el),
    ring: (${RING})(el),
  };
})()`;

interface Ring {
  outline: string;
  shadow: string;
}

let station: TestStation;
let browser: Browser;
let staff: TestUser;
let oncall: TestUser;
let admin: TestUser;
let auditor: TestUser;
let wardNurse: TestUser;
/** Part of a family name that several residents share, in several units. */
let fragment: string;
/** A resident of `staff`'s home-care group whose copy holds key information. */
let keyHolder: string;
/** A resident outside `wardNurse`'s ward. */
let outsider: string;

beforeAll(async () => {
  [station, browser] = await Promise.all([startTestStation(tempDir('a11y')), launchBrowser()]);
  const add = (name: string, role: TestUser['role'], units: string[] = []) =>
    createTestUser(station.station.control, station.clock, { name, role, units });
  staff = await add('staff', 'staff', ['hemtjanst-1']);
  oncall = await add('oncall', 'oncall', ['sabo-2']);
  admin = await add('admin', 'admin');
  auditor = await add('auditor', 'auditor');
  wardNurse = await add('wardnurse', 'nurse', ['sabo-1-avd-1']);

  const people = station.db
    .prepare('SELECT id, unit_id AS unit, name_display AS name FROM patient ORDER BY id')
    .all() as { id: string; unit: string; name: string }[];
  const families = new Map<string, number>();
  for (const p of people) {
    const family = p.name.split(' ').at(-1)!;
    families.set(family, (families.get(family) ?? 0) + 1);
  }
  fragment = [...families]
    .sort((a, b) => b[1] - a[1])[0]![0]
    .slice(0, 4)
    .toLowerCase();
  keyHolder = people.find(
    (p) => p.unit === 'hemtjanst-1' && keyInformation(station.db, p.id).length > 0,
  )!.id;
  outsider = people.find((p) => p.unit === 'sabo-1-avd-2')!.id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await station?.stop();
});

/** Findings of each kind, each `page: what`, compared with [] so that a failure lists all. */
interface Findings {
  axe: string[];
  targets: string[];
  focus: string[];
  other: string[];
}

/** One account's browser in one language, with the checks every page gets. */
class Visitor {
  /** The names of the pages checked. */
  readonly checked: string[] = [];
  private status = 0;
  private readonly walked = new Set<string>();

  private constructor(
    private readonly context: BrowserContext,
    readonly page: Page,
    private readonly label: string,
    private readonly lang: Lang,
    private readonly findings: Findings,
  ) {
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame())
        this.status = r.status();
    });
  }

  /** A fresh browser context on the sign-in page, switched to English by its button. */
  static async open(label: string, lang: Lang, findings: Findings): Promise<Visitor> {
    const context = await browser.newContext();
    // axe arrives with every document (the DevTools protocol injects it outside the page's CSP)
    // instead of being sent over anew before each check.
    await context.addInitScript({ content: AXE_SOURCE });
    const v = new Visitor(context, await context.newPage(), label, lang, findings);
    await v.goto('/logga-in');
    if (lang === 'en') await v.submit(v.page.getByRole('button', { name: 'English', exact: true }));
    return v;
  }

  path(): string {
    const url = new URL(this.page.url());
    return url.pathname + url.search;
  }

  async goto(path: string): Promise<void> {
    await this.page.goto(`${station.url}${path}`);
  }

  /** Click something that loads a new document (a form answered by a page or a redirect). */
  async submit(target: Locator): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), target.click()]);
  }

  /** Sign in through the form, with a fresh one-time code for accounts that have one. */
  async signIn(user: TestUser): Promise<void> {
    const form = this.page.locator('form[action="/logga-in"]');
    await form.locator('input[name=name]').fill(user.name);
    await form.locator('input[name=password]').fill(user.password);
    if (user.totpSecret !== null) {
      station.clock.advance(30_000);
      await form.locator('input[name=code]').fill(totpCode(user.totpSecret, station.clock.now()));
    }
    await this.submit(form.locator('button[type=submit]'));
    if (this.path().startsWith('/logga-in'))
      throw new Error(`${user.name} could not sign in (${this.status})`);
  }

  async signOut(): Promise<void> {
    await this.submit(this.page.locator('form[action="/logga-ut"] button:not([name])'));
  }

  /**
   * Every check, on the page now shown. `name` says which page it is when the path does not
   * (the answer to a form); `expected` is its HTTP status.
   */
  async check(name?: string, expected = 200): Promise<void> {
    const shown = name ?? this.path();
    const where = `${this.label} ${this.lang} ${shown}`;
    this.checked.push(shown);
    if (this.status !== expected)
      this.findings.other.push(`${where}: status ${this.status}, not ${expected}`);
    const [violations, small, lang] = await Promise.all([
      this.page.evaluate<string[]>(AXE_RUN),
      this.page.evaluate<string[]>(SMALL_TARGETS),
      this.page.evaluate<string>('document.documentElement.lang'),
    ]);
    for (const v of violations) this.findings.axe.push(`${where}: ${v}`);
    for (const t of small) this.findings.targets.push(`${where}: ${t}`);
    if (lang !== this.lang) this.findings.other.push(`${where}: <html lang="${lang}">`);
    // Tab stops on the first page of each kind (a path without its id).
    const kind = name ?? this.path().replace(/\/[^/]*\d[^/]*$/, '/:id');
    if (this.lang === 'sv' && !this.walked.has(kind)) {
      this.walked.add(kind);
      await this.focusWalk(where);
    }
  }

  /**
   * Tab through the whole page, noting each element's look while focused; then, with nothing
   * focused, compare. An indicator must be drawn (an outline at least 2 px wide, or a box
   * shadow) and must differ from the element's look without focus.
   */
  private async focusWalk(where: string): Promise<void> {
    type Stop = { index: number; what: string; ring: Ring };
    const stops = new Map<number, Stop>();
    for (let i = 0; i < 300; i++) {
      await this.page.keyboard.press('Tab');
      const stop = await this.page.evaluate<Stop | null>(ACTIVE);
      if (stop === null) continue;
      if (stops.has(stop.index)) break;
      stops.set(stop.index, stop);
    }
    if (stops.size === 0) this.findings.focus.push(`${where}: nothing takes focus`);
    const unfocused = await this.page.evaluate<Ring[]>(`(() => {
      if (document.activeElement) document.activeElement.blur();
      const all = [...document.querySelectorAll('*')];
      return ${JSON.stringify([...stops.keys()])}.map((i) => (${RING})(all[i]));
    })()`);
    [...stops.values()].forEach(({ what, ring }, i) => {
      const before = unfocused[i]!;
      const width = parseFloat(ring.outline.split(' ')[1] ?? '0');
      const drawn = (!ring.outline.startsWith('none') && width >= 2) || ring.shadow !== 'none';
      const changed = ring.outline !== before.outline || ring.shadow !== before.shadow;
      if (!drawn || !changed)
        this.findings.focus.push(`${where}: ${what} (focused: ${ring.outline}; ${ring.shadow})`);
    });
  }

  /**
   * Visit `start` and every same-origin page linked from the pages visited, breadth first, at
   * most PAGE_CAP in all. Returns the paths visited, for the pass in the other language.
   */
  async crawl(start: string): Promise<string[]> {
    const origin = new URL(station.url).origin;
    const seen = new Set([start]);
    const queue = [start];
    const visited: string[] = [];
    while (queue.length > 0 && visited.length < PAGE_CAP) {
      await this.goto(queue.shift()!);
      // A redirect (an administrator's start page, say) may land on a page already visited.
      const landed = this.path();
      if (visited.includes(landed)) continue;
      seen.add(landed);
      visited.push(landed);
      await this.check();
      const links = await this.page.evaluate<string[]>(
        `[...document.querySelectorAll('a[href]')].map((a) => a.href)`,
      );
      for (const href of links) {
        const url = new URL(href);
        const path = url.pathname + url.search;
        if (url.origin !== origin || url.pathname.startsWith('/assets/') || seen.has(path))
          continue;
        seen.add(path);
        queue.push(path);
      }
    }
    return visited;
  }

  async revisit(paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      await this.goto(path);
      await this.check();
    }
  }

  /** Type into the search box and press Enter: a list of hits, or the one person found. */
  async search(text: string, name: string): Promise<void> {
    await this.goto('/');
    await this.page.locator('form.search input[name=q]').fill(text);
    await Promise.all([this.page.waitForEvent('load'), this.page.keyboard.press('Enter')]);
    await this.check(this.path() === '/sok' ? name : undefined);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** The pages an account reaches only through forms, after its crawl. */
const FORMS: Record<string, (v: Visitor) => Promise<void>> = {
  nurse: async (v) => {
    await v.search(fragment, 'search results');
    await v.search('zzxq', 'search without hits');
  },
  wardnurse: async (v) => {
    // A resident of another ward, opened by URL: the break-glass request.
    await v.goto(`/boende/${outsider}`);
    await v.check('break-glass', 403);
    const reason = v.page.locator('textarea[name=reason]');
    const button = v.page.locator('main form button[type=submit]');
    // Long enough for the browser's own check, too short once trimmed: the server's answer.
    await reason.fill(`kort${' '.repeat(10)}`);
    await v.submit(button);
    await v.check('break-glass, reason too short', 400);
    await reason.fill('Larm från boendet, ordinarie personal når inte journalen');
    await v.submit(button);
    await v.check('resident opened by break-glass');
    // Hits outside the ward are counted, with a form that asks for a reason to list them.
    await v.search(fragment, 'search with hits outside the ward');
  },
  staff: async (v) => {
    await v.search(fragment, 'search results');
    await v.goto(`/boende/${keyHolder}`);
    await v.submit(v.page.getByRole('button', { name: /nyckel och portkod|key and door/ }));
    await v.check('key page');
  },
  oncall: async (v) => {
    await v.goto('/jour');
    const form = v.page.locator('form[action="/jour/kod"]');
    await form.locator('select[name=unit]').selectOption('sabo-2-avd-1');
    await form.locator('input[name=reason]').fill('Ordinarie inloggning fungerar inte');
    await form.locator('input[name=forPerson]').fill('Vikarie Natt');
    await v.submit(form.locator('button[type=submit]'));
    await v.check('new emergency code');
  },
  auditor: async (v) => {
    await v.goto('/granskning');
    const form = v.page.locator('form[action="/granskning"]');
    await form.locator('input[name=user]').fill('wardnurse');
    await v.submit(form.locator('button[type=submit]'));
    await v.check('filtered log review');
    // No data-age banner on the reviewer's pages, so no link leads to the status page.
    await v.goto('/status');
    await v.check('status page');
  },
};

async function signedOutPages(findings: Findings, lang: Lang): Promise<string[]> {
  const v = await Visitor.open('signed out', lang, findings);
  await v.check('sign-in');
  const form = v.page.locator('form[action="/logga-in"]');
  await form.locator('input[name=name]').fill('okand');
  await form.locator('input[name=password]').fill('inte rätt lösenord alls');
  await v.submit(form.locator('button[type=submit]'));
  await v.check('sign-in with an error notice', 401);
  await v.close();
  return v.checked;
}

/** All pages of one account in one language: crawl (or the paths given), forms, 404, sign-out. */
async function session(
  findings: Findings,
  label: string,
  user: TestUser,
  lang: Lang,
  crawl: { paths?: readonly string[] } | false,
): Promise<{ crawled: string[]; checked: string[] }> {
  const v = await Visitor.open(label, lang, findings);
  await v.signIn(user);
  let crawled: string[] = [];
  if (crawl === false) await v.check();
  else if (crawl.paths) await v.revisit(crawl.paths);
  else crawled = await v.crawl(v.path());
  await FORMS[label]?.(v);
  await v.goto('/finns-inte');
  await v.check('404', 404);
  await v.signOut();
  await v.check('signed out');
  await v.close();
  return { crawled, checked: v.checked };
}

describe('accessibility of the station in a browser', () => {
  it('has no axe-core violations, small targets or invisible focus on any page of any role, in Swedish or English', async () => {
    const findings: Findings = { axe: [], targets: [], focus: [], other: [] };
    const checked = new Map<string, string[]>();
    const crawled = new Map<string, string[]>();
    // Two lanes side by side, one per core. The accounts with a one-time code share a lane, so
    // that no other sign-in moves the shared clock between a code being computed and used.
    const lanes: [string, TestUser, boolean][][] = [
      [
        ['nurse', station.nurse, true],
        ['wardnurse', wardNurse, false],
        ['auditor', auditor, true],
      ],
      [
        ['staff', staff, true],
        ['oncall', oncall, true],
        ['admin', admin, true],
      ],
    ];
    await Promise.all([
      ...lanes.map(async (lane) => {
        for (const [label, user, crawl] of lane) {
          const sv = await session(findings, label, user, 'sv', crawl && {});
          const en = await session(findings, label, user, 'en', crawl && { paths: sv.crawled });
          crawled.set(label, sv.crawled);
          checked.set(label, [...sv.checked, ...en.checked]);
        }
      }),
      (async () => {
        for (const lang of ['sv', 'en'] as const)
          checked.set(`signed out ${lang}`, await signedOutPages(findings, lang));
      })(),
    ]);

    expect.soft(findings.axe).toEqual([]);
    expect.soft(findings.targets).toEqual([]);
    expect.soft(findings.focus).toEqual([]);
    expect.soft(findings.other).toEqual([]);
    // The crawl went everywhere it should: the nurse up to the cap, staff their whole group.
    expect(crawled.get('nurse')).toHaveLength(PAGE_CAP);
    expect(crawled.get('staff')!.length).toBeGreaterThan(40);
    expect(crawled.get('oncall')).toContain('/jour');
    // The administrator's page links to the status page; the crawl finds it there.
    expect(crawled.get('admin')).toEqual(['/station', '/jour', '/status']);
    expect(crawled.get('auditor')).toEqual(['/granskning']);
    expect(checked.get('staff')).toContain('key page');
    expect(checked.get('oncall')).toContain('new emergency code');
    expect(checked.get('wardnurse')).toContain('break-glass');
    expect(crawled.get('staff')).toContain('/status');
  }, 180_000);

  it('signs in, searches, opens a resident and skips to the content by keyboard alone', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const active = (what: string) =>
      page.evaluate(`(() => { const el = document.activeElement; return ${what}; })()`);
    const name = () => active('el && el.getAttribute("name")');
    // Autofocus applies once the new page has rendered, a moment after its URL changes.
    const focused = async (field: string) => {
      await page
        .waitForFunction(
          `document.activeElement && document.activeElement.name === '${field}'`,
          undefined,
          { timeout: 5_000 },
        )
        .catch(() => undefined);
      return name();
    };
    const { keyboard } = page;

    await page.goto(`${station.url}/logga-in`);
    // The user name field has focus from the start.
    expect(await focused('name')).toBe('name');
    await keyboard.type(station.nurse.name);
    await keyboard.press('Tab');
    expect(await name()).toBe('password');
    await keyboard.type(TEST_PASSWORD);
    await keyboard.press('Tab');
    expect(await name()).toBe('code');
    await keyboard.press('Tab');
    expect(await active('el.tagName + " " + el.textContent.trim()')).toBe('BUTTON Logga in');
    await keyboard.press('Shift+Tab');
    expect(await name()).toBe('code');
    await keyboard.press('Tab');
    await Promise.all([page.waitForURL(`${station.url}/`), keyboard.press('Space')]);

    // The search box has focus after signing in.
    expect(await focused('q')).toBe('q');
    await keyboard.type(fragment);
    await Promise.all([page.waitForURL(/\/(sok|boende\/[^/]+)$/), keyboard.press('Enter')]);
    if (page.url().endsWith('/sok')) {
      expect(await focused('q')).toBe('q');
      let onPerson = false;
      for (let i = 0; i < 30 && !onPerson; i++) {
        await keyboard.press('Tab');
        onPerson = (await active('el.matches("a[href^=\'/boende/\']")')) === true;
      }
      expect(onPerson).toBe(true);
      await Promise.all([page.waitForURL(/\/boende\/[^/]+$/), keyboard.press('Enter')]);
    }
    expect(await page.locator('h1').innerText()).not.toBe('');

    // From the top of the page, the first Tab stop is the skip link, shown when focused.
    expect(await active('el === document.body')).toBe(true);
    await keyboard.press('Tab');
    expect(await active('el.textContent.trim()')).toBe('Hoppa till innehållet');
    const box = (await active(
      '(() => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()',
    )) as number[];
    expect(box[0]).toBeGreaterThanOrEqual(0);
    expect(box[1]).toBeGreaterThanOrEqual(0);
    expect(Math.min(box[2]!, box[3]!)).toBeGreaterThanOrEqual(MIN_TARGET);
    await keyboard.press('Enter');
    await page.waitForURL(/#main$/);
    // The next Tab stop is inside the content, past the header and its buttons.
    await keyboard.press('Tab');
    expect(await active('el.closest("main") !== null')).toBe(true);
    await context.close();
  });
});
