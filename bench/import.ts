/**
 * Benchmark of `reservjournal import`: resources per second and peak memory of the real import
 * (signature and checksum verification, decryption, decompression, parsing and checks, indexes,
 * full-text index, encryption at rest) against the floor measured in the same run: reading,
 * parsing and plainly inserting the same NDJSON into an unencrypted SQLite table.
 *
 * Usage: node --import tsx bench/import.ts [people ...]     (default 10000)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

const sizes = process.argv.slice(2).map(Number);
const rows: string[] = [];
for (const people of sizes.length > 0 ? sizes : [10_000]) {
  const work = mkdtempSync(path.join(tmpdir(), 'rj-bench-import-'));
  try {
    const { exportDir, stationDir, snapshot, buildSeconds } = await benchStation(
      work,
      people,
      'bench',
    );
    const floor = run('floor', exportDir, path.join(work, 'floor.sqlite'));
    const imp = run('import', stationDir, snapshot);
    const ratio = imp.resources / imp.seconds / (floor.resources / floor.seconds);
    rows.push(
      `| ${people.toLocaleString('en')} | ${imp.resources.toLocaleString('en')} | ${(statSync(snapshot).size / 1e6).toFixed(0)} MB | ${buildSeconds.toFixed(1)} s | ` +
        `${imp.seconds.toFixed(1)} s | ${Math.round(imp.resources / imp.seconds).toLocaleString('en')} | ${imp.maxRssMb.toFixed(0)} MB | ` +
        `${floor.seconds.toFixed(1)} s | ${Math.round(floor.resources / floor.seconds).toLocaleString('en')} | ${floor.maxRssMb.toFixed(0)} MB | ${(ratio * 100).toFixed(0)} % |`,
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
