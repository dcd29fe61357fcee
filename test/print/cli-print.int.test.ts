/**
 * `reservjournal print unit-pack` through the real binary on a real station: the named account
 * decides, the prints are audited before the file exists, and every page names the audit entry.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.ts';
import { stationAudit } from '../../src/station/access.ts';
import { openStation } from '../../src/station/station.ts';
import { TEST_PASSWORD } from '../helpers/access.ts';
import { runCli } from '../helpers/cli.ts';
import {
  build,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';
import { readPdf } from './read-pdf.ts';

let dir: string;
let dataDir: string;
let unit: string;

beforeAll(async () => {
  dir = tempDir('cli-print');
  const exporter = makeExporter(path.join(dir, 'exporter'));
  const source = generatedSource(path.join(dir, 'export'), 20, 'cli-print');
  const station = makeStation(path.join(dir, 'station'), exporter);
  dataDir = station.dataDir;
  await importInto(
    station,
    await build({
      sourceDir: source,
      sequence: 1,
      exporter,
      recipients: [station.publicKey],
      out: path.join(dir, 's.rjsnap'),
    }),
  );
  const first = JSON.parse(
    readFileSync(path.join(source, 'Patient.ndjson'), 'utf8').split('\n')[0]!,
  ) as {
    managingOrganization: { reference: string };
  };
  unit = first.managingOrganization.reference.replace('Organization/', '');
  for (const [name, units] of [
    ['skrivare', 'kommun'],
    ['annan', 'vardcentral'],
  ] as const) {
    const r = await runCli(
      ['users', 'add', name, '--role', 'nurse', '--units', units, '--data-dir', dataDir],
      {
        input: `${TEST_PASSWORD}\n`,
      },
    );
    expect(r.code, r.stderr).toBe(0);
  }
}, 60_000);

function printEntries(user: string) {
  const station = openStation(dataDir);
  const audit = stationAudit(station, systemClock);
  try {
    return audit.query({ user, limit: 500 }).sort((a, b) => a.seq - b.seq);
  } finally {
    audit.close();
    station.close();
  }
}

describe('reservjournal print unit-pack', () => {
  it('writes the pack, audited first, with the audit reference on every page', async () => {
    const out = path.join(dir, 'pack.pdf');
    const r = await runCli([
      'print',
      'unit-pack',
      '--unit',
      unit,
      '--user',
      'skrivare',
      '--out',
      out,
      '--hours',
      '48',
      '--data-dir',
      dataDir,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Wrote the unit pack');
    const entries = printEntries('skrivare').filter((e) => e.action === 'print');
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.reason === 'unit-pack' && e.unit === unit)).toBe(true);
    const pages = await readPdf(readFileSync(out));
    const ref = entries[entries.length - 1]!.hash.slice(0, 12);
    expect(pages.every((p) => p.footer.join(' ').includes(ref))).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);
  });

  it('refuses an account without the unit, audits the refusal and writes no file', async () => {
    const out = path.join(dir, 'refused.pdf');
    const r = await runCli([
      'print',
      'unit-pack',
      '--unit',
      unit,
      '--user',
      'annan',
      '--out',
      out,
      '--data-dir',
      dataDir,
    ]);
    expect(r.code).toBe(77);
    expect(r.stderr).toContain('ACCESS_DENIED');
    expect(existsSync(out)).toBe(false);
    expect(printEntries('annan').map((e) => e.action)).toEqual(['denied']);
  });

  it('refuses an unknown user, an unknown unit and a bad period with their own codes', async () => {
    const base = ['print', 'unit-pack', '--out', path.join(dir, 'x.pdf'), '--data-dir', dataDir];
    expect((await runCli([...base, '--unit', unit, '--user', 'nobody'])).stderr).toContain(
      'USER_NOT_FOUND',
    );
    expect((await runCli([...base, '--unit', 'nope', '--user', 'skrivare'])).stderr).toContain(
      'NOT_FOUND',
    );
    const hours = await runCli([...base, '--unit', unit, '--user', 'skrivare', '--hours', '36']);
    expect(hours.code).toBe(2);
    expect(existsSync(path.join(dir, 'x.pdf'))).toBe(false);
  });
});
