/**
 * `reservjournal exporter` as an operator runs it: the real binary in a child process, on a
 * config file in a temporary folder.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readOutboxIndex } from '../../src/exporter/outbox.ts';
import { BIN, runCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';
import { exporterFixture, stationContents, type ExporterFixture } from './fixture.ts';

let fx: ExporterFixture;
beforeAll(() => {
  fx = exporterFixture(tempDir('exporter-cli'), {
    people: 60,
    stations: [
      { name: 'bjorkhagen', units: ['sabo-1'] },
      { name: 'norr', units: ['hemtjanst-1'] },
    ],
  });
});

describe('reservjournal exporter', () => {
  it('run --once publishes for every station, and status reports it fresh', async () => {
    const run = await runCli(['exporter', 'run', '--config', fx.configFile, '--once'], {
      cwd: fx.root,
    });
    expect(run.stderr).toContain('"event":"exporter.run_finished"');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Published 2 of 2 stations:\n {2}bjorkhagen: sequence \d+/);
    const index = readOutboxIndex(fx.config.outbox, 'norr')!;
    expect(run.stdout).toContain(`norr: sequence ${index.sequence}`);

    const status = await runCli(['exporter', 'status', '--config', fx.configFile, '--json']);
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as {
      state: string;
      stations: { name: string; sequence: number; state: string }[];
    };
    expect(json.state).toBe('ok');
    expect(json.stations).toEqual([
      expect.objectContaining({ name: 'bjorkhagen', state: 'ok' }),
      expect.objectContaining({ name: 'norr', state: 'ok', sequence: index.sequence }),
    ]);
    const text = await runCli(['exporter', 'status', '--config', fx.configFile]);
    expect(text.stdout).toMatch(/^Exporter central: ok /);

    // A station fetches what was published, straight from the outbox folder.
    const sync = await runCli([
      'sync',
      '--data-dir',
      fx.stations.norr!.dataDir,
      '--from',
      fx.config.outbox,
    ]);
    expect(sync.code, sync.stderr).toBe(0);
    expect(stationContents(fx.stations.norr!).get('Patient')!.size).toBeGreaterThan(5);
  });

  it('run --once exits non-zero when the pull fails, after alerting', async () => {
    const broken = path.join(fx.root, 'broken.json');
    const config = JSON.parse(readFileSync(fx.configFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(
      broken,
      JSON.stringify({ ...config, source: { kind: 'ndjson-folder', dir: 'no-such-export' } }),
    );
    const run = await runCli([
      'exporter',
      'run',
      '--config',
      broken,
      '--once',
      '--log-level',
      'silent',
    ]);
    expect(run.code).toBe(66);
    expect(run.stderr).toContain('reservjournal: SOURCE_NOT_FOUND');
    expect(fx.alerts().at(-1)).toMatchObject({ kind: 'pull-failed', code: 'SOURCE_NOT_FOUND' });
  });

  it('lists every configuration problem and exits 78', async () => {
    const bad = path.join(fx.root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', stations: [], keep: 1 }));
    const run = await runCli(['exporter', 'run', '--config', bad, '--once']);
    expect(run.code).toBe(78);
    for (const problem of [
      /source must be an object/,
      /keep must be/,
      /signKey must/,
      /outbox must/,
      /stateDir must/,
      /stations must be/,
    ])
      expect(run.stderr).toMatch(problem);
  });

  it('runs as a daemon until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'exporter', 'run', '--config', fx.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('stop with Ctrl-C')) resolve();
      });
      void exited.then(() => reject(new Error(`exited early: ${stderr}`)));
    });
    expect(stdout).toContain('runs on "0 6,18 * * *" (Europe/Stockholm) for 2 stations');
    await new Promise<void>((resolve) => {
      const poll = () =>
        stderr.includes('exporter.daemon_started') ? resolve() : setTimeout(poll, 20);
      poll();
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('"event":"exporter.daemon_stopped","runs":0,"skipped":0');
  });
});
