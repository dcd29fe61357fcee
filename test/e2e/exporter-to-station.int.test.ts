/**
 * The whole chain of the operations guide, with the real binary in every role: a FHIR server
 * (`demo fhir-server`, Bulk Data), the exporter publishing once and then running as a service
 * with its inbox, the outbox served by a third-party static server, and `station run` syncing,
 * importing, delivering its audit log and status back, and alerting when its data is too old.
 * The exporter side alerts too, from the station's own report.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/core/log.ts';
import { loadExporterConfig } from '../../src/exporter/config.ts';
import { checkStations } from '../../src/exporter/station-monitor.ts';
import { generate } from '../../src/generate/generate.ts';
import { appendCommand } from '../helpers/alert-hooks.ts';
import { runCli, startCli, type RunningCli } from '../helpers/cli.ts';
import { serveOutbox, type Served } from '../helpers/outbox.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('e2e-link');
const running: RunningCli[] = [];
let box: Served | undefined;

afterAll(async () => {
  for (const r of running.reverse()) await r.stop();
  await box?.close();
});

/** Poll until `check` holds; the limit only guards against a hang, it is not a measurement. */
async function until<T>(what: string, check: () => T | undefined, limitMs = 45_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Received = { kind: string; state?: string; side: string; message: string }[];

let unit: string;

beforeAll(() => {
  // Data as of an hour ago, so that the station's tight freshness limits below are passed.
  generate({
    people: 24,
    seed: 'e2e-link',
    outDir: path.join(root, 'journal'),
    asOf: new Date(Date.now() - 3_600_000).toISOString(),
  });
  const first = readFileSync(path.join(root, 'journal', 'Patient.ndjson'), 'utf8').split('\n')[0]!;
  unit = (
    JSON.parse(first) as { managingOrganization: { reference: string } }
  ).managingOrganization.reference.slice('Organization/'.length);
});

describe('from the journal system to a station and back', () => {
  it('pulls, publishes, syncs, delivers the audit log and alerts on both sides', async () => {
    const fhir = await startCli(['demo', 'fhir-server', '--source', 'journal', '--port', '0'], {
      cwd: root,
    });
    running.push(fhir);
    expect((await runCli(['keys', 'exporter', '--out', 'exporter'], { cwd: root })).code).toBe(0);
    const init = await runCli(
      [
        'station',
        'init',
        '--data-dir',
        'station',
        '--name',
        'nattstation-1',
        '--trust-exporter',
        'exporter/exporter.pub',
      ],
      { cwd: root },
    );
    expect(init.code).toBe(0);
    // Alert hooks as an operator would write them: append the alert JSON to a file.
    const exporterAlerts = appendCommand(root, 'exporter-alerts');
    writeFileSync(
      path.join(root, 'exporter.json'),
      JSON.stringify({
        name: 'central',
        source: { kind: 'bulk-export', base: `${fhir.url}/fhir` },
        signKey: 'exporter/exporter.key',
        outbox: 'outbox',
        stateDir: 'exporter-state',
        stations: [
          {
            name: 'nattstation-1',
            publicKey: 'station/station.pub',
            auditKey: 'station/audit.pub',
            units: [unit],
          },
        ],
        alert: { command: exporterAlerts.command },
        inbox: { host: '127.0.0.1', port: 0, dir: 'inbox' },
      }),
    );
    const once = await runCli(['exporter', 'run', '--config', 'exporter.json', '--once'], {
      cwd: root,
    });
    expect(once.stderr).not.toContain('reservjournal:');
    expect(once.code).toBe(0);
    expect(once.stdout).toMatch(/Published 1 of 1 stations:\n {2}nattstation-1: sequence \d+/);

    // The exporter as a service: its inbox listens; its next scheduled run is hours away.
    const exporter = await startCli(['exporter', 'run', '--config', 'exporter.json'], {
      cwd: root,
    });
    running.push(exporter);
    box = await serveOutbox(path.join(root, 'outbox'));

    const stationAlerts = appendCommand(root, 'station-alerts');
    writeFileSync(
      path.join(root, 'station', 'config.json'),
      JSON.stringify({
        link: { from: box.url, inbox: exporter.url },
        freshness: { warningHours: 0.1, criticalHours: 0.5 },
        alert: { command: stationAlerts.command },
      }),
    );
    const station = await startCli(['station', 'run', '--data-dir', 'station', '--port', '0'], {
      cwd: root,
      env: { RESERVJOURNAL_SYNC_INTERVAL_MS: '1000' },
    });
    running.push(station);

    // The station imported the published snapshot: only its unit's people.
    type Status = { active: { sequence: number; resourceCount: number } | null };
    let status: Status = { active: null };
    for (let i = 0; i < 180 && status.active === null; i++) {
      const r = await runCli(['status', '--json', '--data-dir', 'station'], { cwd: root });
      status = JSON.parse(r.stdout) as Status;
      if (status.active === null) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status.active?.sequence).toBeGreaterThan(0);
    const manifest = JSON.parse(
      readFileSync(path.join(root, 'journal', 'manifest.json'), 'utf8'),
    ) as {
      output: { count: number }[];
    };
    const everything = manifest.output.reduce((n, o) => n + o.count, 0);
    expect(status.active!.resourceCount).toBeLessThan(everything);

    // Its data is older than the (tight) limits: the station alerts by its hook.
    const fired = await until('the station alert', () =>
      (stationAlerts.received() as Received).find(
        (a) => a.kind === 'station-stale' && a.state === 'firing',
      ),
    );
    expect(fired.side).toBe('station');

    // The audit log and the status report reached the exporter's inbox.
    const inbox = path.join(root, 'inbox', 'nattstation-1');
    await until(
      'the status report',
      () => existsSync(path.join(inbox, 'status.json')) || undefined,
    );
    await until('the audit log', () =>
      existsSync(path.join(inbox, 'audit')) &&
      readdirSync(path.join(inbox, 'audit')).some((f) => f.endsWith('.ndjson'))
        ? true
        : undefined,
    );
    const audit = readdirSync(path.join(inbox, 'audit'))
      .filter((f) => f.endsWith('.ndjson'))
      .map((f) => readFileSync(path.join(inbox, 'audit', f), 'utf8'))
      .join('');
    expect(audit).toContain('"resourceType":"AuditEvent"');

    // Freshness on both sides, in one place: the exporter's status shows what the station said.
    const exporterStatus = await runCli(['exporter', 'status', '--config', 'exporter.json'], {
      cwd: root,
    });
    expect(exporterStatus.stdout).toMatch(
      new RegExp(
        `nattstation-1: ok, sequence ${status.active!.sequence}, .*; the station reported at \\S+: serving sequence ${status.active!.sequence}, data critical`,
      ),
    );

    // The exporter side, looking at the report the station delivered, alerts too: its data is
    // critical. (The service checks every five minutes; the same check is run here at once.)
    const config = loadExporterConfig(path.join(root, 'exporter.json'), new Date());
    const central = await checkStations(config, { clock: systemClock, log: silentLogger });
    expect(central.map((a) => [a.kind, a.state, a.side])).toEqual([
      ['station-stale', 'firing', 'exporter'],
    ]);
    expect(central[0]!.message).toContain('nattstation-1: its data is');
    expect((exporterAlerts.received() as Received).map((a) => a.kind)).toEqual(['station-stale']);
  });
});
