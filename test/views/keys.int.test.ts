/**
 * Key and door information against a real server: shown to home-care staff only after the click
 * (a POST), with its audit entry committed first; refused with a 403 and a `denied` entry for
 * nursing-home staff and the on-call manager; never on the resident page itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/entry.ts';
import { openEncrypted } from '../../src/store/db.ts';
import { createTestUser, type Client, type TestUser } from '../helpers/access.ts';
import { visibleText } from '../helpers/html-text.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

let t: TestStation;
let homeCareStaff: TestUser;
let wardStaff: TestUser;
let oncall: TestUser;
const clients = new Map<string, Client>();
/** A home-care client of hemtjanst-1 and their key record. */
let client: { id: string; name: string; unit: string; ident: string };
let keyRecord: { id: string; text: string };
let wardResident: { id: string; name: string };

function entriesAfter(seq: number): AuditEntry[] {
  return t.access.audit.query({ limit: 10_000 }).filter((e) => e.seq > seq);
}

beforeAll(async () => {
  t = await startTestStation(tempDir('keys'), { people: 40 });
  client = t.db
    .prepare(
      `SELECT p.id, p.name_display AS name, p.unit_id AS unit, p.ident_value AS ident
         FROM patient p JOIN resource r ON r.patient_id = p.id AND r.type = 'Basic'
        WHERE p.unit_id = 'hemtjanst-1' AND p.protected = 0 ORDER BY p.id LIMIT 1`,
    )
    .get() as typeof client;
  const basic = t.db
    .prepare(`SELECT id, raw FROM resource WHERE type = 'Basic' AND patient_id = ?`)
    .get(client.id) as { id: string; raw: string };
  keyRecord = {
    id: basic.id,
    text: (JSON.parse(basic.raw) as { extension: { valueString: string }[] }).extension[0]!
      .valueString,
  };
  wardResident = t.db
    .prepare(`SELECT id, name_display AS name FROM patient WHERE unit_id LIKE 'sabo-1-%' LIMIT 1`)
    .get() as typeof wardResident;
  homeCareStaff = await createTestUser(t.station.control, t.clock, {
    name: 'hemtjanst',
    role: 'staff',
    units: ['hemtjanst-1'],
  });
  wardStaff = await createTestUser(t.station.control, t.clock, {
    name: 'sabo',
    role: 'staff',
    units: ['sabo-1'],
  });
  oncall = await createTestUser(t.station.control, t.clock, {
    name: 'jour',
    role: 'oncall',
    units: ['kommun'],
  });
  for (const u of [homeCareStaff, wardStaff, oncall]) clients.set(u.name, await t.signIn(u));
}, 120_000);
afterAll(() => t?.stop());

describe('key and door information', () => {
  it('is shown to home-care staff after the click, with the audit entry naming the key record', async () => {
    const c = clients.get('hemtjanst')!;
    const before = t.access.audit.head().seq;
    const res = await c.post(`/boende/${client.id}/nycklar`, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(visibleText(body)).toContain(keyRecord.text);
    expect(body).toContain(client.name);
    const events = entriesAfter(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'view',
      outcome: 'success',
      user: 'hemtjanst',
      role: 'staff',
      patient: client.id,
      patientIdent: client.ident,
      unit: client.unit,
      resources: [`Basic/${keyRecord.id}`],
    });
    expect(events[0]!.flags ?? []).toEqual([]);
  });

  it('commits the audit entry before anything is shown: no audit, no keys', async () => {
    const c = clients.get('hemtjanst')!;
    // Another connection holds the audit database's write lock past the busy timeout.
    const blocker = openEncrypted(t.station.paths.audit, t.station.dbKey);
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      const res = await c.post(`/boende/${client.id}/nycklar`, {});
      const body = await res.text();
      expect(res.status).toBe(503);
      expect(body).toContain('AUDIT_UNAVAILABLE');
      expect(body).not.toContain(keyRecord.text);
      expect(body).not.toContain(client.name);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
  });

  it('refuses nursing-home staff and the on-call manager with a 403 and a denied entry', async () => {
    for (const [name, role] of [
      ['sabo', 'staff'],
      ['jour', 'oncall'],
    ] as const) {
      const before = t.access.audit.head().seq;
      const res = await clients.get(name)!.post(`/boende/${client.id}/nycklar`, {});
      const body = await res.text();
      expect(res.status, name).toBe(403);
      expect(body).not.toContain(keyRecord.text);
      expect(body).not.toContain(client.name);
      const events = entriesAfter(before);
      expect(events, name).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: 'denied',
        outcome: 'denied',
        user: name,
        role,
        patient: client.id,
      });
      expect(JSON.stringify(events[0])).not.toContain(keyRecord.id);
    }
  });

  it('refuses a nursing-home resident’s keys even to staff of that unit', async () => {
    const before = t.access.audit.head().seq;
    const res = await clients.get('sabo')!.post(`/boende/${wardResident.id}/nycklar`, {});
    expect(res.status).toBe(403);
    expect(entriesAfter(before).map((e) => e.action)).toEqual(['denied']);
  });

  it('answers an unknown person with 404, and has no GET page to bookmark', async () => {
    const c = clients.get('hemtjanst')!;
    expect((await c.post('/boende/no-such-person/nycklar', {})).status).toBe(404);
    expect((await c.get(`/boende/${client.id}/nycklar`)).status).toBe(404);
  });

  it('never puts the key values on the resident page', async () => {
    for (const name of ['hemtjanst', 'jour']) {
      const res = await clients.get(name)!.get(`/boende/${client.id}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain(client.name);
      expect(body).not.toContain(keyRecord.text);
      expect(body).not.toMatch(/lås-id \d|portkod \d/i);
    }
  });
});
