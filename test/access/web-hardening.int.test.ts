/**
 * W2–W7 over every page a signed-in person can reach: a crawler follows every link as each role
 * and checks the headers of every response (also redirects, errors and assets), that the only
 * script carries this response's nonce, and that no URL carries a patient identifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/auth/policy.ts';
import { SECURITY_HEADERS } from '../../src/web/security.ts';
import { createTestUser, type Client } from '../helpers/access.ts';
import { rawRequest, startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

let t: TestStation;
const clients = new Map<string, Client>();

beforeAll(async () => {
  t = await startTestStation(tempDir('hardening'), { people: 25 });
  for (const role of ROLES) {
    const user = await createTestUser(t.station.control, t.clock, {
      name: `w-${role}`,
      role,
      units: role === 'admin' || role === 'auditor' ? [] : ['kommun'],
    });
    clients.set(role, await t.signIn(user));
  }
}, 60_000);
afterAll(() => t?.stop());

function checkHeaders(res: Response, body: string, where: string): string {
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(res.headers.get(name), `${where}: ${name}`).toBe(value);
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, where).toMatch(
    /^default-src 'none'; script-src 'nonce-[A-Za-z0-9+/=]{24}'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
  );
  const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
  for (const m of body.matchAll(/<script\b([^>]*)>/g))
    expect(m[1], `${where}: every script carries this response's nonce`).toContain(
      `nonce="${nonce}"`,
    );
  // No external assets: every src and href stays on the station.
  for (const m of body.matchAll(/\s(?:src|href|action)="([^"]*)"/g))
    expect(m[1]!.startsWith('/') || m[1]!.startsWith('#'), `${where}: ${m[1]}`).toBe(true);
  return nonce;
}

describe('W2, W6, W7: a crawler over every reachable page', () => {
  it('finds the headers, nonce-only scripts and identifier-free URLs on 100 % of responses', async () => {
    const idents = t.db
      .prepare('SELECT ident_value FROM patient WHERE ident_value IS NOT NULL')
      .pluck()
      .all() as string[];
    const names = t.db
      .prepare('SELECT family FROM patient WHERE family IS NOT NULL')
      .pluck()
      .all() as string[];
    const nonces = new Set<string>();
    let responses = 0;
    for (const [role, c] of clients) {
      const seen = new Set<string>();
      const queue = ['/', '/logga-in', '/assets/app.css', '/assets/idle.js', '/finns-inte'];
      while (queue.length > 0 && seen.size < 200) {
        const url = queue.shift()!;
        if (seen.has(url)) continue;
        seen.add(url);
        const res = await c.get(url);
        const body = await res.text();
        responses++;
        nonces.add(checkHeaders(res, body, `${role} ${url}`));
        // W7: no identity number and no name in any URL the station links to.
        for (const id of idents) expect(url).not.toContain(id.replace(/\D/g, '').slice(-10));
        for (const n of names) expect(decodeURIComponent(url)).not.toContain(n);
        const location = res.headers.get('location');
        if (location) queue.push(location);
        if ((res.headers.get('content-type') ?? '').startsWith('text/html'))
          for (const m of body.matchAll(/href="(\/[^"#]*)"/g))
            queue.push(m[1]!.replace(/&amp;/g, '&'));
      }
      expect(seen.size, role).toBeGreaterThan(role === 'staff' || role === 'nurse' ? 20 : 3);
    }
    // A fresh nonce for every response.
    expect(nonces.size).toBe(responses);
  });

  it('sends the same headers on refused requests (foreign Host, cross-site POST)', async () => {
    const host = await rawRequest(`${t.url}/`, { headers: { Host: 'evil.example' } });
    expect(host.status).toBe(421);
    const cross = await rawRequest(`${t.url}/logga-in`, {
      method: 'POST',
      body: 'name=x&password=y',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Sec-Fetch-Site': 'cross-site',
      },
    });
    expect(cross.status).toBe(403);
    for (const res of [host, cross]) {
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses a cross-site sign-out, search and emergency code (every POST route checks the origin)', async () => {
    const c = clients.get('oncall')!;
    for (const [path, form] of [
      ['/logga-ut', {}],
      ['/sok', { q: 'a' }],
      ['/jour/kod', { unit: 'kommun', hours: '1', reason: 'test' }],
      ['/logga-in/nodkod', { code: 'AAAA-BBBB-CCCC', holder: 'x' }],
    ] as const) {
      const res = await c.post(path, form, {
        Origin: 'http://evil.example',
        'Sec-Fetch-Site': 'cross-site',
      });
      expect(res.status, path).toBe(403);
      expect(await res.text()).toContain('FORBIDDEN_ORIGIN');
    }
    // Still signed in: the refused sign-out did nothing.
    expect((await c.get('/jour')).status).toBe(200);
  });
});
