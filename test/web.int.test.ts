import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutableClock } from './helpers/access.ts';
import { SECURITY_HEADERS } from '../src/web/security.ts';
import { rawRequest, startTestStation, type TestStation } from './helpers/station.ts';
import { visibleText } from './helpers/html-text.ts';
import { tempDir } from './helpers/tmp.ts';

let station: TestStation;

function patientWith(sql: string): string {
  return (station.db.prepare(sql).get() as { id: string }).id;
}

beforeAll(async () => {
  station = await startTestStation(tempDir('web'));
});
afterAll(() => station.stop());

describe('station web pages', () => {
  it('serves the unit list with the data age on the page and every security header', async () => {
    const res = await station.client.get('/');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(visibleText(body)).toContain('Uppgifter per 2026-11-27 06:00 (för 3 tim sedan)');
    expect(body).toContain('<time datetime="2026-11-27T05:00:00.000Z"');
    expect(body).toContain('Hemtjänst Norr');
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      expect(res.headers.get(name), name).toBe(value);
  });

  it('lists a unit’s residents with room, name and personnummer', async () => {
    const unit = station.db
      .prepare(`SELECT id, name FROM unit WHERE kind = 'ward' LIMIT 1`)
      .get() as { id: string; name: string };
    const body = await (await station.client.get(`/enhet/${unit.id}`)).text();
    expect(body).toContain(unit.name);
    expect(body).toMatch(/Rum 1\d\d/);
    expect(body).toMatch(/\d{8}-\d{4}/);
  });

  it('shows a resident’s medication with the dosage text verbatim and decimals exactly as written', async () => {
    const id = patientWith(
      `SELECT patient_id AS id FROM resource WHERE type = 'MedicationRequest' AND raw LIKE '%0.010,%'`,
    );
    const body = await (await station.client.get(`/boende/${id}`)).text();
    const text = visibleText(body);
    expect(text).toContain('1 depotplåster (10 mikrog/timme) byts var 7:e dag, på måndagar kl 08.');
    expect(text).toContain('0.010 mg/h');
    expect(text).toContain('Doser som getts efter att kopian togs finns inte här.');
    expect(body).toContain('Uppgifter per');
  });

  it('escapes journal text: the note with HTML and a script tag arrives as text', async () => {
    const id = patientWith(
      `SELECT patient_id AS id FROM resource WHERE type = 'DocumentReference' AND raw LIKE '%' || ? || '%'`.replace(
        '?',
        `'${Buffer.from('Anhörig lämnade en lapp').toString('base64').slice(0, 16)}'`,
      ),
    );
    const body = await (await station.client.get(`/boende/${id}`)).text();
    expect(body).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
    // The only script element is the station's own, carrying this response's CSP nonce.
    expect(body.match(/<script/g)).toHaveLength(1);
    expect(body).toMatch(/<script\s+nonce="[^"]+"\s+src="\/assets\/idle\.js"/);
    expect(body).not.toMatch(/<img[^>]*onerror/);
  });

  it('never shows the address of a person with protected identity', async () => {
    const id = patientWith(
      `SELECT id FROM patient WHERE protected = 1 AND unit_id LIKE 'hemtjanst%'`,
    );
    const raw = (
      station.db.prepare(`SELECT raw FROM resource WHERE type = 'Patient' AND id = ?`).get(id) as {
        raw: string;
      }
    ).raw;
    const street = (JSON.parse(raw) as { address: { line: string[] }[] }).address[0]!.line[0]!;
    const body = await (await station.client.get(`/boende/${id}`)).text();
    expect(body).toContain('Skyddad identitet – adressen visas inte');
    expect(body).not.toContain(street);
  });

  it('shows a resuscitation decision only with its physician, date and review date', async () => {
    const id = patientWith(
      `SELECT patient_id AS id FROM resource WHERE type = 'ServiceRequest' AND raw LIKE '%"doNotPerform":true%'`,
    );
    const body = await (await station.client.get(`/boende/${id}`)).text();
    expect(body).toContain('Ej HLR');
    const text = visibleText(body);
    expect(text).toMatch(
      /Beslutat av \S+ \S+ Datum \d{4}-\d{2}-\d{2} Omprövas senast \d{4}-\d{2}-\d{2}/,
    );
  });

  it('searches by POST and finds a resident by a name written without diacritics', async () => {
    const res = await station.client.post('/sok', { q: 'lovgren' });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.normalize('NFC')).toContain('Lövgren');
  });

  it('answers unknown pages and residents with a Swedish 404 page and no stack trace', async () => {
    for (const p of ['/nope', '/boende/does-not-exist', '/enhet/none']) {
      const res = await station.client.get(p);
      expect(res.status, p).toBe(404);
      const body = await res.text();
      expect(body).toContain('Felkod: NOT_FOUND');
      expect(body).toContain('Hittades inte');
      expect(body).not.toMatch(/\bat .*\.ts:\d+/);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('request checks', () => {
  it('refuses a foreign Host header (DNS rebinding) before reading any data', async () => {
    const res = await rawRequest(`${station.url}/`, { headers: { Host: 'evil.example:8080' } });
    expect(res.status).toBe(421);
    expect(res.body).toContain('HOST_REJECTED');
    expect(res.body).not.toContain('Hemtjänst');
    const ok = await rawRequest(`${station.url}/`, {
      headers: { Host: `localhost:${station.server.port}`, Cookie: station.client.cookie },
    });
    expect(ok.status).toBe(200);
  });

  it('refuses a POST from another site by Origin or Sec-Fetch-Site', async () => {
    const form = 'q=asa';
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: station.client.cookie,
    };
    const byOrigin = await rawRequest(`${station.url}/sok`, {
      method: 'POST',
      body: form,
      headers: { ...headers, Origin: 'http://evil.example' },
    });
    expect(byOrigin.status).toBe(403);
    const bySite = await rawRequest(`${station.url}/sok`, {
      method: 'POST',
      body: form,
      headers: { ...headers, 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(bySite.status).toBe(403);
    const nullOrigin = await rawRequest(`${station.url}/sok`, {
      method: 'POST',
      body: form,
      headers: { ...headers, Origin: 'null' },
    });
    expect(nullOrigin.status).toBe(403);
    // What Chromium sends for our own form under Referrer-Policy: no-referrer.
    const ownForm = await rawRequest(`${station.url}/sok`, {
      method: 'POST',
      body: form,
      headers: { ...headers, Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(ownForm.status).toBe(200);
    const same = await rawRequest(`${station.url}/sok`, {
      method: 'POST',
      body: form,
      headers: { ...headers, Origin: station.url, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(same.status).toBe(200);
  });

  it('says clearly when no data is loaded', async () => {
    const empty = await startTestStation(tempDir('web-empty'), { snapshot: 'none', people: 5 });
    try {
      const res = await empty.client.get('/');
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('Stationen har inga uppgifter inlästa ännu.');
    } finally {
      await empty.stop();
    }
  });
});

describe('data age', () => {
  it('turns the banner to warning past 14 hours and critical past 26 hours', async () => {
    for (const [at, state] of [
      ['2026-11-27T19:30:00Z', 'warning'],
      ['2026-11-28T08:00:00Z', 'critical'],
    ] as const) {
      const s = await startTestStation(tempDir(`age-${state}`), {
        clock: mutableClock(at),
        people: 5,
      });
      try {
        const body = await (await s.client.get('/')).text();
        expect(body, state).toContain(`class="age ${state}"`);
      } finally {
        await s.stop();
      }
    }
  });
});

describe('language', () => {
  it('switches to English and back with the switch on every page, and comes back to the same page', async () => {
    const unit = station.db.prepare('SELECT unit_id FROM patient LIMIT 1').pluck().get() as string;
    const swedish = await (await station.client.get(`/enhet/${unit}`)).text();
    expect(swedish).toContain('<html lang="sv">');
    expect(swedish).toContain(`name="back" value="/enhet/${unit}"`);
    const res = await station.client.post('/sprak', { lang: 'en', back: `/enhet/${unit}` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/enhet/${unit}`);
    const lang = res.headers
      .getSetCookie()
      .find((c) => c.startsWith('rj_lang='))!
      .split(';')[0]!;
    const english = await (
      await station.client.get(`/enhet/${unit}`, { Cookie: `${station.client.cookie}; ${lang}` })
    ).text();
    expect(english).toContain('<html lang="en">');
    expect(visibleText(english)).toMatch(/Data as of 2026-11-27 06:00 \(3 h ago\)/);
    expect(visibleText(english)).toContain('Sign out');
    expect(english).not.toContain('Logga ut');
  });

  it('goes back only to a path on the station', async () => {
    for (const back of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const res = await station.client.post('/sprak', { lang: 'en', back });
      expect(res.headers.get('location'), back).toBe('/');
    }
  });
});
