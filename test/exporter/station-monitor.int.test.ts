/**
 * The exporter watching its stations through the reports in its inbox: an alert when a
 * station's report goes missing or old, not again at every check, again after repeatHours,
 * and a "resolved" notice once the station reports again. Survives an exporter restart.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReservError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/log.ts';
import { loadExporterConfig } from '../../src/exporter/config.ts';
import { checkStations } from '../../src/exporter/station-monitor.ts';
import { STATUS_REPORT_FORMAT } from '../../src/link/inbox-format.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { mutableClock } from '../helpers/access.ts';
import { tempDir } from '../helpers/tmp.ts';
import { exporterFixture } from './fixture.ts';

const root = tempDir('exporter-station-monitor');

function report(inbox: string, station: string, at: Date, freshness = 'ok'): void {
  mkdirSync(path.join(inbox, station), { recursive: true });
  writeFileSync(
    path.join(inbox, station, 'status.json'),
    JSON.stringify({
      format: STATUS_REPORT_FORMAT,
      formatVersion: 1,
      station,
      at: at.toISOString(),
      status: { freshness, active: null, ageHours: null, lastFailure: null },
      link: {},
      audit: { deliveredThrough: 0, head: 0 },
      activeAlerts: [],
    }),
  );
}

describe('the exporter watching its stations', () => {
  it('alerts once when a station falls silent, repeats after repeatHours, resolves when it reports again', async () => {
    const f = exporterFixture(path.join(root, 'one'), {
      people: 20,
      stations: [{ name: 'nattstation-7', units: ['sabo-1'] }],
    });
    // The same exporter with an inbox and the station's audit key.
    const raw = JSON.parse(readFileSync(f.configFile, 'utf8')) as Record<string, unknown> & {
      stations: Record<string, unknown>[];
    };
    raw.inbox = { port: 0, dir: 'inbox', criticalHours: 26, repeatHours: 6 };
    raw.stations[0]!.auditKey = path.relative(
      f.root,
      stationPaths(f.stations['nattstation-7']!.dataDir).auditPub,
    );
    writeFileSync(f.configFile, JSON.stringify(raw));
    const config = loadExporterConfig(f.configFile, new Date('2026-11-27T08:00:00Z'));
    const clock = mutableClock('2026-11-27T08:00:00Z');
    const deps = { clock, log: silentLogger };
    const inbox = path.join(f.root, 'inbox');

    // Just set up, nothing delivered yet: no alert until the station had its allowance.
    expect(await checkStations(config, deps)).toEqual([]);
    clock.advance(27 * 3_600_000);
    const silent = await checkStations(config, deps);
    expect(silent.map((a) => a.message)).toEqual([
      'Station nattstation-7: no status report has arrived in the inbox.',
    ]);
    report(inbox, 'nattstation-7', clock.now());
    expect((await checkStations(config, deps)).map((a) => a.state)).toEqual(['resolved']);

    clock.advance(27 * 3_600_000);
    const first = await checkStations(config, deps);
    expect(first.map((a) => [a.kind, a.state])).toEqual([['station-stale', 'firing']]);
    expect(first[0]!.message).toContain('nattstation-7');
    clock.advance(60_000);
    expect(await checkStations(config, deps)).toEqual([]);
    clock.advance(6 * 3_600_000);
    expect((await checkStations(config, deps)).map((a) => a.state)).toEqual(['firing']);

    report(inbox, 'nattstation-7', clock.now());
    const resolved = await checkStations(config, deps);
    expect(resolved.map((a) => [a.kind, a.state])).toEqual([['station-stale', 'resolved']]);
    expect(await checkStations(config, deps)).toEqual([]);
    // The alert command heard every one of them.
    expect(f.alerts().map((a) => a.kind)).toEqual(Array(5).fill('station-stale'));
  });

  it('refuses an inbox without any station audit key', () => {
    let error: ReservError | undefined;
    try {
      exporterFixture(path.join(root, 'two'), {
        people: 20,
        stations: [{ name: 'nattstation-8', units: ['sabo-1'] }],
        extra: { inbox: { port: 0, dir: 'inbox' } },
      });
    } catch (e) {
      error = e as ReservError;
    }
    expect(error?.code).toBe('CONFIG_INVALID');
    expect(error?.details.join('\n')).toContain('no station has an auditKey');
  });
});
