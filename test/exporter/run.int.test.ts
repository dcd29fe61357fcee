/**
 * One exporter cycle end to end on real files: per-station snapshots that real stations import
 * (and only theirs), a failed pull that publishes nothing and alerts, a broken station that does
 * not hold the others back, and the freshness the exporter reports about itself.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { readHeartbeat } from '../../src/exporter/heartbeat.ts';
import { LOCK_FILE } from '../../src/exporter/outbox-lock.ts';
import { readOutboxIndex, stationFolder } from '../../src/exporter/outbox.ts';
import { runExporterCycle, type CycleResult } from '../../src/exporter/run.ts';
import { exporterStatus } from '../../src/exporter/status.ts';
import type { OutboxIndex } from '../../src/link/outbox-format.ts';
import { CLOCK, importInto } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { exporterFixture, readNdjson, stationContents, type ExporterFixture } from './fixture.ts';

const root = tempDir('exporter-run');
let fx: ExporterFixture;
let first: CycleResult;
const deps = { clock: CLOCK, log: silentLogger };

const snapshotFile = (station: string, index: OutboxIndex) =>
  path.join(stationFolder(fx.config.outbox, station), index.file);

/** The source's people whose unit is `unit` or one of its sub-units (generated ids nest). */
function peopleOf(unit: string): Set<string> {
  return new Set(
    readNdjson(path.join(fx.sourceDir, 'Patient.ndjson'))
      .filter((p) => {
        const ref = (p.managingOrganization as { reference: string }).reference.slice(13);
        return ref === unit || ref.startsWith(`${unit}-`);
      })
      .map((p) => p.id as string),
  );
}

beforeAll(async () => {
  fx = exporterFixture(root, {
    people: 120,
    stations: [
      { name: 'bjorkhagen', units: ['sabo-1'] },
      { name: 'norr', units: ['hemtjanst-1'] },
    ],
  });
  first = await runExporterCycle(fx.config, deps);
});

describe('an exporter cycle', () => {
  it('publishes one snapshot per station that its station imports, holding only its units', async () => {
    expect(first.outcome).toBe('published');
    expect(first.stations.map((s) => [s.station, s.outcome])).toEqual([
      ['bjorkhagen', 'published'],
      ['norr', 'published'],
    ]);
    const index = readOutboxIndex(fx.config.outbox, 'bjorkhagen')!;
    const result = await importInto(fx.stations.bjorkhagen!, snapshotFile('bjorkhagen', index));
    expect(result).toMatchObject({ outcome: 'accepted', sequence: index.sequence });
    const contents = stationContents(fx.stations.bjorkhagen!);
    const expected = peopleOf('sabo-1');
    expect(expected.size).toBeGreaterThan(5);
    expect(contents.get('Patient')).toEqual(expected);
    // The other station's snapshot is neither addressed nor encrypted to this station.
    const other = readOutboxIndex(fx.config.outbox, 'norr')!;
    await expect(
      importInto(fx.stations.bjorkhagen!, snapshotFile('norr', other)),
    ).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOR_STATION' });
  });

  it('writes the heartbeat, cleans its work folder and reports itself fresh', () => {
    const hb = readHeartbeat(fx.config.outbox)!;
    expect(hb).toMatchObject({
      exporter: 'central',
      schedule: '0 6,18 * * *',
      timeZone: 'Europe/Stockholm',
      expectedIntervalMinutes: 720,
      graceMinutes: 60,
      lastRun: { outcome: 'published' },
      lastPublishedAt: first.finishedAt,
    });
    expect(readdirSync(path.join(fx.config.stateDir, 'work'))).toEqual([]);
    const status = exporterStatus(fx.config, CLOCK.now());
    expect(status).toMatchObject({ state: 'ok', reasons: [], limitMinutes: 780 });
    expect(status.stations.map((s) => s.state)).toEqual(['ok', 'ok']);
    // Past interval + grace with nothing new: critical, for the exporter and every station.
    const late = exporterStatus(fx.config, new Date(CLOCK.now().getTime() + 781 * 60_000));
    expect(late.state).toBe('critical');
    expect(late.stations.map((s) => s.state)).toEqual(['critical', 'critical']);
  });

  it('publishes nothing when the pull fails, keeps the previous snapshots, and alerts', async () => {
    const before = readOutboxIndex(fx.config.outbox, 'norr')!;
    const manifest = path.join(fx.sourceDir, 'manifest.json');
    renameSync(manifest, `${manifest}.away`);
    let failed: CycleResult;
    try {
      failed = await runExporterCycle(fx.config, deps);
    } finally {
      renameSync(`${manifest}.away`, manifest);
    }
    expect(failed).toMatchObject({ outcome: 'failed', code: 'SOURCE_NOT_FOUND', stations: [] });
    expect(readOutboxIndex(fx.config.outbox, 'norr')).toEqual(before);
    // The snapshot the index still names is whole and imports on its station.
    const result = await importInto(fx.stations.norr!, snapshotFile('norr', before));
    expect(result).toMatchObject({ outcome: 'accepted', sequence: before.sequence });
    expect(stationContents(fx.stations.norr!).get('Patient')).toEqual(peopleOf('hemtjanst-1'));
    const hb = readHeartbeat(fx.config.outbox)!;
    expect(hb.lastRun).toMatchObject({ outcome: 'failed', code: 'SOURCE_NOT_FOUND' });
    expect(hb.lastPublishedAt).toBe(first.finishedAt);
    expect(fx.alerts()).toEqual([
      expect.objectContaining({
        kind: 'pull-failed',
        severity: 'critical',
        side: 'exporter',
        name: 'central',
        code: 'SOURCE_NOT_FOUND',
      }),
    ]);
    expect(exporterStatus(fx.config, CLOCK.now())).toMatchObject({
      state: 'warning',
      reasons: ['the last run failed (SOURCE_NOT_FOUND)'],
    });
  });

  it('publishes the other stations when one cannot be published, and alerts naming it', async () => {
    const before = readOutboxIndex(fx.config.outbox, 'bjorkhagen')!;
    const snapshots = path.join(stationFolder(fx.config.outbox, 'norr'), 'snapshots');
    renameSync(snapshots, `${snapshots}.away`);
    writeFileSync(snapshots, 'not a folder');
    let partial: CycleResult;
    try {
      partial = await runExporterCycle(fx.config, deps);
    } finally {
      rmSync(snapshots);
      renameSync(`${snapshots}.away`, snapshots);
    }
    expect(partial.outcome).toBe('failed');
    expect(partial.stations).toEqual([
      expect.objectContaining({ station: 'bjorkhagen', outcome: 'published' }),
      expect.objectContaining({ station: 'norr', outcome: 'failed', code: 'OUTBOX_UNUSABLE' }),
    ]);
    expect(readOutboxIndex(fx.config.outbox, 'bjorkhagen')!.sequence).toBeGreaterThan(
      before.sequence,
    );
    const alert = fx.alerts().at(-1)!;
    expect(alert).toMatchObject({ kind: 'publish-failed', code: 'OUTBOX_UNUSABLE' });
    expect(alert.details).toContain('station: norr');
    expect(alert.message).toContain('norr');
    const hb = readHeartbeat(fx.config.outbox)!;
    expect(hb.lastRun.failedStations).toEqual(['norr']);
    expect(hb.lastPublishedAt).toBe(first.finishedAt);
    const status = exporterStatus(fx.config, CLOCK.now());
    expect(status.state).toBe('warning');
    expect(status.stations.find((s) => s.name === 'norr')).toMatchObject({
      state: 'warning',
      failedInLastRun: true,
    });
  });

  it('refuses a unit that matches no Organization before building anything', async () => {
    const indexes = ['bjorkhagen', 'norr'].map((s) => readOutboxIndex(fx.config.outbox, s));
    const config = {
      ...fx.config,
      stations: [fx.config.stations[0]!, { ...fx.config.stations[1]!, units: ['hemtjanst-99'] }],
    };
    const result = await runExporterCycle(config, deps);
    expect(result).toMatchObject({ outcome: 'failed', code: 'CONFIG_INVALID', stations: [] });
    expect(result.details).toContain(
      'station norr: unit "hemtjanst-99" matches no Organization in the export',
    );
    expect(['bjorkhagen', 'norr'].map((s) => readOutboxIndex(fx.config.outbox, s))).toEqual(
      indexes,
    );
    expect(fx.alerts().at(-1)).toMatchObject({ kind: 'publish-failed', code: 'CONFIG_INVALID' });
  });

  it('reports a state folder it cannot write as a failed run, with heartbeat and alert', async () => {
    const notAFolder = path.join(root, 'state-is-a-file');
    writeFileSync(notAFolder, '');
    const result = await runExporterCycle({ ...fx.config, stateDir: notAFolder }, deps);
    expect(result).toMatchObject({ outcome: 'failed', code: 'CONFIG_INVALID', stations: [] });
    expect(result.details).toEqual([expect.stringMatching(/^stateDir .* cannot be written/)]);
    expect(readHeartbeat(fx.config.outbox)!.lastRun).toMatchObject({
      outcome: 'failed',
      code: 'CONFIG_INVALID',
    });
    expect(fx.alerts().at(-1)).toMatchObject({ kind: 'publish-failed', code: 'CONFIG_INVALID' });
  });

  it('refuses to run while another exporter holds the outbox, touching nothing', async () => {
    const lock = path.join(fx.config.outbox, LOCK_FILE);
    const heartbeat = readFileSync(path.join(fx.config.outbox, 'heartbeat.json'), 'utf8');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), since: 'x' }));
    try {
      await expect(runExporterCycle(fx.config, deps)).rejects.toMatchObject({
        code: 'EXPORTER_BUSY',
      });
    } finally {
      rmSync(lock);
    }
    expect(readFileSync(path.join(fx.config.outbox, 'heartbeat.json'), 'utf8')).toBe(heartbeat);
    expect(existsSync(lock)).toBe(false);
    // And the next run, with the lock free, publishes for everyone again.
    const again = await runExporterCycle(fx.config, deps);
    expect(again.outcome).toBe('published');
    expect(readHeartbeat(fx.config.outbox)!.lastPublishedAt).toBe(again.finishedAt);
  });
});
