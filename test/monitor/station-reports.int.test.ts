/**
 * The exporter side's check of its stations, on status reports that real stations delivered
 * into an inbox folder: a missing, unreadable or old report, a station with critical data and a
 * station that refused a snapshot each yield their alert, and a healthy station none.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { generate } from '../../src/generate/generate.ts';
import { deliverAudit } from '../../src/link/audit-delivery.ts';
import { checkStationReports } from '../../src/monitor/station-reports.ts';
import { openStation, type Station } from '../../src/station/station.ts';
import { mutableClock } from '../helpers/access.ts';
import {
  build,
  importInto,
  makeExporter,
  makeStation,
  strangerStationKey,
  type Exporter,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T05:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

const root = tempDir('reports');
const inbox = path.join(root, 'inbox');
const clock = mutableClock(at(1));
const stations = new Map<string, { dir: TestStationDir; station: Station }>();
let exporter: Exporter;
let source: string;

async function snapshot(sequence: number, recipients: TestStationDir['publicKey'][]) {
  return build({
    sourceDir: source,
    sequence,
    exporter,
    recipients,
    out: path.join(root, `s${sequence}.rjsnap`),
  });
}

async function deliver(name: string) {
  const { station } = stations.get(name)!;
  const config = loadConfig({
    cwd: root,
    env: {},
    flags: { dataDir: station.paths.dataDir, link: { inbox } },
  });
  await deliverAudit(station, config, { clock, log: silentLogger });
}

const check = (hours: number) =>
  checkStationReports(
    inbox,
    [{ name: 'alpha' }, { name: 'beta' }, { name: 'gamma' }],
    at(hours),
    { criticalHours: 26 },
    'central',
  ).map((a) => `${a.message.split(':')[0]} ${a.kind}${a.code ? ` ${a.code}` : ''}`);

beforeAll(async () => {
  mkdirSync(inbox);
  exporter = makeExporter(path.join(root, 'exporter'));
  source = path.join(root, 'export');
  generate({ people: 4, seed: 'reports', outDir: source, asOf: at(0).toISOString() });
  for (const name of ['alpha', 'beta']) {
    const dir = makeStation(path.join(root, name), exporter, { name });
    stations.set(name, { dir, station: openStation(dir.dataDir) });
  }
  const alpha = stations.get('alpha')!.dir;
  await importInto(alpha, await snapshot(1, [alpha.publicKey]), { clock });
  clock.set(at(2));
  await deliver('alpha');
  await deliver('beta');
});
afterAll(() => {
  for (const { station } of stations.values()) station.close();
});

describe('checkStationReports', () => {
  it('alerts a station without data and a station that never reported, not a healthy one', () => {
    expect(check(3)).toEqual(['Station beta station-stale', 'Station gamma station-stale']);
  });

  it('alerts a station whose last report is older than allowed', () => {
    expect(check(28.5)).toContain('Station alpha station-stale');
    const alert = checkStationReports(inbox, [{ name: 'alpha' }], at(28.5), { criticalHours: 26 });
    expect(alert[0]).toMatchObject({ side: 'exporter', name: 'exporter', severity: 'critical' });
    expect(alert[0]!.message).toMatch(/no status report for 27 h/);
  });

  it('alerts a refused snapshot that a station reports, and a report that cannot be read', async () => {
    clock.set(at(3));
    await expect(
      importInto(stations.get('alpha')!.dir, await snapshot(2, [strangerStationKey()]), { clock }),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOR_STATION' });
    await deliver('alpha');
    mkdirSync(path.join(inbox, 'gamma'));
    writeFileSync(path.join(inbox, 'gamma', 'status.json'), '{"format": "something else"');
    expect(check(4)).toEqual([
      'Station alpha snapshot-rejected SNAPSHOT_NOT_FOR_STATION',
      'Station beta station-stale',
      'Station gamma station-stale',
    ]);
  });
});
