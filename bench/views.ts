/**
 * Benchmark of the station's two hot pages under load: search (POST /sok) and the resident page
 * (GET /boende/:id), against the real server of a real station (signed snapshot imported,
 * encrypted databases, sessions, the audit log written before every answer), with autocannon
 * driving 10 connections, each signed in as its own session. The baseline, measured in the same
 * run and the same way, is the station's cheapest route: its stylesheet (no session, no data).
 *
 * Usage: node --import tsx bench/views.ts [people] [seconds]     (default 10000 people, 20 s)
 *
 * The station is built once under bench/out/views-<people> and reused by later runs (delete the
 * folder to start over): at 100,000 people building it takes minutes, measuring it seconds.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.ts';
import { systemClock } from '../src/core/clock.ts';
import { silentLogger } from '../src/core/log.ts';
import { importSnapshot } from '../src/snapshot/import.ts';
import { stationAccess } from '../src/station/access.ts';
import { stationSnapshotSource } from '../src/station/snapshot-source.ts';
import { openStation } from '../src/station/station.ts';
import { benchStation } from './bench-station.ts';
import { addUser, getUser } from '../src/auth/users.ts';
import { createApp } from '../src/web/app.ts';
import { startServer } from '../src/web/server.ts';

const people = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 20);
const CONNECTIONS = 10;
const PASSWORD = 'bänkprov med tio samtidiga sessioner';

const work = fileURLToPath(new URL(`./out/views-${people}`, import.meta.url));
const log = (text: string) => process.stderr.write(`${text}\n`);

const ready = existsSync(path.join(work, 'ready'));
if (!ready) {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`generating ${people} people …`);
  const { stationDir, snapshot } = await benchStation(work, people, 'bench-views');
  log('importing …');
  await importSnapshot(stationDir, snapshot, { clock: systemClock, log: silentLogger, keep: 4 });
  writeFileSync(path.join(work, 'ready'), '');
}
{
  const stationDir = path.join(work, 'station');

  const station = openStation(stationDir);
  const source = stationSnapshotSource(station);
  const access = stationAccess(station, systemClock);
  if (!getUser(station.control, 'bench'))
    await addUser(
      station.control,
      { name: 'bench', displayName: 'Bench', role: 'nurse', units: ['kommun'], password: PASSWORD },
      systemClock,
    );
  const config = loadConfig({ cwd: work, env: {}, flags: { dataDir: stationDir, port: '0' } });
  // Time measured at the server: from the request reaching the app to its response, per route,
  // without the queueing of 10 connections on one thread that the client-side latency includes.
  const app = createApp({
    config,
    clock: systemClock,
    log: silentLogger,
    snapshots: source,
    access,
  });
  let serverTimes: number[] = [];
  const server = await startServer(
    {
      fetch: async (request: Request) => {
        const started = performance.now();
        const response = await app.fetch(request);
        serverTimes.push(performance.now() - started);
        return response;
      },
    },
    config.host,
    0,
  );

  // One session per connection, signed in through the real form.
  const cookies: string[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const res = await fetch(`${server.url}/logga-in`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ name: 'bench', password: PASSWORD }),
      headers: { Origin: server.url },
    });
    cookies.push(res.headers.getSetCookie()[0]!.split(';')[0]!);
  }

  // What the load asks for: residents and their names and identity numbers, drawn at random.
  const snap = source.current()!;
  const sample = snap.db
    .prepare('SELECT id, family, ident_norm AS ident FROM patient ORDER BY random() LIMIT 2000')
    .all() as { id: string; family: string; ident: string }[];
  snap.release?.();
  let n = 0;
  const next = () => sample[n++ % sample.length]!;

  const percentile = (xs: number[], p: number) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  };
  const server99: Record<string, number> = {};
  const server50: Record<string, number> = {};
  const load = (title: string, request: autocannon.Request) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      serverTimes = [];
      let client = 0;
      autocannon(
        {
          url: server.url,
          connections: CONNECTIONS,
          duration: seconds,
          requests: [request],
          setupClient: (c) => {
            c.setHeaders({ Cookie: cookies[client++ % CONNECTIONS]!, Origin: server.url });
          },
        },
        (error: unknown, result) => {
          server50[title] = percentile(serverTimes, 50);
          server99[title] = percentile(serverTimes, 99);
          if (error) reject(error instanceof Error ? error : new Error('autocannon failed'));
          else resolve(result);
        },
      );
      log(`load: ${title} …`);
    });

  const baseline = await load('baseline', { method: 'GET', path: '/assets/app.css' });
  const search = await load('search', {
    method: 'POST',
    path: '/sok',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    // Half by identity number (one hit), half by family name (a hit list).
    setupRequest: (req) => {
      const p = next();
      const q = n % 2 === 0 ? p.ident : p.family;
      return { ...req, body: `q=${encodeURIComponent(q)}` };
    },
  });
  const resident = await load('resident page', {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: `/boende/${encodeURIComponent(next().id)}` }),
  });

  await server.close();
  access.close();
  source.close();
  station.close();

  const ms = (x: number | undefined) => `${(x ?? 0).toFixed(1)} ms`;
  const row = (name: string, title: string, r: autocannon.Result) => {
    // A search with one hit answers 303 to the person's page: only 4xx, 5xx and errors fail.
    const bad = r['4xx'] + r['5xx'] + r.errors;
    return `| ${name} | ${r.requests.total.toLocaleString('en')} | ${Math.round(r.requests.average).toLocaleString('en')} | ${ms(server50[title])} | ${ms(server99[title])} | ${(server99[title]! / server99.baseline!).toFixed(1)}× | ${r.latency.p50} ms | ${r.latency.p99} ms | ${bad} |`;
  };
  // eslint-disable-next-line no-console -- a benchmark prints its table
  console.log(
    [
      `${people.toLocaleString('en')} people, ${CONNECTIONS} connections (one session each), ${seconds} s per route`,
      '',
      '| route | requests | requests/s | server p50 | server p99 | server p99 ÷ baseline | client p50 | client p99 | failed |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('baseline: GET /assets/app.css', 'baseline', baseline),
      row('search: POST /sok', 'search', search),
      row('resident page: GET /boende/:id', 'resident page', resident),
    ].join('\n'),
  );
}
