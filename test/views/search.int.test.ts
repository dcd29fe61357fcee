/**
 * Search as a night nurse types it: every written form of an identity number, names without
 * diacritics, rooms; Enter on a single hit opens the person; searches never put what was typed
 * into a URL, and every search is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTenDigit } from '../../src/core/personnummer.ts';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { tempDir } from '../helpers/tmp.ts';

let t: TestStation;

interface Row {
  id: string;
  ident: string;
  norm: string;
  kind: string;
  family: string;
  room: string | null;
  birth: string;
}

function person(where: string): Row {
  return t.db
    .prepare(
      `SELECT id, ident_value AS ident, ident_norm AS norm, ident_kind AS kind, family, room,
              birth_date AS birth
         FROM patient WHERE ${where} ORDER BY id LIMIT 1`,
    )
    .get() as Row;
}

async function search(
  q: string,
): Promise<{ status: number; location: string | null; body: string }> {
  const res = await t.client.post('/sok', { q });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** Either the single hit's page (a redirect to it) or a hit list that links to it. */
function found(r: { status: number; location: string | null; body: string }, id: string): boolean {
  if (r.status === 303) return r.location === `/boende/${encodeURIComponent(id)}`;
  return r.body.includes(`href="/boende/${encodeURIComponent(id)}"`);
}

beforeAll(async () => {
  t = await startTestStation(tempDir('search'), { people: 80 });
});
afterAll(() => t?.stop());

describe('search', () => {
  it('finds a personnummer written with 12 digits, 10 digits, a dash, a plus or spaces', async () => {
    const p = person(`ident_kind = 'personnummer' AND ident_valid = 1`);
    const ten = formatTenDigit(p.norm, t.clock.now());
    for (const q of [
      p.norm,
      `${p.norm.slice(0, 8)}-${p.norm.slice(8)}`,
      ten,
      ten.replace(/[-+]/, ''),
      `${p.norm.slice(0, 8)} ${p.norm.slice(8)}`,
    ]) {
      const r = await search(q);
      expect(found(r, p.id), q).toBe(true);
    }
  });

  it('finds a centenarian by the ten-digit form with a plus', async () => {
    const p = person(`ident_kind = 'personnummer' AND birth_date < '1926-11-27'`);
    const ten = formatTenDigit(p.norm, t.clock.now());
    expect(ten).toContain('+');
    expect(found(await search(ten), p.id)).toBe(true);
  });

  it('finds samordningsnummer and reserve numbers', async () => {
    const samordning = person(`ident_kind = 'samordningsnummer'`);
    expect(found(await search(samordning.norm), samordning.id)).toBe(true);
    const reserve = t.db
      .prepare(
        `SELECT id, ident_norm AS norm FROM patient WHERE ident_kind = 'reservnummer' LIMIT 1`,
      )
      .get() as { id: string; norm: string } | undefined;
    if (reserve) expect(found(await search(reserve.norm.toLowerCase()), reserve.id)).toBe(true);
  });

  it('finds names typed without diacritics and in any case, and rooms', async () => {
    const p = person(`family GLOB '*[åäöÅÄÖ]*'`);
    const plain = p.family
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toUpperCase();
    expect(found(await search(plain), p.id)).toBe(true);
    const roomed = person(`room IS NOT NULL`);
    expect(found(await search(roomed.room!), roomed.id)).toBe(true);
  });

  it('opens the person at once when the search has exactly one hit, and audits the search', async () => {
    const p = person(`ident_kind = 'personnummer' AND ident_valid = 1`);
    const before = t.access.audit.head().seq;
    const r = await search(p.norm);
    expect(r.status).toBe(303);
    expect(r.location).toBe(`/boende/${encodeURIComponent(p.id)}`);
    const events = t.access.audit.query({ limit: 10 }).filter((e) => e.seq > before);
    expect(events.map((e) => [e.action, e.patient])).toEqual([['search', p.id]]);
    // What was typed is not in the URL the browser goes to.
    expect(r.location).not.toContain(p.norm);
  });

  it('lists several hits instead of guessing, and says so when nothing matches', async () => {
    const r = await search('a');
    expect(r.status).toBe(200);
    expect((r.body.match(/href="\/boende\//g) ?? []).length).toBeGreaterThan(1);
    const none = await search('zzzzqqq');
    expect(none.status).toBe(200);
    expect(none.body).toContain('Ingen person matchar sökningen');
  });
});
