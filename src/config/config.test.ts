import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReservError } from '../core/errors.ts';
import { loadConfig } from './config.ts';

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'rj-config-'));
}

describe('loadConfig', () => {
  it('uses defaults when nothing is given, and freezes the result', () => {
    const cwd = tmp();
    const c = loadConfig({ cwd, env: {}, flags: {} });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, timeZone: 'Europe/Stockholm' });
    expect(c.dataDir).toBe(path.join(cwd, '.reservjournal'));
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.freshness)).toBe(true);
  });

  it('applies defaults < file < environment < flags', () => {
    const cwd = tmp();
    const file = path.join(cwd, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ port: 9001, logLevel: 'warn', timeZone: 'Europe/Helsinki' }),
    );
    const fromFile = loadConfig({ cwd, env: {}, flags: { config: file } });
    expect(fromFile).toMatchObject({ port: 9001, logLevel: 'warn', timeZone: 'Europe/Helsinki' });
    const fromEnv = loadConfig({ cwd, env: { PORT: '9002' }, flags: { config: file } });
    expect(fromEnv.port).toBe(9002);
    const fromFlags = loadConfig({
      cwd,
      env: { PORT: '9002' },
      flags: { config: file, port: '9003' },
    });
    expect(fromFlags).toMatchObject({ port: 9003, logLevel: 'warn' });
  });

  it('takes the data directory from RESERVJOURNAL_DATA_DIR or --data-dir, and reads its config.json', () => {
    const cwd = tmp();
    mkdirSync(path.join(cwd, 'station'));
    writeFileSync(
      path.join(cwd, 'station', 'config.json'),
      JSON.stringify({ port: 8181, dataDir: '/elsewhere' }),
    );
    const c = loadConfig({ cwd, env: { RESERVJOURNAL_DATA_DIR: 'station' }, flags: {} });
    expect(c.dataDir).toBe(path.join(cwd, 'station'));
    expect(c.port).toBe(8181);
    const flagged = loadConfig({
      cwd,
      env: { RESERVJOURNAL_DATA_DIR: 'x' },
      flags: { dataDir: 'station' },
    });
    expect(flagged.dataDir).toBe(path.join(cwd, 'station'));
  });

  it('reports every problem at once and refuses a non-loopback host', () => {
    const cwd = tmp();
    let error: unknown;
    try {
      loadConfig({
        cwd,
        env: {},
        flags: { host: '0.0.0.0', port: 'eighty', logLevel: 'loud', timeZone: 'Mars/Olympus' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ReservError);
    const e = error as ReservError;
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.details).toHaveLength(4);
    expect(e.details.join('\n')).toMatch(/loopback/);
  });

  it('rejects unknown settings and inverted freshness limits from a file', () => {
    const cwd = tmp();
    const file = path.join(cwd, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({ prot: 1, freshness: { warningHours: 30, criticalHours: 20 } }),
    );
    expect(() => loadConfig({ cwd, env: {}, flags: { config: file } })).toThrow(
      expect.objectContaining({
        code: 'CONFIG_INVALID',
        details: [
          'unknown setting "prot"',
          'freshness.criticalHours must be greater than freshness.warningHours',
        ],
      }),
    );
  });

  it('says which file is broken when the config file is not JSON', () => {
    const cwd = tmp();
    const file = path.join(cwd, 'bad.json');
    writeFileSync(file, '{ port: ');
    expect(() => loadConfig({ cwd, env: {}, flags: { config: file } })).toThrow(
      expect.objectContaining({ code: 'CONFIG_FILE_UNREADABLE' }),
    );
  });
});
