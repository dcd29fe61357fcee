/** Retention (I7): the station keeps the last N complete snapshots and never fewer than two. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stationPaths } from '../../src/store/station-files.ts';
import { restartAndCheck } from '../helpers/invariants.ts';
import {
  build,
  generatedSource,
  importInto,
  makeExporter,
  makeStation,
  statusOf,
} from '../helpers/snapshots.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('retention', () => {
  it('keeps the newest N snapshots, deletes older files, and never keeps fewer than two', async () => {
    const root = tempDir('retention');
    const exporter = makeExporter(path.join(root, 'exporter'));
    const source = generatedSource(path.join(root, 'export'), 10, 'ret');
    for (const [keep, imports] of [
      [4, 6],
      [1, 4],
    ] as const) {
      const station = makeStation(path.join(root, `station-keep-${keep}`), exporter);
      const ids: string[] = [];
      for (let seq = 1; seq <= imports; seq++) {
        const file = await build({
          sourceDir: source,
          sequence: seq,
          exporter,
          recipients: [station.publicKey],
          out: path.join(root, `k${keep}-s${seq}.rjsnap`),
        });
        ids.push((await importInto(station, file, { keep })).snapshotId);
      }
      const kept = Math.max(keep, 2);
      const files = readdirSync(stationPaths(station.dataDir).snapshotsDir).filter((f) =>
        f.endsWith('.sqlite'),
      );
      expect(files.sort()).toEqual(
        ids
          .slice(-kept)
          .map((id) => `${id}.sqlite`)
          .sort(),
      );
      for (const id of ids.slice(0, -kept))
        expect(existsSync(stationPaths(station.dataDir).snapshot(id))).toBe(false);
      const history = statusOf(station).history;
      expect(
        history
          .filter((h) => h.state === 'deleted')
          .map((h) => h.sequence)
          .sort(),
      ).toEqual(Array.from({ length: imports - kept }, (_, i) => i + 1));
      expect(history.find((h) => h.state === 'active')?.sequence).toBe(imports);
      expect(restartAndCheck(station.dataDir).activeSequence).toBe(imports);
    }
  });
});
