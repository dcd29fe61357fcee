/**
 * U9 emergency codes, break-glass and the log reviewer's page against the real server, and the
 * staff roster: an account linked by HSA-id follows the roster of the snapshot being served.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { DEFAULT_AS_OF } from '../../src/generate/generate.ts';
import { openReadOnly, type Db } from '../../src/store/db.ts';
import { loadBulkExport } from '../../src/store/load-bulk.ts';
import { snapshotInfo } from '../../src/store/queries.ts';
import { createApp, type Snapshot } from '../../src/web/app.ts';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { client, createTestUser, signIn, type Client, type TestUser } from '../helpers/access.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

let t: TestStation;
let oncall: TestUser;
let oncallClient: Client;
let nurse: TestUser;
let auditor: TestUser;

interface Person {
  id: string;
  unit: string;
  name: string;
  ident: string;
}

function residentIn(unitLike: string): Person {
  return t.db
    .prepare(
      `SELECT id, unit_id AS unit, name_display AS name, ident_value AS ident
         FROM patient WHERE unit_id LIKE ? ORDER BY id LIMIT 1`,
    )
    .get(unitLike) as Person;
}

function post(path: string, form: Record<string, string>) {
  return fetch(`${t.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: { Origin: t.url },
  });
}

async function codeSignIn(code: string, holder: string): Promise<Client | number> {
  const res = await post('/logga-in/nodkod', { code, holder });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('rj_session='))
    ?.split(';')[0];
  if (res.status !== 303 || !cookie) return res.status;
  return client(t.url, cookie);
}

async function issue(form: Record<string, string>): Promise<{ status: number; code?: string }> {
  // A fresh sign-in each time: the tests move the clock by hours.
  oncallClient = await t.signIn(oncall);
  const res = await oncallClient.post('/jour/kod', form);
  const body = await res.text();
  const code = /data-testid="new-code">([A-Z0-9-]+)</.exec(body)?.[1];
  return code ? { status: res.status, code } : { status: res.status };
}

beforeAll(async () => {
  t = await startTestStation(tempDir('emergency'), { people: 40 });
  oncall = await createTestUser(t.station.control, t.clock, {
    name: 'jour',
    role: 'oncall',
    units: ['sabo-1'],
  });
  nurse = await createTestUser(t.station.control, t.clock, {
    name: 'syster',
    role: 'nurse',
    units: ['sabo-1'],
  });
  auditor = await createTestUser(t.station.control, t.clock, { name: 'revisor', role: 'auditor' });
  oncallClient = await t.signIn(oncall);
}, 60_000);
afterAll(() => t?.stop());

describe('U9: emergency codes from the on-call manager', () => {
  it('opens one unit for one person for a limited time, every event flagged emergency', async () => {
    const inside = residentIn('sabo-1-%');
    const outside = residentIn('hemtjanst-%');
    const issued = await issue({ unit: 'sabo-1', hours: '2', reason: 'vikarie nattpass' });
    expect(issued.status).toBe(200);
    expect(issued.code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);

    const before = t.access.audit.head().seq;
    const holder = await codeSignIn(issued.code!.toLowerCase(), 'Vera Vikarie');
    if (typeof holder === 'number') throw new Error(`code sign-in failed: ${holder}`);
    const start = await (await holder.get('/')).text();
    expect(start).toContain('Nödåtkomst');
    expect(start).not.toContain('Hemtjänst Norr');
    expect((await holder.get(`/boende/${inside.id}`)).status).toBe(200);
    // Outside its unit the code opens nothing, and offers no break-glass either.
    const refused = await holder.get(`/boende/${outside.id}`);
    expect(refused.status).toBe(403);
    const refusedBody = await refused.text();
    expect(refusedBody).not.toContain(outside.name);
    expect(refusedBody).not.toContain('nodatkomst');

    const mine = t.access.audit
      .query({ user: 'Vera Vikarie', limit: 100 })
      .filter((e) => e.seq > before);
    expect(mine.map((e) => e.action).sort()).toEqual(['denied', 'emergency', 'view']);
    for (const e of mine) expect(e.flags, e.action).toContain('emergency');

    // The code belongs to its first holder: someone else cannot use it.
    expect(await codeSignIn(issued.code!, 'Per Annan')).toBe(401);
    // The holder can come back after a timed-out session, within the window.
    expect(typeof (await codeSignIn(issued.code!, 'vera  vikarie'))).toBe('object');

    // Two hours later the code and its sessions are over by themselves.
    t.clock.advance(2 * 3_600_000);
    expect((await holder.get('/')).status).toBe(303);
    t.clock.advance(60_000);
    expect(await codeSignIn(issued.code!, 'Vera Vikarie')).toBe(401);
  });

  it('ends the sessions of a revoked code at their next request', async () => {
    const issued = await issue({ unit: 'sabo-1', hours: '8', reason: 'personal från bemanningen' });
    const holder = await codeSignIn(issued.code!, 'Sam Bemanning');
    if (typeof holder === 'number') throw new Error('sign-in failed');
    expect((await holder.get('/')).status).toBe(200);
    const list = await (await oncallClient.get('/jour')).text();
    const id = /name="id" value="([0-9a-f]+)"/.exec(list)![1]!;
    expect((await oncallClient.post('/jour/aterkalla', { id })).status).toBe(303);
    expect((await holder.get('/')).status).toBe(303);
    expect(await (await oncallClient.get('/jour')).text()).toContain('Återkallad');
  });

  it('binds a code issued for a named person to that name', async () => {
    const issued = await issue({
      unit: 'sabo-1',
      hours: '1',
      reason: 'sjuksköterska från grannkommunen',
      forPerson: 'Kim Korsbäck',
    });
    expect(await codeSignIn(issued.code!, 'Annan Person')).toBe(401);
    expect(typeof (await codeSignIn(issued.code!, 'kim korsbäck'))).toBe('object');
  });

  it('refuses codes beyond 12 hours or for a unit the manager does not answer for', async () => {
    for (const form of [
      { unit: 'sabo-1', hours: '13', reason: 'för lång tid' },
      { unit: 'hemtjanst-1', hours: '2', reason: 'annan enhet' },
      { unit: 'sabo-1', hours: '2', reason: '' },
    ]) {
      oncallClient = await t.signIn(oncall);
      const res = await oncallClient.post('/jour/kod', form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(await res.text()).toContain('EMERGENCY_CODE_INVALID');
    }
  });

  it('shows whom to call on the sign-in page when nothing is configured', async () => {
    const body = await (await fetch(`${t.url}/logga-in`)).text();
    expect(body).toContain('Inget konto? Logga in med nödkod');
    expect(body).toContain('Inga telefonnummer är inlagda på stationen');
  });
});

describe('break-glass', () => {
  it('opens a resident outside the account’s units only after a reason, flagged for review', async () => {
    const c = await t.signIn(nurse);
    const outside = residentIn('hemtjanst-%');
    const first = await c.get(`/boende/${outside.id}`);
    expect(first.status).toBe(403);
    const form = await first.text();
    expect(form).toContain('Personen tillhör en annan enhet');
    expect(form).not.toContain(outside.name);

    const short = await c.post(`/boende/${outside.id}/nodatkomst`, { reason: 'behöver' });
    expect(short.status).toBe(400);
    expect(await short.text()).not.toContain(outside.name);

    const reason = 'brukaren larmade, hemtjänsten når inte journalen';
    const before = t.access.audit.head().seq;
    const granted = await c.post(`/boende/${outside.id}/nodatkomst`, { reason });
    expect(granted.status).toBe(303);
    const page = await c.get(`/boende/${outside.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(outside.name);
    const events = t.access.audit
      .query({ patient: outside.id, limit: 10 })
      .filter((e) => e.seq > before)
      .sort((a, b) => a.seq - b.seq);
    expect(events.map((e) => [e.action, e.flags, e.reason])).toEqual([
      ['break-glass', ['break-glass'], reason],
      ['view', ['break-glass'], reason],
    ]);
  });

  it('lists emergency and break-glass access first on the log reviewer’s page, and filters by personnummer', async () => {
    const c = await t.signIn(auditor);
    const res = await c.get('/granskning');
    expect(res.status).toBe(200);
    const body = await res.text();
    const rows = [...body.matchAll(/<tr class="([^"]*)">/g)].map((m) => m[1]);
    expect(rows.length).toBeGreaterThan(5);
    const firstPlain = rows.indexOf('');
    expect(firstPlain).toBeGreaterThan(0);
    expect(rows.slice(firstPlain).every((r) => r === '')).toBe(true);

    const outside = residentIn('hemtjanst-%');
    const filtered = await (
      await c.post('/granskning', { patientIdent: outside.ident.replace(/^\d{2}/, '') })
    ).text();
    expect(filtered).toContain('break-glass');
    const idents = [...filtered.matchAll(/<td>(\d{6,8}[-+]?\d{4})<\/td>/g)].map((m) => m[1]);
    expect(idents.length).toBeGreaterThan(0);
    expect(new Set(idents)).toEqual(new Set([outside.ident]));
  });
});

describe('staff roster: accounts linked by HSA-id follow the snapshot', () => {
  let dir: string;
  let server: RunningServer;
  let current: Snapshot;
  const dbs: Db[] = [];

  async function variant(
    name: string,
    edit: (type: string, r: Record<string, unknown>) => void,
  ): Promise<Snapshot> {
    const source = path.join(dir, name);
    cpSync(path.join(dir, 'base'), source, { recursive: true });
    for (const type of ['Practitioner', 'PractitionerRole']) {
      const file = path.join(source, `${type}.ndjson`);
      const lines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const r of lines) edit(type, r);
      writeFileSync(file, lines.map((r) => JSON.stringify(r) + '\n').join(''));
    }
    const dbFile = path.join(dir, `${name}.sqlite`);
    await loadBulkExport({
      sourceDir: source,
      dbFile,
      now: new Date(DEFAULT_AS_OF),
      log: silentLogger,
    });
    const db = openReadOnly(dbFile);
    dbs.push(db);
    return { db, info: snapshotInfo(db) };
  }

  afterAll(async () => {
    await server?.close();
    for (const db of dbs) db.close();
  });

  it('narrows, moves and ends access as the roster changes, at the next request', async () => {
    dir = tempDir('roster');
    cpSync(t.sourceDir, path.join(dir, 'base'), { recursive: true });
    const roles = readFileSync(path.join(dir, 'base', 'PractitionerRole.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string;
            practitioner: { reference: string };
            organization: { reference: string };
            code: { coding: { code: string }[] }[];
          },
      );
    const role = roles.find(
      (r) =>
        r.organization.reference === 'Organization/sabo-1-avd-1' &&
        r.code[0]!.coding[0]!.code === 'staff',
    )!;
    const practitionerId = role.practitioner.reference.replace('Practitioner/', '');
    const practitioner = readFileSync(path.join(dir, 'base', 'Practitioner.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; identifier: { value: string }[] })
      .find((p) => p.id === practitionerId)!;
    const hsaId = practitioner.identifier[0]!.value;

    const asIs = await variant('as-is', () => {});
    const moved = await variant('moved', (type, r) => {
      if (type === 'PractitionerRole' && r.id === role.id)
        r.organization = { reference: 'Organization/sabo-1-avd-2' };
    });
    const gone = await variant('inactive', (type, r) => {
      if (type === 'Practitioner' && r.id === practitionerId) r.active = false;
    });
    current = asIs;
    const access = { ...t.access };
    const app = createApp({
      config: loadConfig({ cwd: dir, env: {}, flags: { dataDir: dir, port: '0' } }),
      clock: t.clock,
      log: silentLogger,
      snapshots: { current: () => current },
      access,
    });
    server = await startServer(app, '127.0.0.1', 0);
    const user = await createTestUser(t.station.control, t.clock, {
      name: 'lankad',
      role: 'staff',
      units: ['sabo-1'],
      hsaId,
    });
    const c = await signIn(server.url, user, t.clock);
    const inAvd = (db: Db, unit: string) =>
      db.prepare('SELECT id FROM patient WHERE unit_id = ? LIMIT 1').pluck().get(unit) as string;
    const avd1 = inAvd(asIs.db, 'sabo-1-avd-1');
    const avd2 = inAvd(asIs.db, 'sabo-1-avd-2');

    // The account says the whole home; the roster places the person on ward 1 only.
    expect((await c.get(`/boende/${avd1}`)).status).toBe(200);
    expect((await c.get(`/boende/${avd2}`)).status).toBe(403);

    current = moved;
    expect((await c.get(`/boende/${avd1}`)).status).toBe(403);
    expect((await c.get(`/boende/${avd2}`)).status).toBe(200);

    current = gone;
    const res = await c.get('/');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('ACCESS_DENIED');
    const denial = t.access.audit.query({ user: 'lankad', actions: ['denied'], limit: 10 })[0];
    expect(denial).toMatchObject({ role: 'staff', outcome: 'denied' });
    expect(denial!.reason).toContain('staff roster');
    // The session is over, not just this page.
    current = asIs;
    expect((await c.get('/')).status).toBe(303);
  });
});
