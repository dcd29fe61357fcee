/**
 * Z1, Z2 and L1 against the real server: the role × section × action table in src/auth/policy.ts
 * drives one request per role and route; a staff account walks every resident id of the
 * snapshot; and what a person was shown is exactly what the audit log says they were shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, ROLES, type Action, type Role, type Section } from '../../src/auth/policy.ts';
import { unitFacts } from '../../src/store/units.ts';
import type { AuditEntry } from '../../src/audit/entry.ts';
import { createTestUser, type Client, type TestUser } from '../helpers/access.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

let t: TestStation;
const users = new Map<Role, TestUser>();
const clients = new Map<Role, Client>();
let own: { unit: string; patient: string; name: string };
let other: { unit: string; patient: string; name: string; ident: string };

function residentIn(unitLike: string) {
  return t.db
    .prepare(
      `SELECT id AS patient, unit_id AS unit, name_display AS name, ident_value AS ident
         FROM patient WHERE unit_id LIKE ? ORDER BY id LIMIT 1`,
    )
    .get(unitLike) as { patient: string; unit: string; name: string; ident: string };
}

function entriesAfter(seq: number): AuditEntry[] {
  return t.access.audit.query({ limit: 10_000 }).filter((e) => e.seq > seq);
}

beforeAll(async () => {
  t = await startTestStation(tempDir('policy'), { people: 60 });
  own = residentIn('sabo-1-%');
  other = residentIn('hemtjanst-%');
  const units: Record<Role, string[]> = {
    staff: ['sabo-1'],
    nurse: ['sabo-1'],
    oncall: ['sabo-1'],
    admin: [],
    auditor: [],
  };
  for (const role of ROLES) {
    const user = await createTestUser(t.station.control, t.clock, {
      name: `z-${role}`,
      role,
      units: units[role],
    });
    users.set(role, user);
    clients.set(role, await t.signIn(user));
  }
}, 120_000);
afterAll(() => t?.stop());

interface Route {
  readonly name: string;
  readonly section: Section;
  readonly action: Action;
  readonly target?: () => { unit: string; patient?: string };
  request(c: Client): Promise<Response>;
  /** The status when the policy allows; denials answer 403 unless stated. */
  readonly allowed: number;
  readonly denied?: number;
}

const ROUTES: Route[] = [
  {
    name: 'GET / (unit list)',
    section: 'units',
    action: 'view',
    allowed: 200,
    denied: 303,
    request: (c) => c.get('/'),
  },
  {
    name: 'GET /enhet (own unit)',
    section: 'residents',
    action: 'view',
    target: () => ({ unit: own.unit }),
    allowed: 200,
    request: (c) => c.get(`/enhet/${own.unit}`),
  },
  {
    name: 'GET /enhet (other unit)',
    section: 'residents',
    action: 'view',
    target: () => ({ unit: other.unit }),
    allowed: 200,
    request: (c) => c.get(`/enhet/${other.unit}`),
  },
  {
    name: 'GET /boende (own resident)',
    section: 'record',
    action: 'view',
    target: () => ({ unit: own.unit, patient: own.patient }),
    allowed: 200,
    request: (c) => c.get(`/boende/${own.patient}`),
  },
  {
    name: 'GET /boende (other unit’s resident)',
    section: 'record',
    action: 'view',
    target: () => ({ unit: other.unit, patient: other.patient }),
    allowed: 200,
    request: (c) => c.get(`/boende/${other.patient}`),
  },
  {
    name: 'POST /sok',
    section: 'search',
    action: 'view',
    allowed: 200,
    request: (c) => c.post('/sok', { q: 'a' }),
  },
  {
    name: 'GET /jour',
    section: 'emergencyCodes',
    action: 'view',
    allowed: 200,
    request: (c) => c.get('/jour'),
  },
  {
    name: 'POST /jour/kod',
    section: 'emergencyCodes',
    action: 'issue',
    allowed: 200,
    request: (c) =>
      c.post('/jour/kod', { unit: own.unit, hours: '2', reason: 'vikarie utan konto' }),
  },
  {
    name: 'GET /granskning',
    section: 'auditLog',
    action: 'view',
    allowed: 200,
    request: (c) => c.get('/granskning'),
  },
  {
    name: 'GET /station',
    section: 'station',
    action: 'view',
    allowed: 200,
    request: (c) => c.get('/station'),
  },
  {
    name: 'GET /status',
    section: 'status',
    action: 'view',
    allowed: 200,
    request: (c) => c.get('/status'),
  },
];

describe('Z1: every route follows the role × section × action table', () => {
  for (const role of ROLES) {
    for (const route of ROUTES) {
      it(`${role}: ${route.name}`, async () => {
        const user = users.get(role)!;
        const target = route.target?.();
        const decision = authorize(
          { role, units: new Set(user.units), breakGlass: new Map() },
          route.section,
          route.action,
          target
            ? {
                unit: unitFacts(t.db, target.unit),
                ...(target.patient ? { patientId: target.patient } : {}),
              }
            : undefined,
        );
        const before = t.access.audit.head().seq;
        const res = await route.request(clients.get(role)!);
        const body = await res.text();
        const denials = entriesAfter(before).filter((e) => e.action === 'denied');
        if (decision.allow) {
          expect(res.status).toBe(route.allowed);
          expect(denials).toEqual([]);
        } else {
          expect(res.status).toBe(route.denied ?? 403);
          // A denied request shows nobody's data.
          expect(body).not.toContain(other.name);
          expect(body).not.toContain(own.name);
          if (res.status === 403) {
            // Every denial is audited, with who and why.
            expect(denials).toHaveLength(1);
            expect(denials[0]).toMatchObject({ user: user.name, role, outcome: 'denied' });
          }
        }
      });
    }
  }

  it('gives the administrator and the log reviewer no patient data on any route', () => {
    for (const role of ['admin', 'auditor'] as const)
      for (const section of ['residents', 'record', 'keys', 'search', 'print'] as const)
        for (const action of ['view', 'print'] as const)
          expect(
            authorize(
              { role, units: new Set(['kommun']), breakGlass: new Map() },
              section,
              action,
              {
                unit: unitFacts(t.db, own.unit),
                patientId: own.patient,
              },
            ).allow,
          ).toBe(false);
  });

  it('shows key and door information only to home-care roles for home-care residents', () => {
    const homeCare = unitFacts(t.db, 'hemtjanst-1')!;
    const ward = unitFacts(t.db, own.unit)!;
    const subject = (role: Role, units: string[]) => ({
      role,
      units: new Set(units),
      breakGlass: new Map(),
    });
    expect(
      authorize(subject('staff', ['hemtjanst-1']), 'keys', 'view', { unit: homeCare }).allow,
    ).toBe(true);
    expect(authorize(subject('staff', ['sabo-1']), 'keys', 'view', { unit: ward }).allow).toBe(
      false,
    );
    expect(authorize(subject('oncall', ['kommun']), 'keys', 'view', { unit: homeCare }).allow).toBe(
      false,
    );
    // Break-glass never opens a home's keys.
    const glass = {
      role: 'nurse' as const,
      units: new Set(['sabo-1']),
      breakGlass: new Map([['x', 'reason']]),
    };
    expect(authorize(glass, 'keys', 'view', { unit: homeCare, patientId: 'x' }).allow).toBe(false);
  });
});

describe('Z2: enumerating resident ids across units', () => {
  it('opens only the residents of the account’s own units and audits every refusal', async () => {
    const c = clients.get('staff')!;
    const all = t.db
      .prepare('SELECT id, unit_id AS unit, name_display AS name FROM patient ORDER BY id')
      .all() as { id: string; unit: string | null; name: string }[];
    const before = t.access.audit.head().seq;
    let opened = 0;
    let refused = 0;
    for (const p of all) {
      const res = await c.get(`/boende/${encodeURIComponent(p.id)}`);
      const body = await res.text();
      const mine = p.unit !== null && p.unit.startsWith('sabo-1-');
      if (mine) {
        expect(res.status, p.id).toBe(200);
        opened++;
      } else {
        expect(res.status, p.id).toBe(403);
        expect(body, p.id).not.toContain(p.name);
        refused++;
      }
    }
    expect(opened).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    const after = entriesAfter(before);
    expect(after.filter((e) => e.action === 'denied')).toHaveLength(refused);
    expect(after.filter((e) => e.action === 'view')).toHaveLength(opened);
  });

  it('answers ids that do not exist with 404, the same for every account', async () => {
    for (const role of ['staff', 'nurse'] as const) {
      const res = await clients.get(role)!.get('/boende/no-such-person');
      expect(res.status).toBe(404);
    }
  });
});

describe('L1: every disclosure has its audit event', () => {
  it('logs one event per resident shown in a unit list, a record and a search hit list', async () => {
    const c = clients.get('nurse')!;
    const user = users.get('nurse')!;
    const snapshotId = t.db
      .prepare(`SELECT value FROM snapshot_info WHERE key = 'snapshotId'`)
      .pluck()
      .get();

    let before = t.access.audit.head().seq;
    const listed = t.db
      .prepare('SELECT id FROM patient WHERE unit_id = ? ORDER BY id')
      .pluck()
      .all(own.unit) as string[];
    expect((await c.get(`/enhet/${own.unit}`)).status).toBe(200);
    let events = entriesAfter(before);
    expect(events.map((e) => e.patient).sort()).toEqual(listed.slice().sort());

    before = t.access.audit.head().seq;
    expect((await c.get(`/boende/${own.patient}`)).status).toBe(200);
    events = entriesAfter(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'view',
      outcome: 'success',
      user: user.name,
      role: 'nurse',
      unit: own.unit,
      patient: own.patient,
      snapshotId,
    });
    expect(events[0]!.at).toBe(t.clock.now().toISOString());

    before = t.access.audit.head().seq;
    const res = await c.post('/sok', { q: own.name.split(' ')[0]! });
    const body = await res.text();
    events = entriesAfter(before);
    const shown = [...body.matchAll(/href="\/boende\/([^"]+)"/g)].map((m) =>
      decodeURIComponent(m[1]!),
    );
    expect(shown.length).toBeGreaterThan(0);
    expect(events.every((e) => e.action === 'search' && e.user === user.name)).toBe(true);
    expect(events.map((e) => e.patient).sort()).toEqual(shown.sort());
  });

  it('lists hits outside the account’s units only as a count until a reason is given', async () => {
    const c = clients.get('staff')!;
    const q = other.ident;
    const before = t.access.audit.head().seq;
    const narrow = await (await c.post('/sok', { q })).text();
    expect(narrow).not.toContain(other.name);
    expect(narrow).toContain('data-testid="outside-hits"');
    expect(entriesAfter(before).some((e) => e.patient === other.patient)).toBe(false);

    const wide = await (
      await c.post('/sok', { q, reason: 'boende på besök från annan avdelning' })
    ).text();
    expect(wide).toContain(other.name);
    const flagged = entriesAfter(before).filter((e) => e.patient === other.patient);
    expect(flagged).toHaveLength(1);
    expect(flagged[0]!.flags).toContain('break-glass');
    expect(flagged[0]!.reason).toBe('boende på besök från annan avdelning');
  });
});
