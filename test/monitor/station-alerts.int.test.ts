/**
 * The station's alerts on a real station (real snapshots, real control database) with a clock
 * the test moves: an alert fires once when its condition starts, repeats after repeatHours,
 * fires at once when the condition changes, and sends one `resolved` notice when it clears.
 * Alerts really reach a command (a node script) and a webhook (node:http on loopback).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config, type PartialConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/log.ts';
import { generate } from '../../src/generate/generate.ts';
import { checkStationAlerts, type StationAlert } from '../../src/monitor/station-alerts.ts';
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
import {
  appendCommand,
  startWebhook,
  type CommandHook,
  type Webhook,
} from '../helpers/alert-hooks.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-12-01T05:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * HOUR);

const root = tempDir('alerts');
let exporter: Exporter;
let webhook: Webhook;
let command: CommandHook;

function configFor(dataDir: string, extra: PartialConfig = {}): Config {
  return loadConfig({
    cwd: root,
    env: {},
    flags: {
      dataDir,
      alert: { command: command.command, webhook: webhook.url, repeatHours: 6 },
      ...extra,
    },
  });
}

/** A snapshot of a small generated export whose data is as of `asOfHours` after T0. */
async function snapshot(
  name: string,
  sequence: number,
  asOfHours: number,
  recipients: TestStationDir['publicKey'][],
) {
  const source = path.join(root, `export-${name}`);
  generate({ people: 4, seed: 'alerts', outDir: source, asOf: at(asOfHours).toISOString() });
  return build({
    sourceDir: source,
    sequence,
    exporter,
    recipients,
    out: path.join(root, `${name}.rjsnap`),
  });
}

function kinds(alerts: readonly unknown[]) {
  return (alerts as StationAlert[]).map((a) => `${a.kind}/${a.state}/${a.severity}`);
}

beforeAll(async () => {
  exporter = makeExporter(path.join(root, 'exporter'));
  webhook = await startWebhook();
  command = appendCommand(root);
});
afterAll(() => webhook.close());

describe('station alerts', () => {
  let dir: TestStationDir;
  let station: Station;
  let config: Config;
  const clock = mutableClock(at(1));
  const check = () => checkStationAlerts(station, config, { clock, log: silentLogger });

  beforeAll(async () => {
    dir = makeStation(path.join(root, 'station'), exporter, { name: 'alpha' });
    await importInto(dir, await snapshot('s1', 1, 0, [dir.publicKey]), { clock });
    station = openStation(dir.dataDir);
    config = configFor(dir.dataDir);
  });
  afterAll(() => station.close());

  it('alerts a stale station once when it starts, again after repeatHours, at once when it turns critical, and once when it clears', async () => {
    expect(await check()).toEqual([]);
    clock.set(at(15));
    const first = (await check()) as StationAlert[];
    expect(kinds(first)).toEqual(['station-stale/firing/warning']);
    expect(first[0]).toMatchObject({ side: 'station', name: 'alpha' });
    expect(first[0]!.message).toMatch(/15 h old.*warning limit of 14 h/);
    clock.set(at(16));
    expect(await check()).toEqual([]);
    clock.set(at(27));
    expect(kinds(await check())).toEqual(['station-stale/firing/critical']);
    clock.set(at(32));
    expect(await check()).toEqual([]);
    clock.set(at(33.1));
    const repeat = (await check()) as StationAlert[];
    expect(kinds(repeat)).toEqual(['station-stale/firing/critical']);
    expect(repeat[0]!.details).toContain(`since: ${at(15).toISOString()}`);

    clock.set(at(34));
    await importInto(dir, await snapshot('s2', 2, 33, [dir.publicKey]), { clock });
    const resolved = (await check()) as StationAlert[];
    expect(kinds(resolved)).toEqual(['station-stale/resolved/warning']);
    expect(resolved[0]!.message).toMatch(/^Resolved:/);
    expect(await check()).toEqual([]);

    // Both ways really received every alert, in order.
    const expected = ['warning', 'critical', 'critical', 'warning'];
    expect(command.received().map((a) => a.severity)).toEqual(expected);
    expect(webhook.received.map((a) => a.severity)).toEqual(expected);
    expect(webhook.received.map((a) => a.state)).toEqual([
      'firing',
      'firing',
      'firing',
      'resolved',
    ]);
  });

  it('alerts a refused snapshot once, not again when the same one is refused again, at once for another, and resolves when one is accepted', async () => {
    const foreign = await snapshot('foreign', 3, 34, [strangerStationKey()]);
    clock.set(at(35));
    await expect(importInto(dir, foreign, { clock })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOR_STATION',
    });
    const first = (await check()) as StationAlert[];
    expect(kinds(first)).toEqual(['snapshot-rejected/firing/critical']);
    expect(first[0]!.code).toBe('SNAPSHOT_NOT_FOR_STATION');
    expect(await check()).toEqual([]);
    // The next sync fetches the same snapshot and refuses it again: no news.
    clock.set(at(35.25));
    await expect(importInto(dir, foreign, { clock })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOR_STATION',
    });
    expect(await check()).toEqual([]);
    clock.set(at(36));
    const other = await snapshot('foreign-2', 4, 35, [strangerStationKey()]);
    await expect(importInto(dir, other, { clock })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOR_STATION',
    });
    expect(kinds(await check())).toEqual(['snapshot-rejected/firing/critical']);
    clock.set(at(37));
    await importInto(dir, await snapshot('s3', 3, 36, [dir.publicKey]), { clock });
    expect(kinds(await check())).toEqual(['snapshot-rejected/resolved/warning']);
  });
});

describe('link alerts from the sync history', () => {
  let station: Station;
  let config: Config;
  const clock = mutableClock(at(1));
  const check = async () =>
    kinds(await checkStationAlerts(station, config, { clock, log: silentLogger })).filter(
      (k) => !k.startsWith('station-stale'),
    );
  const sync = (
    outcome: string,
    extra: { code?: string; heartbeatAt?: string; interval?: number; grace?: number } = {},
  ) =>
    station.control
      .prepare(
        `INSERT INTO sync_event (at, source, outcome, code, exporter_heartbeat_at,
           exporter_expected_interval_minutes, exporter_grace_minutes) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        clock.now().toISOString(),
        'http://127.0.0.1:9/outbox/',
        outcome,
        extra.code ?? null,
        extra.heartbeatAt ?? null,
        extra.interval ?? null,
        extra.grace ?? null,
      );

  beforeAll(() => {
    const dir = makeStation(path.join(root, 'linked'), exporter, { name: 'beta' });
    station = openStation(dir.dataDir);
    config = configFor(dir.dataDir, {
      link: { from: 'http://127.0.0.1:9/outbox/', intervalMinutes: 15 },
    });
  });
  afterAll(() => station.close());

  it('alerts a link that failed for longer than two intervals, and resolves when a sync works', async () => {
    const fresh = { heartbeatAt: at(0.9).toISOString(), interval: 720, grace: 120 };
    sync('up-to-date', fresh);
    clock.set(at(1.25));
    sync('unreachable', { code: 'SYNC_UNREACHABLE' });
    clock.set(at(1.5));
    sync('unreachable', { code: 'SYNC_UNREACHABLE' });
    expect(await check()).toEqual([]);
    clock.set(at(1.75));
    sync('unreachable', { code: 'SYNC_UNREACHABLE' });
    // Failing since 1.25 h: exactly two intervals is still allowed, a moment more is not.
    expect(await check()).toEqual([]);
    clock.set(at(1.8));
    expect(await check()).toEqual(['sync-failed/firing/warning']);
    clock.set(at(2));
    sync('failed', { code: 'SYNC_INDEX_INVALID' });
    expect(await check()).toEqual([]);
    sync('up-to-date', fresh);
    expect(await check()).toEqual(['sync-failed/resolved/warning']);
  });

  it('alerts a stopped exporter by its own schedule, stays silent while the link is down, and resolves on a fresh heartbeat', async () => {
    // The heartbeat read at 2 h was written at 0.9 h; the exporter promised 12 h + 2 h.
    clock.set(at(14.8));
    sync('up-to-date', { heartbeatAt: at(0.9).toISOString(), interval: 720, grace: 120 });
    expect(await check()).toEqual([]);
    clock.set(at(15));
    sync('up-to-date', { heartbeatAt: at(0.9).toISOString(), interval: 720, grace: 120 });
    expect(await check()).toEqual(['exporter-stale/firing/warning']);
    // The link goes down: the exporter cannot be judged, so no "resolved" either.
    clock.set(at(15.25));
    sync('unreachable', { code: 'SYNC_UNREACHABLE' });
    expect(await check()).toEqual([]);
    clock.set(at(15.5));
    sync('imported', { heartbeatAt: at(15.4).toISOString(), interval: 720, grace: 120 });
    expect(await check()).toEqual(['exporter-stale/resolved/warning']);
  });
});

describe('a broken alert hook', () => {
  it('does not swallow the alert: the next check sends it again until someone hears it', async () => {
    const dir = makeStation(path.join(root, 'empty'), exporter, { name: 'gamma' });
    const station = openStation(dir.dataDir);
    try {
      const clock = mutableClock(at(1));
      const failing = loadConfig({
        cwd: root,
        env: {},
        flags: {
          dataDir: dir.dataDir,
          alert: { command: [process.execPath, '-e', 'process.exit(3)'] },
        },
      });
      const run = async (config: Config) =>
        kinds(await checkStationAlerts(station, config, { clock, log: silentLogger }));
      // A station with no snapshot at all has nothing to show: critical.
      expect(await run(failing)).toEqual(['station-stale/firing/critical']);
      clock.set(at(1.25));
      expect(await run(failing)).toEqual(['station-stale/firing/critical']);
      const working = appendCommand(root, 'gamma');
      const heard = loadConfig({
        cwd: root,
        env: {},
        flags: { dataDir: dir.dataDir, alert: { command: working.command } },
      });
      expect(await run(heard)).toEqual(['station-stale/firing/critical']);
      expect(await run(heard)).toEqual([]);
      expect(working.received()).toHaveLength(1);
    } finally {
      station.close();
    }
  });
});
