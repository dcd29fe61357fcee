/**
 * D1: the disk fills up during an import. The station's data directory lives on a small tmpfs
 * (this test needs root to mount one, as CI has; elsewhere it is skipped and says why). A filler
 * file leaves a chosen number of bytes free; the import is tried with more and more free space
 * until it completes. Every failure must be DISK_FULL with the old snapshot still serving and no
 * staging file left.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReservError } from '../../src/core/errors.ts';
import { restartAndCheck } from '../helpers/invariants.ts';
import {
  build,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('diskfull');
const mountPoint = path.join(root, 'small-disk');

function canMount(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    mkdirSync(mountPoint, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'tmpfs', mountPoint], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

const mounted = canMount();
let station: TestStationDir;
let snap2: string;

beforeAll(async () => {
  if (!mounted) return;
  const exporter = makeExporter(path.join(root, 'exporter'));
  const template = makeStation(path.join(root, 'template'), exporter);
  await importInto(
    template,
    await build({
      sourceDir: generatedSource(path.join(root, 'e1'), 10, 'd1'),
      sequence: 1,
      exporter,
      recipients: [template.publicKey],
      out: path.join(root, 's1.rjsnap'),
    }),
  );
  snap2 = await build({
    sourceDir: generatedSource(path.join(root, 'e2'), 60, 'd2'),
    sequence: 2,
    exporter,
    recipients: [template.publicKey],
    out: path.join(root, 's2.rjsnap'),
  });
  station = { ...template, dataDir: path.join(mountPoint, 'station') };
  cpSync(template.dataDir, station.dataDir, { recursive: true });
}, 120_000);

afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'ignore' });
});

function freeBytes(): number {
  const s = statfsSync(mountPoint);
  return s.bavail * s.bsize;
}

describe('D1: disk full during import', () => {
  it.skipIf(!mounted)(
    'fails cleanly with DISK_FULL at every fill level until there is room, then completes',
    async () => {
      const filler = path.join(mountPoint, 'filler');
      let failures = 0;
      let completed = false;
      // From almost no room upwards, in steps of 64 KiB.
      for (let room = 16 * 1024; room < 32 * 1024 * 1024 && !completed; room += 64 * 1024) {
        rmSync(filler, { force: true });
        const fill = freeBytes() - room;
        if (fill > 0) writeFileSync(filler, Buffer.alloc(fill));
        const error = await importInto(station, snap2).then(
          () => undefined,
          (e: unknown) => e,
        );
        rmSync(filler, { force: true });
        if (error === undefined) {
          completed = true;
          break;
        }
        failures++;
        expect(error).toBeInstanceOf(ReservError);
        expect((error as ReservError).code, `with ${room} bytes free`).toBe('DISK_FULL');
        expect(
          readdirSync(path.join(station.dataDir, 'snapshots')).filter((f) => f.includes('staging')),
        ).toEqual([]);
        expect(restartAndCheck(station.dataDir).activeSequence).toBe(1);
      }
      expect(failures).toBeGreaterThan(3);
      expect(completed).toBe(true);
      expect(restartAndCheck(station.dataDir).activeSequence).toBe(2);
    },
    600_000,
  );

  it.runIf(!mounted)(
    'is skipped here: mounting a small tmpfs needs root on Linux (CI has it)',
    () => {
      expect(mounted).toBe(false);
    },
  );
});
