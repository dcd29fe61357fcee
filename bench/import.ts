/**
 * Benchmark of `reservjournal import`: resources per second and peak memory of the real import
 * (signature and checksum verification, decryption, decompression, parsing and checks, indexes,
 * full-text index, encryption at rest) against the floor measured in the same run: reading,
 * parsing and plainly inserting the same NDJSON into an unencrypted SQLite table.
 *
 * Each size is measured `--runs` times (default 3), floor and import taking turns, and the
 * table shows the median run of each (and the highest peak RSS of all runs): one slow moment
 * on a shared machine moves a single run by tens of per cent.
 *
 * Usage: node --import tsx bench/import.ts [--runs N] [people ...]     (default 10000)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { benchStation } from './bench-station.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface Run {
  mode: string;
  resources: number;
  seconds: number;
  maxRssMb: number;
}

const worker = fileURLToPath(new URL('./import-worker.ts', import.meta.url));
const run = (...args: string[]): Run =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', worker, ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    }).trim(),
  ) as Run;

const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const runs = runsAt === -1 ? 3 : Number(argv.splice(runsAt, 2)[1]);
const sizes = argv.map(Number);
const median = (xs: Run[]): Run =>
  [...xs].sort((a, b) => a.seconds - b.seconds)[(xs.length - 1) >> 1]!;
const rows: string[] = [];
for (const people of sizes.length > 0 ? sizes : [10_000]) {
  const work = mkdtempSync(path.join(tmpdir(), 'rj-bench-import-'));
  try {
    const { exportDir, stationDir, snapshot, buildSeconds } = await benchStation(
      work,
      people,
      'bench',
    );
    const floors: Run[] = [];
    const imports: Run[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(run('floor', exportDir, path.join(work, 'floor.sqlite')));
      // A fresh copy of the station each time: an import of the same snapshot twice is a no-op.
      const copy = path.join(work, `station-${i}`);
      cpSync(stationDir, copy, { recursive: true });
      imports.push(run('import', copy, snapshot));
      rmSync(copy, { recursive: true, force: true });
    }
    const floor = median(floors);
    const imp = median(imports);
    // Memory: the worst run, not the median one.
    const impPeak = Math.max(...imports.map((r) => r.maxRssMb));
    const floorPeak = Math.max(...floors.map((r) => r.maxRssMb));
    process.stderr.write(
      `${people}: import ${imports.map((r) => r.seconds.toFixed(2)).join(' ')} s, floor ${floors.map((r) => r.seconds.toFixed(2)).join(' ')} s\n`,
    );
    const ratio = imp.resources / imp.seconds / (floor.resources / floor.seconds);
    rows.push(
      `| ${people.toLocaleString('en')} | ${imp.resources.toLocaleString('en')} | ${(statSync(snapshot).size / 1e6).toFixed(0)} MB | ${buildSeconds.toFixed(1)} s | ` +
        `${imp.seconds.toFixed(1)} s | ${Math.round(imp.resources / imp.seconds).toLocaleString('en')} | ${impPeak.toFixed(0)} MB | ` +
        `${floor.seconds.toFixed(1)} s | ${Math.round(floor.resources / floor.seconds).toLocaleString('en')} | ${floorPeak.toFixed(0)} MB | ${(ratio * 100).toFixed(0)} % |`,
    );
    process.stderr.write(`done ${people}\n`);
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}
mkdirSync(path.join(path.dirname(worker), 'out'), { recursive: true });
// eslint-disable-next-line no-console -- a benchmark prints its table
console.log(
  [
    '| people | resources | snapshot | build | import | import resources/s | import peak RSS | floor | floor resources/s | floor peak RSS | import ÷ floor (throughput) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ].join('\n'),
);
