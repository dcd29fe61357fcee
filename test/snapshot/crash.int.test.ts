/**
 * A1 and A2: the importer fails at every named step (throw, exit, SIGKILL) and is killed at
 * random moments; after a restart the station always serves exactly one complete snapshot, the
 * last accepted sequence matches it, and no staging file survives. Imports run as the real
 * `reservjournal import` process.
 */
import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMPORT_FAILPOINTS } from '../../src/snapshot/import.ts';
import { BIN } from '../helpers/cli.ts';
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

const NIGHTLY = process.env.RESERVJOURNAL_NIGHTLY === '1';
const root = tempDir('crash');
let template: TestStationDir;
let snap2: string;
let copies = 0;

beforeAll(async () => {
  const exporter = makeExporter(path.join(root, 'exporter'));
  template = makeStation(path.join(root, 'template'), exporter);
  const one = await build({
    sourceDir: generatedSource(path.join(root, 'e1'), 15, 'c1'),
    sequence: 1,
    exporter,
    recipients: [template.publicKey],
    out: path.join(root, 's1.rjsnap'),
  });
  await importInto(template, one);
  snap2 = await build({
    sourceDir: generatedSource(path.join(root, 'e2'), 40, 'c2'),
    sequence: 2,
    exporter,
    recipients: [template.publicKey],
    out: path.join(root, 's2.rjsnap'),
  });
}, 120_000);

/** A copy of the template station (same keys, sequence 1 active). */
function stationCopy(): TestStationDir {
  const dir = path.join(root, `copy-${++copies}`);
  cpSync(template.dataDir, dir, { recursive: true });
  return { ...template, dataDir: dir };
}

function runImport(
  dataDir: string,
  env: Record<string, string>,
  killAfterMs?: number,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'import', snap2, '--data-dir', dataDir, '--log-level', 'silent'],
      {
        env: { ...process.env, ...env },
        stdio: 'ignore',
      },
    );
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function finishAndCheck(station: TestStationDir): Promise<void> {
  const result = await importInto(station, snap2);
  expect(['accepted', 'unchanged']).toContain(result.outcome);
  expect(restartAndCheck(station.dataDir).activeSequence).toBe(2);
}

describe('A1: every import step as a failpoint', () => {
  const committedAt = IMPORT_FAILPOINTS.indexOf('retention');
  const cases = IMPORT_FAILPOINTS.flatMap((fp, i) =>
    (['throw', 'exit', 'kill'] as const).map((mode) => ({
      fp,
      mode,
      afterCommit: i >= committedAt,
    })),
  );
  it.each(cases)('$fp × $mode leaves one complete snapshot', async ({ fp, mode, afterCommit }) => {
    const station = stationCopy();
    const { code, signal } = await runImport(station.dataDir, {
      RESERVJOURNAL_FAILPOINTS: `${fp}=${mode}`,
    });
    if (mode === 'kill') expect(signal).toBe('SIGKILL');
    else expect(code).toBe(mode === 'exit' ? 99 : 70);
    const state = restartAndCheck(station.dataDir);
    expect(state.activeSequence).toBe(afterCommit ? 2 : 1);
    await finishAndCheck(station);
  });
});

describe('A2: random kills', () => {
  const kills = NIGHTLY ? 10_000 : 200;
  it(`survives ${kills} SIGKILLs at random moments`, async () => {
    // How long does a whole import take here, two at a time as below? Kill inside that window.
    const probes = [stationCopy(), stationCopy()];
    const started = performance.now();
    const ok = await Promise.all(probes.map((p) => runImport(p.dataDir, {})));
    expect(ok.map((r) => r.code)).toEqual([0, 0]);
    let window = performance.now() - started;
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const outcomes = { before: 0, after: 0 };
    const one = async () => {
      const station = stationCopy();
      await runImport(station.dataDir, {}, Math.floor(random() * window * 1.2));
      const state = restartAndCheck(station.dataDir);
      expect([1, 2]).toContain(state.activeSequence);
      outcomes[state.activeSequence === 2 ? 'after' : 'before']++;
      await finishAndCheck(station);
    };
    // Two at a time: the machine has two cores. The load of other tests changes how long an
    // import takes, so the window follows: kills must land on both sides of the commit.
    for (let i = 0; i < kills; i += 2) {
      await Promise.all([one(), one()]);
      if (i % 20 === 18) {
        if (outcomes.after === 0) window *= 1.5;
        else if (outcomes.before === 0) window *= 0.7;
      }
    }
    expect(outcomes.before + outcomes.after).toBe(kills + (kills % 2));
    // The kills must land on both sides of the commit point for the test to mean anything.
    expect(outcomes.before).toBeGreaterThan(0);
    expect(outcomes.after).toBeGreaterThan(0);
  }, 1_800_000);
});
