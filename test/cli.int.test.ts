import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './helpers/cli.ts';
import { tempDir } from './helpers/tmp.ts';

const NO_STACK = /\n\s+at .*:\d+:\d+/;

describe('reservjournal command line', () => {
  it('prints help with every command', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of [
      'demo',
      'generate',
      'keys exporter',
      'snapshot build',
      'station init',
      'import',
      'status',
      'serve',
    ])
      expect(r.stdout).toContain(`  ${c}`);
    const none = await runCli([]);
    expect(none.code).toBe(2);
  });

  it('rejects an unknown command or a bad option with USAGE, a next step and exit code 2', async () => {
    for (const args of [
      ['frobnicate'],
      ['generate', '--people', 'many', '--seed', 's', '--out', 'x'],
      ['generate', '--bogus'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain('reservjournal: USAGE:');
      expect(r.stderr).toContain('Next step:');
      expect(r.stderr).not.toMatch(NO_STACK);
    }
  });

  it('runs the pipeline: keys, station, generate, build, import, status, serve, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir('cli');
    const run = (...args: string[]) => runCli(args, { cwd: dir });
    expect((await run('keys', 'exporter', '--out', 'exporter')).code).toBe(0);
    const init = await run(
      'station',
      'init',
      '--data-dir',
      'station',
      '--trust-exporter',
      'exporter/exporter.pub',
    );
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/station key id: [0-9a-f]{16}/);
    expect((await run('generate', '--people', '20', '--seed', 'cli', '--out', 'export')).code).toBe(
      0,
    );
    expect(existsSync(path.join(dir, 'export', 'manifest.json'))).toBe(true);
    const build = await run(
      'snapshot',
      'build',
      '--source',
      'export',
      '--sequence',
      '1',
      '--sign-key',
      'exporter/exporter.key',
      '--recipient',
      'station/station.pub',
      '--out',
      'snap-1.rjsnap',
    );
    expect(build.stderr).toBe('');
    expect(build.code).toBe(0);
    const imported = await run(
      'import',
      'snap-1.rjsnap',
      '--data-dir',
      'station',
      '--log-level',
      'silent',
    );
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toMatch(/Imported snapshot .* \(sequence 1, \d+ resources\)/);
    const again = await run(
      'import',
      'snap-1.rjsnap',
      '--data-dir',
      'station',
      '--log-level',
      'silent',
    );
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already active');
    const status = await run('status', '--data-dir', 'station', '--json');
    expect(status.code).toBe(0);
    const json = JSON.parse(status.stdout) as {
      active: { sequence: number; resourceCount: number };
      freshness: string;
      history: unknown[];
      lastFailure: unknown;
    };
    expect(json.active.sequence).toBe(1);
    expect(json.active.resourceCount).toBeGreaterThan(100);
    expect(['ok', 'warning', 'critical']).toContain(json.freshness);
    expect(json.history).toHaveLength(1);
    expect(json.lastFailure).toBeNull();
    expect((await run('keys', 'exporter', '--out', 'exporter2')).code).toBe(0);
    const trust = await run(
      'station',
      'trust',
      '--data-dir',
      'station',
      '--add',
      'exporter2/exporter.pub',
    );
    expect(trust.code).toBe(0);
    expect(trust.stdout.match(/ trusted$/gm)).toHaveLength(2);
    const oldKey = /^([0-9a-f]{16}) /.exec(trust.stdout.split('\n')[1]!)![1]!;
    const revoke = await run('station', 'trust', '--data-dir', 'station', '--revoke', oldKey);
    expect(revoke.stdout).toContain(`Revoked exporter key ${oldKey}`);
    expect(revoke.stdout.match(/ trusted$/gm)).toHaveLength(1);
    const newKey = /^([0-9a-f]{16}) .* trusted$/m.exec(revoke.stdout)![1]!;
    const last = await run('station', 'trust', '--data-dir', 'station', '--revoke', newKey);
    expect(last.code).toBe(2);
    expect(last.stderr).toContain('is the only trusted key');
    const serve = await startCli(['serve', '--data-dir', 'station', '--port', '0'], { cwd: dir });
    const res = await fetch(`${serve.url}/`);
    expect(res.status).toBe(200);
    expect(await serve.stop()).toBe(0);
  });

  it('explains what to do when the station has no data, the config is wrong or the port is taken', async () => {
    const dir = tempDir('cli-errors');
    const empty = await runCli(['serve', '--data-dir', 'nothing-here'], { cwd: dir });
    expect(empty.code).toBe(69);
    expect(empty.stderr).toContain('STATION_NOT_INITIALISED');
    expect(empty.stderr).toContain('Next step:');

    const bad = await runCli(['serve', '--port', 'eighty', '--log-level', 'loud'], { cwd: dir });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('CONFIG_INVALID');
    expect(bad.stderr).toContain('port must be');
    expect(bad.stderr).toContain('logLevel must be');

    await runCli(['keys', 'exporter', '--out', 'ex'], { cwd: dir });
    const init = await runCli(
      ['station', 'init', '--data-dir', 'st', '--trust-exporter', 'ex/exporter.pub'],
      { cwd: dir },
    );
    expect(init.stderr).toBe('');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await runCli(['serve', '--data-dir', 'st', '--port', String(port)], {
        cwd: dir,
      });
      expect(busy.stderr + busy.stdout).toContain('PORT_IN_USE');
      expect(busy.code).toBe(75);
      expect(busy.stderr).toContain('PORT_IN_USE');
      expect(busy.stderr).not.toMatch(NO_STACK);
    } finally {
      blocker.close();
    }
  });

  it('refuses to generate into a non-empty folder without --force', async () => {
    const dir = tempDir('cli-force');
    await runCli(['generate', '--people', '3', '--seed', 's', '--out', 'export'], { cwd: dir });
    const again = await runCli(['generate', '--people', '3', '--seed', 's', '--out', 'export'], {
      cwd: dir,
    });
    expect(again.code).toBe(73);
    expect(again.stderr).toContain('GENERATE_OUT_NOT_EMPTY');
    const forced = await runCli(
      ['generate', '--people', '3', '--seed', 's', '--out', 'export', '--force'],
      { cwd: dir },
    );
    expect(forced.code).toBe(0);
  });
});
