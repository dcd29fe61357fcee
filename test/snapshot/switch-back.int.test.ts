/**
 * `station switch`: an administrator makes a kept snapshot active again, atomically and only
 * after checking it; the exporter's next snapshot still imports.
 */
import { readFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/log.ts';
import { ReservError } from '../../src/core/errors.ts';
import { switchSnapshot } from '../../src/snapshot/switch.ts';
import { stationPaths } from '../../src/store/station-files.ts';
import { openStation } from '../../src/station/station.ts';
import { stationSnapshotSource } from '../../src/station/snapshot-source.ts';
import { runCli } from '../helpers/cli.ts';
import {
  build,
  CLOCK,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
  statusOf,
  type Exporter,
  type TestStationDir,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

const root = tempDir('switch-back');
let exporter: Exporter;
let sourceA: string;
let sourceB: string;
let n = 0;

beforeAll(() => {
  exporter = makeExporter(path.join(root, 'exporter'));
  sourceA = generatedSource(path.join(root, 'a'), 8, 'switch-a');
  sourceB = generatedSource(path.join(root, 'b'), 9, 'switch-b');
});

async function stationWithTwo(): Promise<{ station: TestStationDir; ids: string[] }> {
  const station = makeStation(path.join(root, `station-${++n}`), exporter);
  const ids: string[] = [];
  for (const [sequence, sourceDir] of [
    [1, sourceA],
    [2, sourceB],
  ] as const) {
    const file = await build({
      sourceDir,
      sequence,
      exporter,
      recipients: [station.publicKey],
      out: path.join(root, `s${n}-${sequence}.rjsnap`),
    });
    ids.push((await importInto(station, file)).snapshotId);
  }
  return { station, ids };
}

const deps = { clock: CLOCK, log: silentLogger };

describe('switching back to a kept snapshot', () => {
  it('makes the previous snapshot active for the running station, and the next import still works', async () => {
    const { station, ids } = await stationWithTwo();
    const s = openStation(station.dataDir);
    const source = stationSnapshotSource(s);
    try {
      const before = source.current()!;
      expect(before.info.snapshotId).toBe(ids[1]);
      before.release?.();
      const result = switchSnapshot(station.dataDir, { previous: true }, deps);
      expect(result).toEqual({
        from: { snapshotId: ids[1], sequence: 2 },
        to: { snapshotId: ids[0], sequence: 1 },
      });
      // The running source sees the switch at its next request, without a restart.
      const after = source.current()!;
      expect(after.info.snapshotId).toBe(ids[0]);
      after.release?.();
    } finally {
      source.close();
      s.close();
    }
    const status = statusOf(station);
    expect(status.active?.sequence).toBe(1);
    expect(status.lastAcceptedSequence).toBe(2);
    // And forward again by id.
    expect(switchSnapshot(station.dataDir, { snapshotId: ids[1]! }, deps).to.sequence).toBe(2);
    switchSnapshot(station.dataDir, { previous: true }, deps);
    const next = await build({
      sourceDir: sourceB,
      sequence: 3,
      exporter,
      recipients: [station.publicKey],
      out: path.join(root, `s${n}-3.rjsnap`),
    });
    await expect(importInto(station, next)).resolves.toMatchObject({ outcome: 'accepted' });
    expect(statusOf(station).active?.sequence).toBe(3);
  });

  it('refuses an unknown id, the active one, and a station with nothing older', async () => {
    const { station, ids } = await stationWithTwo();
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return { code: (e as ReservError).code, details: (e as ReservError).details.join(' ') };
      }
      return undefined;
    };
    const unknown = codeOf(() => switchSnapshot(station.dataDir, { snapshotId: 'nope' }, deps));
    expect(unknown?.code).toBe('USAGE');
    expect(unknown?.details).toContain(ids[0]);
    expect(
      codeOf(() => switchSnapshot(station.dataDir, { snapshotId: ids[1]! }, deps))?.details,
    ).toContain('already the active snapshot');
    switchSnapshot(station.dataDir, { previous: true }, deps);
    expect(
      codeOf(() => switchSnapshot(station.dataDir, { previous: true }, deps))?.details,
    ).toContain('no kept snapshot older');
  });

  it('checks the kept snapshot first: a damaged file changes nothing', async () => {
    const { station, ids } = await stationWithTwo();
    const file = stationPaths(station.dataDir).snapshot(ids[0]!);
    // Overwrite a page in the middle of the encrypted file.
    const fd = openSync(file, 'r+');
    writeSync(
      fd,
      Buffer.alloc(4096, 0x5a),
      0,
      4096,
      Math.floor(statSync(file).size / 2 / 4096) * 4096,
    );
    closeSync(fd);
    expect(() => switchSnapshot(station.dataDir, { previous: true }, deps)).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_CHECK_FAILED' }),
    );
    expect(statusOf(station).active?.snapshotId).toBe(ids[1]);
  });

  it('works from the command line, requires a reason, and writes an audit entry', async () => {
    const { station } = await stationWithTwo();
    const noReason = await runCli([
      'station',
      'switch',
      '--data-dir',
      station.dataDir,
      '--previous',
    ]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain('--reason');
    const ok = await runCli([
      'station',
      'switch',
      '--data-dir',
      station.dataDir,
      '--previous',
      '--reason',
      'wrong medication times in sequence 2',
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('(sequence 1) is active again');
    const exported = path.join(root, `audit-${n}.ndjson`);
    const audit = await runCli([
      'audit',
      'export',
      '--data-dir',
      station.dataDir,
      '--out',
      exported,
    ]);
    expect(audit.code).toBe(0);
    const text = readFileSync(exported, 'utf8');
    expect(text).toContain('wrong medication times in sequence 2');
  });
});
