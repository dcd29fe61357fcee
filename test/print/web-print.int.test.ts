/**
 * Printing through the real server: the policy decides, one `print` entry per resident is
 * committed before any byte of the PDF leaves (I5), and every page of the PDF carries the prefix
 * of that entry's hash (L8), who printed it and the data age.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEncrypted } from '../../src/store/db.ts';
import { createTestUser, type Client } from '../helpers/access.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';
import { dictionaries, readPdf, squeezed } from './read-pdf.ts';

let t: TestStation;
let wardStaff: Client;
let admin: Client;

function residentIn(unitLike: string) {
  return t.db
    .prepare(
      `SELECT id, unit_id AS unit, name_display AS name, ident_value AS ident FROM patient
        WHERE unit_id LIKE ? ORDER BY id LIMIT 1`,
    )
    .get(unitLike) as { id: string; unit: string; name: string; ident: string };
}

const after = (seq: number) =>
  t.access.audit
    .query({ limit: 1000 })
    .filter((e) => e.seq > seq)
    .sort((a, b) => a.seq - b.seq);

beforeAll(async () => {
  t = await startTestStation(tempDir('web-print'), { people: 40 });
  const staff = await createTestUser(t.station.control, t.clock, {
    name: 'avdelning',
    role: 'staff',
    units: ['sabo-1'],
  });
  wardStaff = await t.signIn(staff);
  const adminUser = await createTestUser(t.station.control, t.clock, { name: 'it', role: 'admin' });
  admin = await t.signIn(adminUser);
}, 60_000);
afterAll(() => t?.stop());

describe('printing from the web', () => {
  it('audits the print first, then answers with a PDF whose every page names that audit entry', async () => {
    const p = residentIn('sabo-1-%');
    for (const doc of ['sammanfattning', 'lakemedel', 'signering']) {
      const before = t.access.audit.head().seq;
      const res = await wardStaff.post(`/utskrift/boende/${p.id}`, { doc, hours: '72' });
      expect(res.status, doc).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toBe('inline; filename="reservutskrift.pdf"');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const bytes = Buffer.from(await res.arrayBuffer());
      const entries = after(before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        action: 'print',
        outcome: 'success',
        user: 'avdelning',
        role: 'staff',
        patient: p.id,
        unit: p.unit,
      });
      expect(entries[0]!.reason).toBe(
        {
          sammanfattning: 'resident-summary',
          lakemedel: 'medication-list',
          signering: 'signing-sheet',
        }[doc],
      );
      const pages = await readPdf(bytes);
      const ref = entries[0]!.hash.slice(0, 12);
      for (const [i, page] of pages.entries()) {
        const footer = page.footer.join(' ');
        expect(footer, `${doc} page ${i + 1}`).toContain(ref);
        expect(footer).toContain('Test avdelning');
        expect(footer).toMatch(/Uppgifter per 2026-11-27 06:00/);
      }
      expect(squeezed(pages)).toContain(p.name.replace(/\s+/g, ''));
      expect(dictionaries(bytes)).not.toMatch(/\/(JavaScript|OpenAction|Launch|EmbeddedFile)/);
    }
  });

  it('prints a unit pack with one audit entry per resident on it', async () => {
    const unit = residentIn('sabo-1-%').unit;
    const residents = t.db
      .prepare('SELECT id FROM patient WHERE unit_id = ?')
      .pluck()
      .all(unit) as string[];
    const before = t.access.audit.head().seq;
    const res = await wardStaff.post(`/utskrift/enhet/${unit}`, { hours: '24' });
    expect(res.status).toBe(200);
    const entries = after(before);
    expect(entries.map((e) => e.patient).sort()).toEqual([...residents].sort());
    expect(entries.every((e) => e.action === 'print' && e.reason === 'unit-pack')).toBe(true);
    const pages = await readPdf(Buffer.from(await res.arrayBuffer()));
    const ref = entries[entries.length - 1]!.hash.slice(0, 12);
    expect(pages.length).toBeGreaterThan(residents.length);
    expect(pages.every((p) => p.footer.join(' ').includes(ref))).toBe(true);
  });

  it('refuses printing outside the policy and audits the refusal, with no PDF', async () => {
    const outside = residentIn('hemtjanst-%');
    for (const [c, path] of [
      [wardStaff, `/utskrift/boende/${outside.id}`],
      [wardStaff, `/utskrift/enhet/${outside.unit}`],
      [admin, `/utskrift/boende/${outside.id}`],
    ] as const) {
      const before = t.access.audit.head().seq;
      const res = await c.post(path, { doc: 'sammanfattning' });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).not.toContain(outside.name);
      expect(after(before).map((e) => e.action)).toEqual(['denied']);
    }
  });

  it('prints nothing while the audit log cannot be written (D3)', async () => {
    const p = residentIn('sabo-1-%');
    const blocker = openEncrypted(t.station.paths.audit, t.station.dbKey);
    blocker.exec('BEGIN EXCLUSIVE');
    try {
      const res = await wardStaff.post(`/utskrift/boende/${p.id}`, { doc: 'lakemedel' });
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).not.toContain(p.name);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
  });

  it('offers the print forms only where the policy allows printing', async () => {
    const p = residentIn('sabo-1-%');
    const page = await (await wardStaff.get(`/boende/${p.id}`)).text();
    expect(page).toContain(`action="/utskrift/boende/${p.id}"`);
    const unitPage = await (await wardStaff.get(`/enhet/${p.unit}`)).text();
    expect(unitPage).toContain(`action="/utskrift/enhet/${p.unit}"`);
  });

  it('prints a home-care route list, with keys only for a home-care role, and the audit names them', async () => {
    const group = residentIn('hemtjanst-%').unit;
    const homeCareUser = await createTestUser(t.station.control, t.clock, {
      name: 'hemtjanstare',
      role: 'staff',
      units: [group],
    });
    const homeCare = await t.signIn(homeCareUser);
    const page = await (await homeCare.get(`/enhet/${group}`)).text();
    expect(page).toContain('name="doc" value="rutt"');
    const before = t.access.audit.head().seq;
    const res = await homeCare.post(`/utskrift/enhet/${group}`, { doc: 'rutt', day: 'idag' });
    expect(res.status).toBe(200);
    const entries = after(before);
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.action === 'print' && e.reason === 'route-list')).toBe(true);
    expect(entries.some((e) => (e.resources ?? []).some((r) => r.startsWith('Basic/')))).toBe(true);
    const pages = await readPdf(Buffer.from(await res.arrayBuffer()));
    const ref = entries[entries.length - 1]!.hash.slice(0, 12);
    expect(pages.every((p) => p.footer.join(' ').includes(ref))).toBe(true);
  });

  it('prints note forms for a unit and a transfer checklist that lists what was printed', async () => {
    const p = residentIn('sabo-1-%');
    expect(
      (await wardStaff.post(`/utskrift/enhet/${p.unit}`, { doc: 'anteckningar' })).status,
    ).toBe(200);
    await wardStaff.post(`/utskrift/boende/${p.id}`, { doc: 'lakemedel' });
    const before = t.access.audit.head().seq;
    const res = await wardStaff.post(`/utskrift/enhet/${p.unit}`, { doc: 'overforing' });
    expect(res.status).toBe(200);
    expect(after(before).every((e) => e.reason === 'transfer-checklist')).toBe(true);
    const text = squeezed(await readPdf(Buffer.from(await res.arrayBuffer())));
    expect(text).toContain(p.name.replace(/\s+/g, ''));
    expect(text.replace(/-/g, '')).toContain(p.ident.replace(/\D/g, ''));
    // The medication list printed just before is on the checklist.
    expect(text).toMatch(/Läkemedelslista/);
  });
});
