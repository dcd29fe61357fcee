/**
 * Signing in and sessions against the real server and the real control database: U1 throttling
 * without lockout, U6 identical answers, TOTP, SE1–SE3 session ids and timeouts, accounts that
 * change under a running session, and D3 (a failing audit store refuses disclosure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_BUSY_TIMEOUT_MS } from '../../src/audit/audit-log.ts';
import { signInWithPassword } from '../../src/auth/signin.ts';
import { ABSOLUTE_MS, IDLE_MS } from '../../src/auth/sessions.ts';
import { createThrottle, FORGET_AFTER_MS, MAX_DELAY_MS } from '../../src/auth/throttle.ts';
import { totpCode } from '../../src/auth/totp.ts';
import { disableUser, resetUser } from '../../src/auth/users.ts';
import { ReservError } from '../../src/core/errors.ts';
import { openEncrypted } from '../../src/store/db.ts';
import { client, createTestUser, TEST_PASSWORD, type TestUser } from '../helpers/access.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

let t: TestStation;
let staff: TestUser;
let oncall: TestUser;

beforeAll(async () => {
  t = await startTestStation(tempDir('signin'), { people: 30 });
  staff = await createTestUser(t.station.control, t.clock, {
    name: 'stina',
    role: 'staff',
    units: ['kommun'],
  });
  oncall = await createTestUser(t.station.control, t.clock, {
    name: 'olof',
    role: 'oncall',
    units: ['kommun'],
  });
}, 60_000);
afterAll(() => t?.stop());

function post(path: string, form: Record<string, string>, cookie?: string) {
  return fetch(`${t.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: { Origin: t.url, ...(cookie ? { Cookie: cookie } : {}) },
  });
}

/** The page without its per-response nonce, for comparing two answers. */
const stable = (html: string) => html.replace(/nonce="[^"]*"/g, '');

function sessionCookie(res: Response): string {
  const c = res.headers.getSetCookie().find((s) => s.startsWith('rj_session='));
  if (!c) throw new Error('no session cookie');
  return c;
}

describe('U6: the same answer for an unknown name and a wrong password', () => {
  it('answers both with the same page and status, and both cost a password hash', async () => {
    const timings: Record<string, number[]> = { unknown: [], wrong: [] };
    const bodies: Record<string, string> = {};
    for (let i = 0; i < 3; i++) {
      for (const [kind, name] of [
        ['unknown', 'ingen-sadan'],
        ['wrong', 'stina'],
      ] as const) {
        t.clock.advance(MAX_DELAY_MS); // stay clear of the throttle
        const started = performance.now();
        const res = await post('/logga-in', { name, password: 'fel men långt lösenord här' });
        timings[kind]!.push(performance.now() - started);
        expect(res.status).toBe(401);
        bodies[kind] = stable(await res.text()).replace(`value="${name}"`, 'value=""');
      }
    }
    expect(bodies.unknown).toBe(bodies.wrong);
    expect(bodies.wrong).toContain('Användarnamn, lösenord eller kod stämmer inte.');
    // Without the dummy hash an unknown name would answer in about a millisecond, a wrong
    // password in about 300: the medians must be of the same order.
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    expect(median(timings.unknown!) / median(timings.wrong!)).toBeGreaterThan(0.3);
  });
});

describe('U1: throttling from the fifth failure, never a hard lockout', () => {
  it('refuses 10,000 guesses without hashing them, then lets the right password in', async () => {
    const throttle = createThrottle();
    const deps = { control: t.station.control, clock: t.clock, throttle };
    const attempt = (password: string) =>
      signInWithPassword(deps, { name: 'stina', password }).then(
        () => 'ok',
        (e: ReservError) => e.code,
      );
    for (let i = 0; i < 5; i++)
      expect(await attempt(`gissning nummer ${i} lång`)).toBe('AUTH_FAILED');
    const started = performance.now();
    const answers = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const code = await attempt(`gissning nummer ${i} igen`);
      answers.set(code, (answers.get(code) ?? 0) + 1);
    }
    // All 10,000 refused before any hashing: 10,000 scrypt runs would take almost an hour.
    expect(answers).toEqual(new Map([['AUTH_THROTTLED', 10_000]]));
    expect(performance.now() - started).toBeLessThan(30_000);
    // Even the right password waits out the delay …
    expect(await attempt(TEST_PASSWORD)).toBe('AUTH_THROTTLED');
    // … which is never longer than a minute: then it works.
    t.clock.advance(MAX_DELAY_MS);
    expect(await attempt(TEST_PASSWORD)).toBe('ok');
  });

  it('throttles over HTTP with the wait shown, and names that do not exist the same way', async () => {
    for (const name of ['stina', 'finns-inte']) {
      t.clock.advance(FORGET_AFTER_MS);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await post('/logga-in', { name, password: `fel lösenord nummer ${i}` })).status,
        );
      expect(statuses, name).toEqual([401, 401, 401, 401, 401, 429]);
      const res = await post('/logga-in', { name, password: TEST_PASSWORD });
      expect(res.status).toBe(429);
      expect(await res.text()).toMatch(/vänta \d+ s/);
    }
    t.clock.advance(MAX_DELAY_MS);
    expect((await post('/logga-in', { name: 'stina', password: TEST_PASSWORD })).status).toBe(303);
  });
});

describe('second factor (TOTP) for on-call and admin accounts', () => {
  it('refuses the password alone, accepts a current code once, and refuses its replay', async () => {
    t.clock.advance(MAX_DELAY_MS);
    expect((await post('/logga-in', { name: 'olof', password: TEST_PASSWORD })).status).toBe(401);
    t.clock.advance(30_000);
    const code = totpCode(oncall.totpSecret!, t.clock.now());
    expect((await post('/logga-in', { name: 'olof', password: TEST_PASSWORD, code })).status).toBe(
      303,
    );
    expect((await post('/logga-in', { name: 'olof', password: TEST_PASSWORD, code })).status).toBe(
      401,
    );
  });
});

describe('SE1–SE3: sessions', () => {
  async function signInStina(): Promise<string> {
    t.clock.advance(MAX_DELAY_MS);
    const res = await post('/logga-in', { name: 'stina', password: TEST_PASSWORD });
    expect(res.status).toBe(303);
    return sessionCookie(res);
  }

  it('uses a 256-bit random id in an HttpOnly, SameSite=Strict cookie, new at every sign-in', async () => {
    const first = await signInStina();
    expect(first).toMatch(/^rj_session=[A-Za-z0-9_-]{43}; /);
    expect(first).toContain('HttpOnly');
    expect(first).toContain('SameSite=Strict');
    const old = first.split(';')[0]!;
    // Signing in again from the same browser replaces the session (no fixation).
    t.clock.advance(MAX_DELAY_MS);
    const again = await post('/logga-in', { name: 'stina', password: TEST_PASSWORD }, old);
    const renewed = sessionCookie(again).split(';')[0]!;
    expect(renewed).not.toBe(old);
    expect((await client(t.url, old).get('/')).status).toBe(303);
    expect((await client(t.url, renewed).get('/')).status).toBe(200);
  });

  it('ends the session at sign-out: the old cookie opens nothing', async () => {
    const cookie = (await signInStina()).split(';')[0]!;
    const c = client(t.url, cookie);
    expect((await c.get('/')).status).toBe(200);
    const out = await c.post('/logga-ut', {});
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/logga-in?ut=1');
    const after = await c.get('/');
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toMatch(/^\/logga-in/);
  });

  it('ends a session after 15 minutes without use', async () => {
    const c = client(t.url, (await signInStina()).split(';')[0]!);
    t.clock.advance(IDLE_MS - 1000);
    expect((await c.get('/')).status).toBe(200);
    t.clock.advance(IDLE_MS);
    const res = await c.get('/');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/logga-in?slut=1');
  });

  it('ends a session 12 hours after sign-in even when it is used all the time', async () => {
    const c = client(t.url, (await signInStina()).split(';')[0]!);
    const steps = Math.floor(ABSOLUTE_MS / (10 * 60_000));
    for (let i = 1; i < steps; i++) {
      t.clock.advance(10 * 60_000);
      expect((await c.get('/')).status, `after ${i * 10} min`).toBe(200);
    }
    t.clock.advance(10 * 60_000);
    expect((await c.get('/')).status).toBe(303);
  });

  it('sends Cache-Control: no-store on the sign-in page, pages, redirects and errors', async () => {
    const c = client(t.url, (await signInStina()).split(';')[0]!);
    for (const res of [
      await fetch(`${t.url}/logga-in`),
      await c.get('/'),
      await c.get('/nope'),
      await fetch(`${t.url}/`, { redirect: 'manual' }),
    ])
      expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows sign-out and switch user on every signed-in page', async () => {
    const c = client(t.url, (await signInStina()).split(';')[0]!);
    const unit = t.db.prepare('SELECT unit_id FROM patient LIMIT 1').pluck().get() as string;
    const patient = t.db.prepare('SELECT id FROM patient LIMIT 1').pluck().get() as string;
    for (const path of ['/', `/enhet/${unit}`, `/boende/${patient}`, '/no-such-page']) {
      const body = await (await c.get(path)).text();
      expect(body, path).toContain('data-testid="user-bar"');
      expect(body, path).toContain('Logga ut');
      expect(body, path).toContain('Byt användare');
    }
  });
});

describe('accounts that change while someone is signed in', () => {
  it('ends the session of a disabled account, and of an account whose password was reset', async () => {
    const user = await createTestUser(t.station.control, t.clock, {
      name: 'tillfallig',
      role: 'staff',
      units: ['kommun'],
    });
    const c = await t.signIn(user);
    expect((await c.get('/')).status).toBe(200);
    await resetUser(t.station.control, user.name, `${TEST_PASSWORD} nytt`, t.clock);
    expect((await c.get('/')).status).toBe(303);
    const again = await t.signIn({ ...user, password: `${TEST_PASSWORD} nytt` });
    expect((await again.get('/')).status).toBe(200);
    disableUser(t.station.control, user.name, t.clock);
    expect((await again.get('/')).status).toBe(303);
    t.clock.advance(MAX_DELAY_MS);
    const res = await post('/logga-in', { name: user.name, password: `${TEST_PASSWORD} nytt` });
    expect(res.status).toBe(401);
  });
});

describe('audit of sign-in events', () => {
  it('logs sign-in, failed sign-in and sign-out with the name, never the password', async () => {
    const before = t.access.audit.head().seq;
    t.clock.advance(MAX_DELAY_MS);
    await post('/logga-in', { name: 'stina', password: 'inte rätt lösenord alls' });
    t.clock.advance(MAX_DELAY_MS);
    const res = await post('/logga-in', { name: 'stina', password: TEST_PASSWORD });
    await client(t.url, sessionCookie(res).split(';')[0]!).post('/logga-ut', {});
    const events = t.access.audit
      .query({ user: 'stina', limit: 100 })
      .filter((e) => e.seq > before)
      .sort((a, b) => a.seq - b.seq);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['sign-in-failed', 'failure'],
      ['sign-in', 'success'],
      ['sign-out', 'success'],
    ]);
    expect(JSON.stringify(events)).not.toContain('inte rätt');
    expect(JSON.stringify(events)).not.toContain(TEST_PASSWORD);
  });
});

describe('D3: a failing audit store refuses disclosure', () => {
  it('shows no patient data while the audit database cannot be written, and recovers after', async () => {
    const c = await t.signIn(staff);
    const p = t.db.prepare('SELECT id, name_display AS name FROM patient LIMIT 1').get() as {
      id: string;
      name: string;
    };
    // Another connection holds the audit database's write lock past the busy timeout.
    const blocker = openEncrypted(t.station.paths.audit, t.station.dbKey);
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      const res = await c.get(`/boende/${p.id}`);
      const body = await res.text();
      expect(res.status).toBe(503);
      expect(body).toContain('AUDIT_UNAVAILABLE');
      expect(body).toContain('Åtkomstloggen kan inte skrivas just nu');
      expect(body).not.toContain(p.name);
      const search = await c.post('/sok', { q: p.name });
      expect(search.status).toBe(503);
      expect(await search.text()).not.toContain(p.name);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    const res = await c.get(`/boende/${p.id}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(p.name);
    expect(AUDIT_BUSY_TIMEOUT_MS).toBeLessThanOrEqual(5000);
  });
});
