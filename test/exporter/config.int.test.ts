/**
 * The exporter's config file: defaults, paths relative to the file, and every problem listed at
 * once (CONFIG_INVALID) on real key files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReservError } from '../../src/core/errors.ts';
import { loadExporterConfig, parseExporterConfig } from '../../src/exporter/config.ts';
import { generateKeyPair, writePrivateKey, writePublicKey } from '../../src/snapshot/keys.ts';
import { CLOCK } from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('exporter-config');
const keys = path.join(root, 'keys');
mkdirSync(keys);
const exporterPair = generateKeyPair('ed25519');
writePrivateKey(path.join(keys, 'exporter.key'), exporterPair.privatePem);
writePublicKey(path.join(keys, 'exporter.pub'), exporterPair.publicPem);
writePublicKey(path.join(keys, 'a.pub'), generateKeyPair('x25519').publicPem);
writePublicKey(path.join(keys, 'b.pub'), generateKeyPair('x25519').publicPem);

const file = path.join(root, 'conf', 'exporter.json');
const valid = {
  name: 'central',
  source: { kind: 'ndjson-folder', dir: '../export' },
  signKey: '../keys/exporter.key',
  outbox: '../outbox',
  stateDir: '../state',
  stations: [
    { name: 'a', publicKey: '../keys/a.pub', units: ['sabo-1'] },
    { name: 'b', publicKey: '../keys/b.pub', units: ['hemtjanst-1', 'hemtjanst-2'] },
  ],
};

describe('exporter config', () => {
  it('fills in defaults and resolves paths against the config file', () => {
    const { config, problems } = parseExporterConfig(valid, file, CLOCK.now());
    expect(problems).toEqual([]);
    expect(config).toMatchObject({
      name: 'central',
      schedule: '0 6,18 * * *',
      timeZone: 'Europe/Stockholm',
      graceMinutes: 60,
      keep: 3,
      environment: 'prod',
      outbox: path.join(root, 'outbox'),
      stateDir: path.join(root, 'state'),
      source: { kind: 'ndjson-folder', dir: path.join(root, 'export') },
    });
    expect(config!.stations.map((s) => [s.name, s.units])).toEqual([
      ['a', ['sabo-1']],
      ['b', ['hemtjanst-1', 'hemtjanst-2']],
    ]);
    expect(config!.alert).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('accepts any five-field schedule down to one minute, an alert hook and a test environment', () => {
    const { config, problems } = parseExporterConfig(
      {
        ...valid,
        schedule: '* * * * *',
        timeZone: 'UTC',
        environment: 'test',
        keep: 2,
        graceMinutes: 0,
        alert: { command: ['/usr/bin/notify', '--urgent'], webhook: 'https://alerts.example/x' },
      },
      file,
      CLOCK.now(),
    );
    expect(problems).toEqual([]);
    expect(config!.alert).toEqual({
      command: ['/usr/bin/notify', '--urgent'],
      webhook: 'https://alerts.example/x',
      timeoutMs: 10_000,
    });
  });

  it('lists every problem at once', () => {
    const { config, problems } = parseExporterConfig(
      {
        name: 'bad name!',
        source: { kind: 'ftp' },
        schedule: '0 0 * * * *',
        timeZone: 'Mars/Olympus',
        graceMinutes: -5,
        signKey: '../keys/a.pub',
        environment: 'staging',
        outbox: '../shared',
        stateDir: '../shared/state',
        keep: 1,
        stations: [
          { name: 'a', publicKey: '../keys/a.pub', units: ['sabo-1'] },
          { name: 'A', publicKey: '../keys/a.pub', units: [] },
          { name: 'c/d', publicKey: '../keys/missing.pub', units: ['ok', 'not an id'] },
          { name: 'e', publicKey: '../keys/exporter.key', units: ['x'], extra: 1 },
        ],
        alert: { command: 'notify', webhook: 'ftp://x' },
        colour: 'blue',
      },
      file,
      CLOCK.now(),
    );
    expect(config).toBeUndefined();
    const expected = [
      /^unknown setting "colour"$/,
      /^name must be/,
      /^source\.kind must be one of/,
      /^timeZone must be an IANA time zone/,
      /^graceMinutes must be/,
      /^keep must be a whole number from 2/,
      /^environment must be "prod" or "test"/,
      /^signKey: .*wrong kind of key/,
      /^stateDir and outbox must be separate folders/,
      /^stations\[1\]\.name "A" is used by another station$/,
      /^stations\[1\]\.units must be a non-empty list/,
      /^stations\[1\]\.publicKey is the same key as station a's$/,
      /^stations\[2\]\.name must be/,
      /^stations\[2\]\.units: "not an id" is not an Organization id$/,
      /^stations\[2\]\.publicKey: .*missing\.pub/,
      /^stations\[3\]\.extra is not a known setting/,
      /^stations\[3\]\.publicKey: .*private key/,
      /^alert\.command must be a list/,
      /^alert\.webhook must be an http\(s\) address$/,
    ];
    for (const pattern of expected)
      expect(
        problems.some((p) => pattern.test(p)),
        String(pattern),
      ).toBe(true);
    expect(problems).toHaveLength(expected.length);
  });

  it('refuses schedules that are not five fields or never run', () => {
    for (const schedule of ['0 0 * * * *', '*/5 * * *', '0 0 31 2 *', '61 * * * *']) {
      const { problems } = parseExporterConfig({ ...valid, schedule }, file, CLOCK.now());
      expect(problems, schedule).toHaveLength(1);
      expect(problems[0]).toMatch(/^schedule /);
    }
  });

  it('reads the file and throws CONFIG_INVALID naming it, or CONFIG_FILE_UNREADABLE', () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...valid, keep: 0 }));
    const invalid = (() => {
      try {
        loadExporterConfig(file, CLOCK.now());
      } catch (e) {
        return e;
      }
      return undefined;
    })() as ReservError;
    expect(invalid.code).toBe('CONFIG_INVALID');
    expect(invalid.details).toEqual([`file: ${file}`, expect.stringMatching(/^keep must be/)]);
    writeFileSync(file, '{ not json');
    expect(() => loadExporterConfig(file, CLOCK.now())).toThrow(
      expect.objectContaining({ code: 'CONFIG_FILE_UNREADABLE' }),
    );
    writeFileSync(file, JSON.stringify(valid));
    expect(loadExporterConfig(file, CLOCK.now()).stations).toHaveLength(2);
  });
});
