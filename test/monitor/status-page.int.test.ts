/**
 * The status page on a real station (real imports, real control database, the real app over
 * HTTP on loopback): the active copy and its age, the link with "no contact since …" when it is
 * down, the log delivery, and the 14-day age chart with its text summary, in Swedish and
 * English, for every role, with the same headers and CSP checks as every other page.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/auth/policy.ts';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { generate } from '../../src/generate/generate.ts';
import { stationAccess } from '../../src/station/access.ts';
import { stationSnapshotSource } from '../../src/station/snapshot-source.ts';
import { openStation, type Station } from '../../src/station/station.ts';
import { createApp } from '../../src/web/app.ts';
import { SECURITY_HEADERS } from '../../src/web/security.ts';
import { startServer, type RunningServer } from '../../src/web/server.ts';
import { createTestUser, mutableClock, signIn, type Client } from '../helpers/access.ts';
import { visibleText } from '../helpers/html-text.ts';
import { build, importInto, makeExporter, makeStation } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T05:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

const root = tempDir('status-page');
const clock = mutableClock(at(1));
let station: Station;
let server: RunningServer;
let close: () => void;
const clients = new Map<string, Client>();

beforeAll(async () => {
  const exporter = makeExporter(path.join(root, 'exporter'));
  const dir = makeStation(path.join(root, 'station'), exporter, { name: 'alpha' });
  // Two copies: exported at 0 h and 12 h, imported an hour later each.
  for (const [sequence, asOf] of [
    [1, 0],
    [2, 12],
  ] as const) {
    const source = path.join(root, `export-${sequence}`);
    generate({ people: 4, seed: 'status', outDir: source, asOf: at(asOf).toISOString() });
    clock.set(at(asOf + 1));
    await importInto(
      dir,
      await build({
        sourceDir: source,
        sequence,
        exporter,
        recipients: [dir.publicKey],
        out: path.join(root, `s${sequence}.rjsnap`),
      }),
      { clock },
    );
  }
  station = openStation(dir.dataDir);
  const sync = (hours: number, outcome: string, code: string | null, heartbeat: number | null) =>
    station.control
      .prepare(
        `INSERT INTO sync_event (at, source, outcome, code, exporter_heartbeat_at) VALUES (?, ?, ?, ?, ?)`,
      )
      .run(
        at(hours).toISOString(),
        'http://127.0.0.1:9/',
        outcome,
        code,
        heartbeat === null ? null : at(heartbeat).toISOString(),
      );
  sync(13, 'imported', null, 12.5);
  sync(14, 'up-to-date', null, 12.5);
  sync(15, 'unreachable', 'SYNC_UNREACHABLE', null);
  sync(16, 'unreachable', 'SYNC_UNREACHABLE', null);
  clock.set(at(28));
  const config = loadConfig({
    cwd: root,
    env: {},
    flags: {
      dataDir: dir.dataDir,
      port: '0',
      link: { from: 'http://127.0.0.1:9/', inbox: 'http://127.0.0.1:9/inbox/' },
    },
  });
  const access = stationAccess(station, clock);
  const snapshots = stationSnapshotSource(station);
  server = await startServer(
    createApp({ config, clock, log: silentLogger, snapshots, access }),
    '127.0.0.1',
    0,
  );
  close = () => {
    snapshots.close();
    access.close();
  };
  for (const role of ROLES) {
    const user = await createTestUser(station.control, clock, {
      name: `s-${role}`,
      role,
      units: role === 'admin' || role === 'auditor' ? [] : ['kommun'],
    });
    clients.set(role, await signIn(server.url, user, clock));
  }
}, 60_000);
afterAll(async () => {
  await server?.close();
  close?.();
  station?.close();
});

async function statusOf(role: string, lang?: 'en') {
  const c = clients.get(role)!;
  const res = await c.get('/status', lang ? { Cookie: `${c.cookie}; rj_lang=${lang}` } : {});
  return { res, body: await res.text() };
}

describe('the status page', () => {
  it('shows the copy, its age, the link down since the last success, and the age chart, in Swedish', async () => {
    const { res, body } = await statusOf('staff');
    expect(res.status).toBe(200);
    const text = visibleText(body);
    expect(text).toContain('Stationens status');
    expect(text).toContain('Aktiv kopia Nummer 2');
    // 12 h copy at 28 h (+ the TOTP steps the sign-ins moved the clock): 16 h, a warning. The
    // last success was at 14 h UTC, 20:00 in Stockholm.
    expect(text).toMatch(/Ålder för 16 tim sedan Bedömning Äldre än väntat/);
    expect(text).toContain('Ingen kontakt med exportören sedan 2026-12-01 20:00.');
    expect(text).toContain(
      'Felkod SYNC_UNREACHABLE Nästa steg Stationen fortsätter visa sin kopia',
    );
    expect(text).toContain('Levererad till och med post 0 av');
    expect(body).toMatch(/<svg class="age-chart"[^>]*role="img" aria-labelledby="age-chart-title"/);
    expect(body).toContain(
      '<title id="age-chart-title">Uppgifternas ålder i timmar de senaste 14 dygnen</title>',
    );
    // The saw: 1 h at the first import, 13 h just before the second, 1 h after it, 16 h now.
    expect(text).toMatch(/Nu 16(,\d)? tim gammal, som mest 16(,\d)? tim\. Inläsningar: 2\./);
    expect(body).toMatch(
      /<polyline class="age-line"[^>]* points="(?:[\d.]+,[\d.]+ ){3}[\d.]+,[\d.]+"/,
    );
  });

  it('says the same in English', async () => {
    const { body } = await statusOf('nurse', 'en');
    const text = visibleText(body);
    expect(text).toContain('Station status');
    expect(text).toContain('No contact with the exporter since 2026-12-01 20:00.');
    expect(text).toContain('Older than expected');
    expect(body).toContain(
      '<title id="age-chart-title">Age of the data in hours over the last 14 days</title>',
    );
    expect(body).toContain('<html lang="en">');
  });

  it('is open to every signed-in role, with the station’s headers and no inline style or script', async () => {
    for (const role of ROLES) {
      const { res, body } = await statusOf(role);
      expect(res.status, role).toBe(200);
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        expect(res.headers.get(name), `${role} ${name}`).toBe(value);
      expect(res.headers.get('content-security-policy')).toMatch(/style-src 'self'/);
      expect(body).not.toMatch(/\sstyle=|<style/);
      const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')![1]!;
      for (const m of body.matchAll(/<script\b([^>]*)>/g))
        expect(m[1]).toContain(`nonce="${nonce}"`);
    }
    const res = await fetch(`${server.url}/status`, { redirect: 'manual' });
    expect(res.status).toBe(303);
  });

  it('is linked from the data-age line of every page with data', async () => {
    const { body } = await statusOf('staff');
    expect(body).toMatch(/data-testid="data-age"[\s\S]*?<a class="age-status" href="\/status">/);
    const home = await (await clients.get('nurse')!.get('/')).text();
    expect(home).toContain('href="/status"');
  });
});
