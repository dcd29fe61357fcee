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
    for (const c of ['demo', 'generate', 'load', 'serve']) expect(r.stdout).toContain(`  ${c}`);
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

  it('generates, loads and serves data, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir('cli');
    const gen = await runCli(['generate', '--people', '20', '--seed', 'cli', '--out', 'export'], {
      cwd: dir,
    });
    expect(gen.code).toBe(0);
    expect(existsSync(path.join(dir, 'export', 'manifest.json'))).toBe(true);
    const load = await runCli(
      ['load', '--source', 'export', '--data-dir', 'station', '--log-level', 'silent'],
      { cwd: dir },
    );
    expect(load.stderr).toBe('');
    expect(load.code).toBe(0);
    expect(load.stdout).toMatch(/Loaded \d+ resources \(20 people\)/);
    const serve = await startCli(['serve', '--data-dir', 'station', '--port', '0'], { cwd: dir });
    const res = await fetch(`${serve.url}/`);
    expect(res.status).toBe(200);
    expect(await serve.stop()).toBe(0);
  });

  it('explains what to do when the station has no data, the config is wrong or the port is taken', async () => {
    const dir = tempDir('cli-errors');
    const empty = await runCli(['serve', '--data-dir', 'nothing-here'], { cwd: dir });
    expect(empty.code).toBe(69);
    expect(empty.stderr).toContain('STORE_NO_DATA');
    expect(empty.stderr).toContain('Next step:');

    const bad = await runCli(['serve', '--port', 'eighty', '--log-level', 'loud'], { cwd: dir });
    expect(bad.code).toBe(78);
    expect(bad.stderr).toContain('CONFIG_INVALID');
    expect(bad.stderr).toContain('port must be');
    expect(bad.stderr).toContain('logLevel must be');

    await runCli(['generate', '--people', '5', '--seed', 's', '--out', 'export'], { cwd: dir });
    await runCli(['load', '--source', 'export', '--data-dir', 'st', '--log-level', 'silent'], {
      cwd: dir,
    });
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await runCli(['serve', '--data-dir', 'st', '--port', String(port)], {
        cwd: dir,
      });
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
